// Booking fills once: each trade id goes into the internal book at most once, whichever path
// learned it first (the order's answer, the user-data stream, a look-up), and the `order` and
// `fill` events as the executor stores them.
import { EventType } from '../../ports/event-store.ts';
import type { ExchangeOrder, ExchangeTrade } from '../../ports/exchange.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { OrderIntent } from '../order-intent.ts';
import type { PortfolioBook } from '../portfolio/book.ts';
import { applyFill } from '../portfolio/portfolio.ts';

/** Trade ids remembered for de-duplication: the newest this many (a day of heavy trading). */
const BOOKED_TRADES_KEPT = 50_000;

/** The `fill` event of a trade; `extra` adds keys (source, foreign). */
export function fillEventOf(
  exchange: string,
  f: ExchangeTrade,
  orderId: string | undefined,
  extra: Record<string, unknown> = {},
) {
  return {
    type: EventType.fill,
    stream: f.symbol,
    payload: {
      order_id: orderId ?? null,
      exchange_order_id: f.orderId,
      trade_id: f.id,
      symbol: f.symbol,
      side: f.side,
      quantity: f.quantity,
      price: f.price,
      fee_usd: f.feeUsd,
      exchange,
      // A commission in another asset (BNB, ASTER), recorded as the exchange reported it, not converted.
      ...(f.foreignFee ? { fee_asset: f.foreignFee.asset, fee_amount: f.foreignFee.amount } : {}),
      ...extra,
    },
  };
}

/** The `order` event of an order the exchange answered for. */
export function orderEvent(
  order: Pick<OrderIntent, 'orderId' | 'symbol' | 'side' | 'quantity' | 'agentId'>,
  placed: ExchangeOrder,
) {
  return {
    type: EventType.order,
    stream: order.symbol,
    payload: {
      order_id: order.orderId,
      exchange_order_id: placed.orderId,
      symbol: order.symbol,
      side: order.side,
      quantity: order.quantity,
      status: placed.status,
      agent_id: order.agentId ?? null,
    },
  };
}

/** The book fills go into, once per trade id (the newest BOOKED_TRADES_KEPT ids remembered). */
export function createFillBooking(book: PortfolioBook, metrics: Metrics, paper: boolean) {
  /** Trade ids booked, oldest first (a Set keeps insertion order). */
  const booked = new Set<string>();
  const markBooked = (tradeId: string) => {
    booked.add(tradeId);
    if (booked.size > BOOKED_TRADES_KEPT) booked.delete(booked.values().next().value!);
  };
  return {
    /** Into the book, once per trade id; false when it was booked already. */
    bookOnce(f: ExchangeTrade): boolean {
      if (booked.has(f.id)) return false;
      markBooked(f.id);
      book.update((p) =>
        applyFill(p, {
          symbol: f.symbol,
          side: f.side,
          quantity: f.quantity,
          price: f.price,
          feeUsd: f.feeUsd,
        }),
      );
      metrics.orderFilled(f.symbol, f.side, paper);
      return true;
    },
    isBooked: (tradeId: string) => booked.has(tradeId),
  };
}
