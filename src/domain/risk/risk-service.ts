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
import type { OrderRequest, RiskEngine } from './engine.ts';
import type { RiskVerdict } from './explain.ts';

export interface RiskDecision extends RiskVerdict {
  orderId: string;
  /** Present only on approval. */
  token?: string;
}

export interface RiskService {
  /** Checks orders (one or a batch) and resolves once every decision is durable. */
  check(orders: readonly OrderRequest[], source: string): Promise<RiskDecision[]>;
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
  return {
    async check(orders, source) {
      const t0 = o.monoMs();
      const nowMs = o.nowMs();
      const c = o.control.state();
      const control = { killSwitchActive: c.killSwitch.active, killSwitchReason: c.killSwitch.reason, tradingState: c.tradingState };
      const portfolio = o.portfolio.get();
      const verdicts = orders.length === 1 ? [o.engine.checkOrder(orders[0]!, portfolio, control, nowMs)] : o.engine.checkBatch(orders, portfolio, control, nowMs);
      const decisions: RiskDecision[] = verdicts.map((v, i) => {
        const orderId = orders[i]!.orderId;
        return v.approved ? { orderId, ...v, token: o.tokens.sign(orderId, nowMs) } : { orderId, ...v };
      });
      const seconds = (o.monoMs() - t0) / 1000 / orders.length;
      for (const d of decisions) o.metrics.riskDecision(d.approved, d.guard, seconds);

      const breach = decisions.find((d) => d.guard === 'drawdown');
      if (breach && !c.killSwitch.active) {
        await o.control.apply({ type: 'trigger', reason: breach.reason ?? 'drawdown limit reached', by: 'risk-engine', source: 'drawdown' });
      }
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
      return decisions;
    },
  };
}
