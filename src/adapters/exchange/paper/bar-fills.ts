// What a new bar does to a resting order on the paper exchange: a STOP_MARKET whose trigger the
// mark reached executes at market for what it may close; a LIMIT the bar traded through fills at
// its price as a maker.
import type { ExchangeOrder, ExchangeTrade } from '../../../ports/exchange.ts';
import type { MarketFeed, PaperLedger } from './paper-ledger.ts';

/**
 * A resting stop whose trigger the mark has reached executes at market for what it may close:
 * the whole position on its side (Close-All) or, reduce-only, at most the position. With nothing
 * to close it expires.
 */
function triggerStop(
  ledger: PaperLedger,
  order: ExchangeOrder,
  price: number,
): ExchangeTrade | undefined {
  const held = ledger.account().positions[order.symbol]?.quantity ?? 0;
  const closable = order.side === 'SELL' ? Math.max(held, 0) : Math.max(-held, 0);
  const quantity = order.closePosition
    ? closable
    : order.reduceOnly
      ? Math.min(order.quantity, closable)
      : order.quantity;
  if (!(quantity > 0)) {
    order.status = 'EXPIRED';
    return undefined;
  }
  order.quantity = quantity;
  return ledger.fillAtMarket(order, price);
}

/** One resting order on a new bar: a stop at the mark, a limit the bar traded through; else none. */
export function tradeOnBar(ledger: PaperLedger, market: MarketFeed, order: ExchangeOrder) {
  if (order.type === 'STOP_MARKET') {
    // Triggered by the mark (the feed's current price), as with workingType=MARK_PRICE.
    const price = market.price(order.symbol);
    if (
      price === undefined ||
      (order.side === 'SELL' ? price > order.stopPrice! : price < order.stopPrice!)
    )
      return { done: false };
    return { done: true, trade: triggerStop(ledger, order, price) };
  }
  const bar = market.candles(order.symbol, 1)[0];
  if (!bar) return { done: false };
  const crosses = order.side === 'BUY' ? bar.low <= order.price : bar.high >= order.price;
  return crosses
    ? { done: true, trade: ledger.fill(order, order.price, ledger.makerFee) }
    : { done: false };
}
