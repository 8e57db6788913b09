// The decision audit trail is a projection of the event store: every `risk_decision` event (a
// pre-trade check) and every `decision` event (a cycle's decision, a refused order) is also one
// JSONL line, written from the same serialised payload once the row is committed (product.md,
// Records; docs/records.md, "Decision trail").
import { EventType } from '../../ports/event-store.ts';

/**
 * Event type → the `kind` its trail line carries; null: the payload names its own kind (a
 * `decision` payload starts with `kind`). A line is
 * `{"time":"<ISO>","event_id":<row id>,"kind":…,<payload fields>}`.
 */
export const TRAIL_KINDS: Readonly<Partial<Record<EventType, string | null>>> = {
  [EventType.riskDecision]: 'risk_check',
  [EventType.decision]: null,
};

/** Whether events of `type` are lines of the trail. */
export const isTrailType = (type: EventType): boolean => TRAIL_KINDS[type] !== undefined;
