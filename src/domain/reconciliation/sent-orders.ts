// The exchange order ids of the orders sent by this worker and by every other worker sharing the
// event store, read from the stored `order` events. Reconciliation asks it before calling a trade
// foreign: a trade of an order another worker on the same account sent is not unauthorized. The
// executor adds its own ids at once; refresh() reads what any worker stored since the last read.
import { EventType, type EventStore } from '../../ports/event-store.ts';

/** Events read per query while paging (the store's largest page). */
const PAGE = 10_000;

export interface SentOrderIndex {
  /** Records an exchange order id sent by this process (`timeMs`: local epoch ms, default now). */
  add(orderId: string, timeMs?: number): void;
  has(orderId: string): boolean;
  /**
   * Reads the `order` events stored since the previous refresh (the first one from `sinceMs`), then
   * forgets ids older than `sinceMs`, so the index stays as large as the trade window it serves.
   * Resolves with how many ids it added. Rejects when the store cannot be read (nothing changes).
   */
  refresh(sinceMs: number): Promise<number>;
  readonly size: number;
}

/** `nowMs` stamps ids added without a time. */
export function createSentOrderIndex(
  store: Pick<EventStore, 'query'>,
  nowMs: () => number,
): SentOrderIndex {
  const ids = new Map<string, number>();
  let afterId: number | undefined;
  return {
    add: (orderId, timeMs) => void ids.set(orderId, timeMs ?? nowMs()),
    has: (orderId) => ids.has(orderId),
    get size() {
      return ids.size;
    },
    async refresh(sinceMs) {
      let added = 0;
      for (;;) {
        const page = await store.query({
          type: EventType.order,
          sinceMs: afterId === undefined ? sinceMs : undefined,
          afterId,
          limit: PAGE,
        });
        for (const e of page) {
          const id = e.payload.exchange_order_id;
          if (id && !ids.has(id)) {
            ids.set(id, e.timeMs);
            added++;
          }
        }
        if (page.length) afterId = page[page.length - 1]!.id;
        if (page.length < PAGE) break;
      }
      for (const [id, t] of ids) if (t < sinceMs) ids.delete(id);
      return added;
    },
  };
}
