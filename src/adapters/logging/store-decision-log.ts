// The decision trail as `decision` events in the event store, for hosts with no writable file
// system (edge runtimes): selected with AIS_DECISION_LOG_PATH=store:. Same records, same
// durability promise (the append resolves once the event is committed).
import type { DecisionLog } from '../../ports/decision-log.ts';
import { EventType, type EventStore } from '../../ports/event-store.ts';

export function createStoreDecisionLog(store: EventStore): DecisionLog {
  return {
    async append(record) {
      await store.append({ type: EventType.decision, payload: record });
    },
    // The store is closed by its owner.
    close: async () => {},
  };
}
