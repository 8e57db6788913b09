// The executor: the only path from an approved order to the exchange. The order gate refuses any
// order without a valid risk token for its own id; the exchange gets the order id as its client
// order id (so a retry never doubles it); fills are read back from the exchange's trades (exact
// prices and fees, read by the order's exchange id from its exchange timestamp: fills.ts) and booked
// into the internal portfolio. Every step is an event. An order whose
// outcome an outage left open stays in flight (in-flight.ts) until resolveInFlight learns it.
import {
  type Exchange,
  type ExchangeError,
  type ExchangeOrder,
  type ExchangeTrade,
  isExchangeError,
} from '../../ports/exchange.ts';
import { withExchangePosition } from '../portfolio/portfolio.ts';
import { gateOrders } from '../risk/order-gate.ts';
import { createFillBooking, fillEventOf, orderEvent } from './fill-booking.ts';
import { fillsOf } from './fills.ts';
import type { ApprovedOrder, Execution, Executor, ExecutorOptions } from './executor-types.ts';
import {
  DEFAULT_HOLD,
  hold,
  type HoldOptions,
  holdOf,
  intentOf,
  type OrderContext,
  type RefusalHolds,
  waitsFor,
} from './refusal-hold.ts';
import { classifyRefusal, OrderRefusal } from './refusals.ts';
import type { InFlightOrder } from './in-flight.ts';

export type { ApprovedOrder, Execution, Executor, ExecutorOptions };

