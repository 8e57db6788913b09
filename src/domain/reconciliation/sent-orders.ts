// The exchange order ids this worker sent, rebuilt from the stored `order` events at start-up: the
// executor's in-memory set starts empty after a restart, and without this every trade of the
// look-back window would count as unauthorized on the first run.
import { EventType, type EventStore } from '../../ports/event-store.ts';

/** Events read per query while paging (the store's largest page). */
const PAGE = 10_000;

/** Exchange order ids (`exchange_order_id`) of the `order` events since `sinceMs`, oldest first. */
export async function loadSentOrderIds(store: Pick<EventStore, 'query'>, sinceMs: number): Promise<string[]> {
  const ids: string[] = [];
  let afterId: number | undefined;
  for (;;) {
    const page = await store.query({ type: EventType.order, sinceMs, afterId, limit: PAGE });
    for (const e of page) {
      const id = (e.payload as { exchange_order_id?: unknown } | null)?.exchange_order_id;
      if (typeof id === 'string' && id) ids.push(id);
    }
    if (page.length < PAGE) return ids;
    afterId = page[page.length - 1]!.id;
  }
}
