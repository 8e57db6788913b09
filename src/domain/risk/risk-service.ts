// Pre-trade checks as the API and the trading loop use them: the engine's verdicts against the
// current portfolio and control state, a risk token per approval, a drawdown breach tripping the
// kill switch, and every decision recorded before it is answered: one `risk_decision` event each
// (the decision trail's line is projected from it by the store) and its metrics.
import {
  type ControlBasis,
  type DecisionWrite,
  type DecisionWritten,
  EventType,
  type EventStore,
  type NewEvent,
  type OvertakenBy,
} from '../../ports/event-store.ts';
import type { StoredCheck } from '../../ports/events.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { RiskTokenSigner } from '../../ports/risk-tokens.ts';
import type { PortfolioBook } from '../portfolio/book.ts';
import type { ControlService } from './control-service.ts';
import { tripOnDrawdown } from './drawdown-trip.ts';
import type { OrderRequest, RiskEngine } from './engine.ts';
import type { GuardCheck, RiskVerdict } from './explain.ts';
import { CLOSE_POSITION } from './guards.ts';
import { overtakenVerdict, storedVerdict } from './overtaken.ts';

export interface RiskDecision extends RiskVerdict {
  orderId: string;
  /** Present only on approval. */
  token?: string;
}

/** An order that closes (part of) a position: `positionQty` is the signed position it closes, as the exchange reports it. */
interface CloseRequest extends OrderRequest {
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
    orders: readonly OrderRequest[],
    source: string,
    keys?: readonly (string | undefined)[],
  ): Promise<RiskDecision[]>;
  /**
   * The closing rule (a flatten): an order on the opposite side of `positionQty` for at most its
   * size is approved, with a token, whatever the kill switch and trading state say — it can only cut
   * risk, and the executor sends it reduce-only. Anything else is rejected with guard
   * `close_position`. Recorded like every decision; resolves once durable.
   */
  checkClose(orders: readonly CloseRequest[], source: string): Promise<RiskDecision[]>;
}

/** A closing order's verdict: one check, the quantity against the position it closes. */
function closeVerdict(o: CloseRequest): RiskVerdict {
  const size = Math.abs(o.positionQty);
  const opposite = o.positionQty !== 0 && (o.side === 'SELL') === o.positionQty > 0;
  const passed = opposite && o.quantity > 0 && o.quantity <= size * (1 + 1e-9);
  const checks = [{ guard: CLOSE_POSITION, value: o.quantity, limit: size, passed }];
  if (passed) return { approved: true, checks };
  const reason = opposite
    ? `quantity ${o.quantity} is not within the position of ${size}`
    : `a ${o.side} does not close a position of ${o.positionQty}`;
  return { approved: false, guard: CLOSE_POSITION, reason, checks };
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
}

/** The stored form of a verdict's checks (ports/events.ts StoredCheck): about half the bytes of the API's objects, same facts. */
export const storedChecks = (checks: readonly GuardCheck[]): StoredCheck[] =>
  checks.map((c) =>
    c.filter === undefined
      ? [c.guard, c.value, c.limit, c.passed]
      : [c.guard, c.value, c.limit, c.passed, c.filter],
  );

/**
 * The `risk_decision` event of one decision: the one record of it. Its payload is serialised once
 * by the store, and the decision trail's `risk_check` line is projected from the same bytes.
 */
