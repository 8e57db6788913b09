// Which events age out, and when. Only the high-volume per-cycle records are pruned; everything a
// restart or an audit needs is kept for ever (kill switch, trading state, control actions, orders,
// fills, funding, reconciliation reports, breaker transitions, alerts).
import { EventType } from '../../ports/event-store.ts';

/**
 * The per-cycle event types: each loop cycle writes a `signal` per agent, a `risk_decision` per
 * order checked (and per `POST /v1/orders/check`), a `portfolio` snapshot; `decision` is the
 * decision trail kept in the store (`AIS_DECISION_LOG_PATH=store:`). The newest event of each type
 * is never pruned: the newest `portfolio` snapshot is what a restarted paper account starts from.
 */
export const PRUNED_EVENT_TYPES: readonly EventType[] = [
  EventType.riskDecision,
  EventType.signal,
  EventType.portfolio,
  EventType.decision,
];

const DAY_MS = 86_400_000;

/** The cut-off (epoch ms) before which pruned types are deleted; undefined when `days` is 0 (keep everything). */
export function retentionCutoffMs(nowMs: number, days: number): number | undefined {
  return days > 0 ? nowMs - days * DAY_MS : undefined;
}

/**
 * The time retention counts from: the wall clock, but never past the newest stored event by more
 * than one pass interval. A wall clock stepped forward (40 days, say) would otherwise put the
 * cut-off past every record; the newest record says how far time has really got. Undefined
 * `newestStoredMs` (an empty store): the wall clock.
 */
export function retentionNowMs(
  wallMs: number,
  newestStoredMs: number | undefined,
  passIntervalMs: number,
): number {
  return newestStoredMs === undefined ? wallMs : Math.min(wallMs, newestStoredMs + passIntervalMs);
}
