// How a decision is recorded: its `risk_decision` event, the conditional write an engine approval
// becomes (EventStore.recordDecisions: refused instead when the shared store has moved on), the
// answer as the store settled it, and the re-read of the control state a refusal by it prompts.
import {
  type ControlBasis,
  type DecisionWrite,
  type DecisionWritten,
  EventType,
  type NewEvent,
} from '../../ports/event-store.ts';
import type { RiskTokenSigner } from '../../ports/risk-tokens.ts';
import type { OrderIntent } from '../order-intent.ts';
import { storedChecks } from './checks.ts';
import type { ControlService } from './control-service.ts';
import type { RiskDecision } from './explain.ts';
import { overtakenVerdict, storedVerdict } from './overtaken.ts';

/** One write's context: the orders' source, the check's duration and time, and for engine checks the control rows decided under. */
export interface DecisionContext {
  source: string;
  durationMs: number;
  nowMs: number;
  /** Absent for the closing rule (it passes the kill switch and the trading state). */
  basis?: ControlBasis;
  /** The order budget per minute (AIS_MAX_ORDERS_PER_MINUTE) the shared store holds approvals to. */
  maxPerMinute: number;
}

/**
 * The `risk_decision` event of one decision: the one record of it. Its payload is serialised once
 * by the store, and the decision trail's `risk_check` line is projected from the same bytes.
 */
export function decisionEvent(
  order: OrderIntent,
  d: RiskDecision,
  x: Pick<DecisionContext, 'source' | 'durationMs' | 'nowMs'>,
): NewEvent<'risk_decision'> {
  const payload = {
    order_id: d.orderId,
    source: x.source,
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
    duration_ms: x.durationMs,
  };
  return { type: EventType.riskDecision, stream: order.symbol, payload, timeMs: x.nowMs };
}

/** The write of decision `d` on `order`: an engine approval carries its conditions and its refusals. */
export function decisionWrite(
  order: OrderIntent,
  d: RiskDecision,
  x: DecisionContext,
  key: string | undefined,
): DecisionWrite {
  const event = decisionEvent(order, d, x);
  if (!d.approved || !x.basis) return { event, key };
  const refused = (by: Parameters<typeof overtakenVerdict>[1]) =>
    decisionEvent(order, { orderId: d.orderId, ...overtakenVerdict(d, by, x.maxPerMinute) }, x);
  return { event, key, approval: { basis: x.basis, maxPerMinute: x.maxPerMinute, refused } };
}

/** The answer of a write as the store settled it: as decided, the refusal that overtook it, or the key's stored decision. */
export function settledDecision(
  d: RiskDecision,
  w: DecisionWritten,
  tokens: RiskTokenSigner,
): RiskDecision {
  if (w.outcome === 'as_decided') return d;
  const v = storedVerdict(w.stored);
  const orderId = w.stored.payload.order_id;
  if (w.outcome !== 'replayed' || !v.approved) return { orderId, ...v };
  // The stored approval again, with the token it was given (signed at its own time).
  return { orderId, ...v, token: tokens.sign(orderId, w.stored.timeMs) };
}

/** The fastest a stream of refusals re-reads the control state (ms): a read per 50 ms at most. */
const SYNC_ON_REFUSAL_MS = 50;

/**
 * After a refusal by the kill switch or the trading state, local or by a newer row in the store:
 * reads the store's control state now, not at the next periodic sync (another worker may have
 * stopped trading, or started it again). One read at a time, at most every SYNC_ON_REFUSAL_MS.
 */
export function adoptOnRefusal(control: Pick<ControlService, 'sync'>) {
  let syncing = false;
  let syncedMs = -Infinity;
  return (decisions: readonly RiskDecision[], nowMs: number): void => {
    if (!decisions.some((d) => d.guard === 'kill_switch' || d.guard === 'trading_state')) return;
    if (syncing || nowMs - syncedMs < SYNC_ON_REFUSAL_MS) return;
    syncing = true;
    syncedMs = nowMs;
    void control
      .sync()
      .catch(() => undefined)
      .finally(() => (syncing = false));
  };
}