/** The executor over its exchange, book and store (see the calls on Executor). */
export function createExecutor(options: ExecutorOptions): Executor {
  const o = { ...options, ...options.clock, ...options.orders, ...options.policy };
  const abandonAfterMs = o.abandonAfterMs ?? 60_000;
  const holdOptions: HoldOptions = { ...DEFAULT_HOLD, ...o.hold };
  let holds: RefusalHolds = new Map();
  const booking = createFillBooking(o.book, o.metrics, o.exchange.name === 'paper');
  const bookOnce = booking.bookOnce;
  /** Exchange order ids placed here. */
  const ownOrderIds = new Set<string>();
  const fillEvent = (f: ExchangeTrade, orderId: string | undefined, extra = {}) =>
    fillEventOf(o.exchange.name, f, orderId, extra);

  /** What the order depends on, from the worker's book. */
  const contextOf = (order: ApprovedOrder): OrderContext => ({
    walletUsd: o.book.get().cashUsd,
    positionQty: o.book.get().positions[order.symbol]?.quantity ?? 0,
    price: order.price,
    rulesVersion: o.rulesOf ? JSON.stringify(o.rulesOf(order.symbol) ?? null) : undefined,
  });

  /**
   * -2022 and friends: the position this order reduces is gone on the exchange. The book takes the
   * exchange's position for that symbol at once (the next cycle does not size against a phantom);
   * cash is left as it is, so reconciliation still judges how the position went.
   */
  async function refreshPosition(symbol: string): Promise<void> {
    const theirs = (await o.exchange.positions()).find((p) => p.symbol === symbol);
    o.book.update((p) => withExchangePosition(p, symbol, theirs));
  }

  /**
   * Books an order the exchange answered for: its fills into the book, then the order and fill
   * events, and takes it out of flight. When its fills cannot be read it stays in flight (booked
   * later by resolveInFlight, never twice: nothing was booked yet).
   */
  async function record(
    order: Pick<ApprovedOrder, 'orderId' | 'symbol' | 'side' | 'quantity' | 'agentId'>,
    placed: ExchangeOrder,
  ): Promise<Execution> {
    const fills = await fillsOf(o.exchange, placed);
    o.ourOrders.add(placed.orderId);
    ownOrderIds.add(placed.orderId);
    // A fill the user-data stream booked already is not booked again.
    const fresh = fills.filter(bookOnce);
    o.inFlight.remove(order.orderId);
    if (fresh.length) o.onBooked?.(order.symbol);
    await o.store.appendBatch([
      orderEvent(order, placed),
      ...fresh.map((f) => fillEvent(f, order.orderId)),
    ]);
    return { order: placed, fills };
  }

  const place = gateOrders(
    async (order: ApprovedOrder): Promise<Execution> => {
      const sentMs = o.monoMs(); // the hold and the give-up time intervals: monotonic
      const context = contextOf(order);
      const key = {
        symbol: order.symbol,
        side: order.side,
        intent: intentOf(order.side, context.positionQty),
      };
      const held = holdOf(holds, key, context, sentMs, holdOptions);
      if (held) {
        o.metrics.orderHeld(held.refusal.reason);
        throw new OrderRefusal(held.refusal, true, waitsFor(held, holdOptions));
      }
      o.metrics.orderSubmitted(order.symbol, order.side);
      o.inFlight.add({
        clientOrderId: order.orderId,
        symbol: order.symbol,
        side: order.side,
        quantity: order.quantity,
        sentMs,
        agentId: order.agentId,
      });
      let placed: ExchangeOrder;
      try {
        placed = await o.exchange.placeOrder({
          clientOrderId: order.orderId,
          symbol: order.symbol,
          side: order.side,
          type: 'MARKET',
          quantity: order.quantity,
          reduceOnly: order.reduceOnly,
        });
      } catch (e) {
        // An outage leaves the outcome open: the order stays in flight until resolveInFlight knows.
        if (isExchangeError(e) && e.isOutage) o.inFlight.setBusy(order.orderId, false);
        else o.inFlight.remove(order.orderId);
        const refusal = classifyRefusal(e);
        if (!refusal) throw e;
        holds = hold(holds, key, refusal, context, sentMs, holdOptions);
        o.onRefused?.(order.symbol, refusal);
        if (refusal.reason === 'position_gone')
          await refreshPosition(order.symbol).catch(() => undefined); // reconciliation reads it again anyway
        throw new OrderRefusal(refusal, false, undefined, { cause: e as ExchangeError });
      }
      try {
        return await record(order, placed);
      } finally {
        o.inFlight.setBusy(order.orderId, false);
      }
    },
    o.tokens,
    o.nowMs,
  );

  async function resolveOne(f: InFlightOrder): Promise<void> {
    o.inFlight.setBusy(f.clientOrderId, true);
    try {
      const found = await o.exchange.getOrder(f.symbol, f.clientOrderId);
      if (found)
        await record(
          {
            orderId: f.clientOrderId,
            symbol: f.symbol,
            side: f.side,
            quantity: f.quantity,
            agentId: f.agentId,
          },
          found,
        );
      else if (o.monoMs() - f.sentMs > abandonAfterMs) o.inFlight.remove(f.clientOrderId);
    } catch {
      // The exchange could not be asked: the order stays in flight for the next call.
    } finally {
      o.inFlight.setBusy(f.clientOrderId, false);
    }
  }

  return {
    execute: place,
    adopt: (found) =>
      record(
        {
          orderId: found.clientOrderId,
          symbol: found.symbol,
          side: found.side,
          quantity: found.executedQty,
        },
        found,
      ),
    async bookFill(fill, origin) {
      if (!bookOnce(fill)) return false;
      o.onBooked?.(fill.symbol);
      await o.store.append(
        fillEvent(fill, fill.clientOrderId, {
          source: 'stream',
          ...(origin ? { foreign: origin } : {}),
        }),
      );
      return true;
    },
    isBooked: booking.isBooked,
    isOwn: (clientOrderId, orderId) =>
      o.inFlight.get(clientOrderId) !== undefined || ownOrderIds.has(orderId),
    async resolveInFlight() {
      await Promise.all(
        o.inFlight
          .list()
          .filter((f) => !f.busy)
          .map(resolveOne),
      );
      return o.inFlight.size;
    },
  };
}
