// Pre-trade checks as the API and the trading loop use them: the engine's verdicts against the
// current portfolio and control state, a risk token per approval, a drawdown breach tripping the
// kill switch, and every decision recorded before it is answered: one `risk_decision` event each
// (the decision trail's line is projected from it by the store) and its metrics.
import type { SymbolHoldService } from './symbol-hold-service.ts';
import { stricterState } from './symbol-holds.ts';
import { EventType, type EventStore, type NewEvent } from '../../ports/event-store.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { RiskTokenSigner } from '../../ports/risk-tokens.ts';
import type { PortfolioBook } from '../portfolio/book.ts';
import type { ControlService } from './control-service.ts';
import { tripOnDrawdown } from './drawdown-trip.ts';
import type { OrderIntent } from '../order-intent.ts';
import type { RiskEngine } from './engine.ts';
import { storedChecks } from './checks.ts';
import type { RiskDecision } from './explain.ts';
import { CLOSE_POSITION } from './guards.ts';

export type { RiskDecision };

/** An order that closes (part of) a position: `positionQty` is the signed position it closes, as the exchange reports it. */
interface CloseIntent extends OrderIntent {
  positionQty: number;
}

export interface RiskService {
  /** Checks orders (one or a batch) and resolves once every decision is durable. */
  check(orders: readonly OrderIntent[], source: string): Promise<RiskDecision[]>;
  /**
   * The closing rule (a flatten): an order on the opposite side of `positionQty` for at most its
   * size is approved, with a token, whatever the kill switch and trading state say — it can only cut
   * risk, and the executor sends it reduce-only. Anything else is rejected with guard
   * `close_position`. Recorded like every decision; resolves once durable.
   */
  checkClose(orders: readonly CloseIntent[], source: string): Promise<RiskDecision[]>;
}

/** A closing order's decision: one check, the quantity against the position it closes. */
function closeDecision(o: CloseIntent): RiskDecision {
  const size = Math.abs(o.positionQty);
  const opposite = o.positionQty !== 0 && (o.side === 'SELL') === o.positionQty > 0;
  const passed = opposite && o.quantity > 0 && o.quantity <= size * (1 + 1e-9);
  const checks = [{ guard: CLOSE_POSITION, value: o.quantity, limit: size, passed }];
  if (passed) return { orderId: o.orderId, approved: true, checks };
  const reason = opposite
    ? `quantity ${o.quantity} is not within the position of ${size}`
    : `a ${o.side} does not close a position of ${o.positionQty}`;
  return { orderId: o.orderId, approved: false, guard: CLOSE_POSITION, reason, checks };
}

interface RiskServiceOptions {
  engine: RiskEngine;
  control: ControlService;
  portfolio: PortfolioBook;
  tokens: RiskTokenSigner;
  store: EventStore;
  metrics: Metrics;
  nowMs: () => number;
  /**
   * A monotonic clock in ms (ports/clock.ts, epoch scale) for durations and for the engine's
   * order_rate bucket: a wall-clock step back must not stop its refill.
   */
  monoMs: () => number;
  /** Per-symbol holds: an order on a held symbol is checked under the stricter of the account's state and its hold. */
  holds?: Pick<SymbolHoldService, 'of'>;
}

/**
 * The `risk_decision` event of one decision: the one record of it. Its payload is serialised once
 * by the store, and the decision trail's `risk_check` line is projected from the same bytes.
 */
function decisionEvent(
  order: OrderIntent,
  d: RiskDecision,
  source: string,
  durationMs: number,
  nowMs: number,
): NewEvent {
  const payload = {
    order_id: d.orderId,
    source,
    order: {
      symbol: order.symbol,
      side: order.side,
      quantity: order.quantity,
      price: order.price,
      agent_id: order.agentId ?? null,
    },
    approved: d.approved,
    guard: d.guard ?? null,
    reason: d.reason ?? null,
    checks: storedChecks(d.checks),
    duration_ms: durationMs,
  };
  return { type: EventType.riskDecision, stream: order.symbol, payload, timeMs: nowMs };
}

export function createRiskService(o: RiskServiceOptions): RiskService {
  /** Tokens for approvals and metrics, then one durable record per decision, before anything is answered. */
  async function decide(
    orders: readonly OrderIntent[],
    verdicts: readonly RiskDecision[],
    source: string,
    t0: number,
    nowMs: number,
  ): Promise<RiskDecision[]> {
    const decisions: RiskDecision[] = new Array(verdicts.length);
    const events: NewEvent[] = new Array(verdicts.length);
    const durationMs = o.monoMs() - t0;
    const seconds = durationMs / 1000 / orders.length;
    for (let i = 0; i < verdicts.length; i++) {
      const v = verdicts[i]!;
      const d = v.approved ? { ...v, token: o.tokens.sign(v.orderId, nowMs) } : v;
      o.metrics.riskDecision(d.approved, d.guard, seconds);
      decisions[i] = d;
      events[i] = decisionEvent(orders[i]!, d, source, durationMs, nowMs);
    }
    // A drawdown the engine could not compute (null) failed the guard: it counts as reached.
    const breach = decisions
      .find((d) => d.guard === 'drawdown')
      ?.checks.find((k) => k.guard === 'drawdown');
    if (breach)
      await tripOnDrawdown(
        o.control,
        typeof breach.value === 'number' ? breach.value : Infinity,
        o.engine.limits.maxDrawdown,
        'risk-engine',
      );
    await o.store.appendBatch(events);
    return decisions;
  }

  return {
    checkClose: (orders, source) =>
      decide(orders, orders.map(closeDecision), source, o.monoMs(), o.nowMs()),
    check(orders, source) {
      const t0 = o.monoMs();
      const nowMs = o.nowMs();
      const c = o.control.state();
      const control = {
        killSwitchActive: c.killSwitch.active,
        killSwitchReason: c.killSwitch.reason,
        tradingState: c.tradingState,
      };
      const portfolio = o.portfolio.get();
      const held = o.holds && orders.some((x) => o.holds!.of(x.symbol));
      // A held symbol: its orders one by one, each under its own (stricter) trading state.
      const verdicts = held
        ? orders.map((x) =>
            o.engine.checkOrder(
              x,
              portfolio,
              {
                ...control,
                tradingState: stricterState(c.tradingState, o.holds!.of(x.symbol)?.state),
              },
              t0,
            ),
          )
        : orders.length === 1
          ? [o.engine.checkOrder(orders[0]!, portfolio, control, t0)]
          : o.engine.checkBatch(orders, portfolio, control, t0);
      return decide(orders, verdicts, source, t0, nowMs);
    },
  };
}
