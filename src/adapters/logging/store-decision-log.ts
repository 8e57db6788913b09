// The decision log over the event store: every entry is a `decision` event (its payload starts with
// `kind`, so the projected trail line reads `{"time","event_id","kind",…}`).
import type { DecisionLog } from '../../ports/decision-log.ts';
import { EventType, type EventStore } from '../../ports/event-store.ts';

export function createStoreDecisionLog(store: Pick<EventStore, 'append'>): DecisionLog {
  return {
    async append(record) {
      await store.append({ type: EventType.decision, payload: record });
    },
  };
}
