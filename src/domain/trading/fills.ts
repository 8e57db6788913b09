// The fills of one order, read by its exchange order id. Aster's Account Trade List takes no
// orderId (v3.md "Account Trade List": symbol, startTime, endTime, fromId, limit), so the trades are
// read from a start time and filtered by order id. The start time is the order's own timestamp as
// the exchange wrote it (ExchangeOrder.timeMs: `time`, or `updateTime` on a new-order answer), i.e.
// in the exchange's clock, never the worker's: a local clock a few seconds ahead would otherwise ask
// for trades "since" a moment after the fill and find none.
import type { Exchange, ExchangeOrder, ExchangeTrade } from '../../ports/exchange.ts';

/** Reads start this long before the order's timestamp: a new-order answer carries its last update, which may follow the first fill. */
export const FILL_LOOKBACK_MS = 60_000;
/** Aster's (and Binance's) largest userTrades page. */
const PAGE = 1_000;
/** Pages read at most (an order with more fills than this is booked as far as read and logged by the caller's reconciliation). */
const MAX_PAGES = 10;

/**
 * The trades of `order`, oldest first: pages from order.timeMs − FILL_LOOKBACK_MS until the
 * filled quantity is covered or a page comes back short. Empty when nothing was executed.
 * Throws what the exchange throws.
 */
export async function fillsOf(
  exchange: Pick<Exchange, 'userTrades'>,
  order: Pick<ExchangeOrder, 'orderId' | 'symbol' | 'executedQty' | 'timeMs'>,
): Promise<ExchangeTrade[]> {
  if (!(order.executedQty > 0)) return [];
  const fills: ExchangeTrade[] = [];
  const seen = new Set<string>();
  let from = order.timeMs - FILL_LOOKBACK_MS;
  let filled = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const batch = await exchange.userTrades(order.symbol, from, PAGE);
    for (const t of batch) {
      if (t.orderId !== order.orderId || seen.has(t.id)) continue;
      seen.add(t.id);
      fills.push(t);
      filled += t.quantity;
    }
    // Covered (within float dust) or no more pages: done.
    if (filled >= order.executedQty * (1 - 1e-9) || batch.length < PAGE) break;
    const last = batch[batch.length - 1]!.timeMs;
    if (last <= from) break; // a page of one millisecond: nothing newer to ask for
    from = last;
  }
  return fills;
}
