// Pre-trade checks as the API and the trading loop use them: the engine's verdicts against the
// current portfolio and control state, a risk token per approval, a drawdown breach tripping the
// kill switch, and every decision recorded (risk_decision events, decision-log lines, metrics)
// before it is answered.
import type { DecisionLog } from '../../ports/decision-log.ts';
import { EventType, type EventStore } from '../../ports/event-store.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { RiskTokenSigner } from '../../ports/risk-tokens.ts';
import type { PortfolioBook } from '../portfolio/book.ts';
import type { ControlService } from './control-service.ts';
import { tripOnDrawdown } from './drawdown-trip.ts';
import type { OrderRequest, RiskEngine } from './engine.ts';
import type { RiskVerdict } from './explain.ts';
import { CLOSE_POSITION } from './guards.ts';

export interface RiskDecision extends RiskVerdict {
  orderId: string;
  /** Present only on approval. */
  token?: string;
}

/** An order that closes (part of) a position: `positionQty` is the signed position it closes, as the exchange reports it. */
export interface CloseRequest extends OrderRequest {
  positionQty: number;
}

export interface RiskService {
  /** Checks orders (one or a batch) and resolves once every decision is durable. */
  check(orders: readonly OrderRequest[], source: string): Promise<RiskDecision[]>;
  /**
   * The closing rule (a flatten): an order on the opposite side of `positionQty` for at most its
   * size is approved, with a token, whatever the kill switch and trading state say — it can only cut
   * risk, and the executor sends it reduce-only. Anything else is rejected with guard
   * `close_position`. Recorded like every decision; resolves once durable.
   */
  checkClose(orders: readonly CloseRequest[], source: string): Promise<RiskDecision[]>;
}

/** A closing order's verdict: one check, the quantity against the position it closes. */
export function closeVerdict(o: CloseRequest): RiskVerdict {
  const size = Math.abs(o.positionQty);
  const opposite = o.positionQty !== 0 && (o.side === 'SELL') === o.positionQty > 0;
  const passed = opposite && o.quantity > 0 && o.quantity <= size * (1 + 1e-9);
  const checks = [{ guard: CLOSE_POSITION, value: o.quantity, limit: size, passed }];
  if (passed) return { approved: true, checks };
  const reason = opposite ? `quantity ${o.quantity} is not within the position of ${size}` : `a ${o.side} does not close a position of ${o.positionQty}`;
  return { approved: false, guard: CLOSE_POSITION, reason, checks };
}

export interface RiskServiceOptions {
  engine: RiskEngine;
  control: ControlService;
  portfolio: PortfolioBook;
  tokens: RiskTokenSigner;
  store: EventStore;
  decisionLog: DecisionLog;
  metrics: Metrics;
  nowMs: () => number;
  /** A monotonic clock in ms for durations (performance.now). */
  monoMs: () => number;
}

export function createRiskService(o: RiskServiceOptions): RiskService {
  /** Tokens for approvals, metrics, and both durable records, before anything is answered. */
  async function decide(orders: readonly OrderRequest[], verdicts: readonly RiskVerdict[], source: string, t0: number, nowMs: number): Promise<RiskDecision[]> {
    const decisions: RiskDecision[] = verdicts.map((v, i) => {
      const orderId = orders[i]!.orderId;
      return v.approved ? { orderId, ...v, token: o.tokens.sign(orderId, nowMs) } : { orderId, ...v };
    });
    const seconds = (o.monoMs() - t0) / 1000 / orders.length;
    for (const d of decisions) o.metrics.riskDecision(d.approved, d.guard, seconds);
    return decisions;
  }

  return {
    async checkClose(orders, source) {
      const t0 = o.monoMs();
      const nowMs = o.nowMs();
      const decisions = await decide(orders, orders.map(closeVerdict), source, t0, nowMs);
      await record(orders, decisions, source, t0, nowMs);
      return decisions;
    },
    async check(orders, source) {
      const t0 = o.monoMs();
      const nowMs = o.nowMs();
      const c = o.control.state();
      const control = { killSwitchActive: c.killSwitch.active, killSwitchReason: c.killSwitch.reason, tradingState: c.tradingState };
      const portfolio = o.portfolio.get();
      const verdicts = orders.length === 1 ? [o.engine.checkOrder(orders[0]!, portfolio, control, nowMs)] : o.engine.checkBatch(orders, portfolio, control, nowMs);
      const decisions = await decide(orders, verdicts, source, t0, nowMs);

      // A drawdown the engine could not compute (null) failed the guard: it counts as reached.
      const breach = decisions.find((d) => d.guard === 'drawdown')?.checks.find((k) => k.guard === 'drawdown');
      if (breach) await tripOnDrawdown(o.control, typeof breach.value === 'number' ? breach.value : Infinity, o.engine.limits.maxDrawdown, 'risk-engine');
      await record(orders, decisions, source, t0, nowMs);
      return decisions;
    },
  };

  async function record(orders: readonly OrderRequest[], decisions: readonly RiskDecision[], source: string, t0: number, nowMs: number): Promise<void> {
    {
      const records = decisions.map((d, i) => {
        const { orderId, symbol, side, quantity, price, agentId } = orders[i]!;
        return {
          order_id: orderId,
          source,
          order: { symbol, side, quantity, price, agent_id: agentId ?? null },
          approved: d.approved,
          guard: d.guard ?? null,
          reason: d.reason ?? null,
          checks: d.checks,
        };
      });
      const durationMs = o.monoMs() - t0;
      // Both records are written at once (two durable writes in parallel, not in series).
      const [stored, ...logged] = await Promise.allSettled([
        o.store.appendBatch(records.map((r, i) => ({ type: EventType.riskDecision, stream: orders[i]!.symbol, payload: r, timeMs: nowMs }))),
        ...records.map((r) => o.decisionLog.append({ time: new Date(nowMs).toISOString(), kind: 'risk_check', ...r, duration_ms: durationMs })),
      ]);
      if (stored!.status === 'rejected') {
        // The caller gets an error and no token: say so in the trail next to the lines just written.
        if (logged.some((l) => l.status === 'fulfilled')) {
          const error = stored!.reason instanceof Error ? stored!.reason.message : String(stored!.reason);
          await o.decisionLog.append({ time: new Date(o.nowMs()).toISOString(), kind: 'risk_check_not_recorded', order_ids: records.map((r) => r.order_id), error }).catch(() => undefined);
        }
        throw stored!.reason;
      }
      const failed = logged.find((l) => l.status === 'rejected');
      if (failed) throw failed.reason;
    }
  }
}