function decisionEvent(
  order: OrderRequest,
  d: RiskDecision,
  source: string,
  durationMs: number,
  nowMs: number,
): NewEvent<'risk_decision'> {
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

/** How one decision is written: the engine's checks (held to the store's conditions) or the closing rule (as decided). */
interface Decide {
  orders: readonly OrderRequest[];
  verdicts: readonly RiskVerdict[];
  source: string;
  t0: number;
  nowMs: number;
  keys?: readonly (string | undefined)[];
  /** The control rows the verdicts were made under; absent for the closing rule (it passes both). */
  basis?: ControlBasis;
}

/** The fastest a stream of refusals re-reads the control state (ms): a read per 50 ms at most. */
const SYNC_ON_REFUSAL_MS = 50;
const stoppedBy = (d: RiskDecision) => d.guard === 'kill_switch' || d.guard === 'trading_state';

export function createRiskService(o: RiskServiceOptions): RiskService {
  const maxPerMinute = o.engine.limits.maxOrdersPerMinute;
  /** The write of decision `d` of `order`: an engine approval carries its conditions and its refusals. */
  const writeOf = (x: Decide, i: number, d: RiskDecision, durationMs: number): DecisionWrite => {
    const order = x.orders[i]!;
    const event = decisionEvent(order, d, x.source, durationMs, x.nowMs);
    const key = x.keys?.[i];
    if (!d.approved || !x.basis) return { event, key };
    const refused = (by: OvertakenBy) =>
      decisionEvent(
        order,
        { orderId: d.orderId, ...overtakenVerdict(d, by, maxPerMinute) },
        x.source,
        durationMs,
        x.nowMs,
      );
    return { event, key, approval: { basis: x.basis, maxPerMinute, refused } };
  };
  /** The answer of a write as the store settled it. */
  const settled = (d: RiskDecision, w: DecisionWritten): RiskDecision => {
    if (w.outcome === 'as_decided') return d;
    const v = storedVerdict(w.stored);
    const orderId = w.stored.payload.order_id;
    if (w.outcome !== 'replayed') return { orderId, ...v };
    // The stored decision again, with the token it was given (signed at its own time).
    return v.approved
      ? { orderId, ...v, token: o.tokens.sign(orderId, w.stored.timeMs) }
      : { orderId, ...v };
  };
  /** Tokens for approvals, one durable record per decision (as the store settles it), then metrics; before anything is answered. */
  async function decide(x: Decide): Promise<RiskDecision[]> {
    const { orders, verdicts, nowMs } = x;
    let decisions: RiskDecision[] = new Array(verdicts.length);
    const writes: DecisionWrite[] = new Array(verdicts.length);
    const durationMs = o.monoMs() - x.t0;
    const seconds = durationMs / 1000 / orders.length;
    for (let i = 0; i < verdicts.length; i++) {
      const v = verdicts[i]!;
      const orderId = orders[i]!.orderId;
      const d: RiskDecision = v.approved
        ? { orderId, ...v, token: o.tokens.sign(orderId, nowMs) }
        : { orderId, ...v };
      decisions[i] = d;
      writes[i] = writeOf(x, i, d, durationMs);
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
    const written = await o.store.recordDecisions(writes);
    decisions = decisions.map((d, i) => settled(d, written[i]!));
    for (const d of decisions) o.metrics.riskDecision(d.approved, d.guard, seconds);
    if (decisions.some(stoppedBy)) adopt(x.nowMs);
    return decisions;
  }
  /**
   * A refusal by the kill switch or the trading state, local or by a newer row in the store: read
   * the store's control state now, not at the next periodic sync (another worker may have stopped
   * trading, or started it again). One read at a time, at most every SYNC_ON_REFUSAL_MS.
   */
  let syncing = false;
  let syncedMs = -Infinity;
  const adopt = (nowMs: number) => {
    if (syncing || nowMs - syncedMs < SYNC_ON_REFUSAL_MS) return;
    syncing = true;
    syncedMs = nowMs;
    void o.control
      .sync()
      .catch(() => undefined)
      .finally(() => (syncing = false));
  };

  return {
    checkClose: (orders, source) =>
      decide({
        orders,
        verdicts: orders.map(closeVerdict),
        source,
        t0: o.monoMs(),
        nowMs: o.nowMs(),
      }),
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
      const verdicts =
        orders.length === 1
          ? [o.engine.checkOrder(orders[0]!, portfolio, control, t0)]
          : o.engine.checkBatch(orders, portfolio, control, t0);
      return decide({ orders, verdicts, source, t0, nowMs, keys, basis });
    },
  };
}
