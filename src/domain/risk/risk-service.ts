// Pre-trade checks as the API and the trading loop use them: the engine's verdicts against the
// current portfolio and control state, a risk token per approval, a drawdown breach tripping the
// kill switch, and every decision recorded before it is answered: one `risk_decision` event each
// (the decision trail's line is projected from it by the store) and its metrics.
import type { SymbolHoldService } from './symbol-hold-service.ts';
import { stricterState } from './symbol-holds.ts';
import type { EventStore } from '../../ports/event-store.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { RiskTokenSigner } from '../../ports/risk-tokens.ts';
import type { PortfolioBook } from '../portfolio/book.ts';
import type { ControlService } from './control-service.ts';
import { tripOnDrawdown } from './drawdown-trip.ts';
import type { OrderIntent } from '../order-intent.ts';
import type { RiskEngine } from './engine.ts';
import {
  adoptOnRefusal,
  type DecisionContext,
  decisionWrite,
  settledDecision,
} from './decision-writes.ts';
import type { RiskDecision } from './explain.ts';
import { CLOSE_POSITION } from './guards.ts';

export type { RiskDecision };

/** An order that closes (part of) a position: `positionQty` is the signed position it closes, as the exchange reports it. */
interface CloseIntent extends OrderIntent {
  positionQty: number;
}

export interface RiskService {
  /**
   * Checks orders (one or a batch) and resolves once every decision is durable. An approval holds
   * only if the store, in the transaction that records it, still agrees (EventStore.recordDecisions:
   * no newer kill switch or trading state, the shared order budget not spent); else it is answered
   * and recorded as that guard's refusal. `keys[i]`: order i's idempotency key; a key already
   * stored answers its stored decision and decides nothing.
   */
  check(
    orders: readonly OrderIntent[],
    source: string,
    keys?: readonly (string | undefined)[],
  ): Promise<RiskDecision[]>;
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

export function createRiskService(o: RiskServiceOptions): RiskService {
  const maxPerMinute = o.engine.limits.maxOrdersPerMinute;
  const adopt = adoptOnRefusal(o.control);
  /**
   * Tokens for approvals, one durable record per decision (as the store settles it: an approval
   * overtaken in a shared store is recorded and answered refused), then metrics; all before
   * anything is answered.
   */
  async function decide(
    orders: readonly OrderIntent[],
    verdicts: readonly RiskDecision[],
    x: Omit<DecisionContext, 'durationMs' | 'maxPerMinute'> & { t0: number },
    keys?: readonly (string | undefined)[],
  ): Promise<RiskDecision[]> {
    const ctx = { ...x, durationMs: o.monoMs() - x.t0, maxPerMinute };
    const seconds = ctx.durationMs / 1000 / orders.length;
    const decisions = verdicts.map((v) =>
      v.approved ? { ...v, token: o.tokens.sign(v.orderId, x.nowMs) } : v,
    );
    const writes = decisions.map((d, i) => decisionWrite(orders[i]!, d, ctx, keys?.[i]));
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
    const written = await o.store.recordDecisions(writes);
    const answers = decisions.map((d, i) => settledDecision(d, written[i]!, o.tokens));
    for (const d of answers) o.metrics.riskDecision(d.approved, d.guard, seconds);
    adopt(answers, written, x.nowMs);
    return answers;
  }

  return {
    checkClose: (orders, source) =>
      decide(orders, orders.map(closeDecision), { source, t0: o.monoMs(), nowMs: o.nowMs() }),
    check(orders, source, keys) {
      const t0 = o.monoMs();
      const nowMs = o.nowMs();
      // Read with the state, in the same tick: the rows the verdicts are decided under.
      const basis = o.control.basis();
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
      return decide(orders, verdicts, { source, t0, nowMs, basis }, keys);
    },
  };
}
