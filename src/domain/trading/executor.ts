// The executor: the only path from an approved order to the exchange. The order gate refuses any
// order without a valid risk token for its own id; the exchange gets the order id as its client
// order id (so a retry never doubles it); fills are read back from the exchange's trades (exact
// prices and fees, read by the order's exchange id from its exchange timestamp: fills.ts) and booked
// into the internal portfolio. Every step is an event. An order whose
// outcome an outage left open stays in flight (in-flight.ts) until resolveInFlight learns it.
import type { EventStore } from '../../ports/event-store.ts';
import { EventType } from '../../ports/event-store.ts';
import {
  type Exchange,
  type ExchangeError,
  type ExchangeOrder,
  type ExchangeTrade,
  isExchangeError,
} from '../../ports/exchange.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { OrderIntent } from '../order-intent.ts';
import type { RiskTokenVerifier } from '../../ports/risk-tokens.ts';
import type { PortfolioBook } from '../portfolio/book.ts';
import { applyFill, withExchangePosition } from '../portfolio/portfolio.ts';
import type { SentOrderIndex } from '../reconciliation/sent-orders.ts';
import { gateOrders } from '../risk/order-gate.ts';
import { fillsOf } from './fills.ts';
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
import { classifyRefusal, OrderRefusal, type Refusal } from './refusals.ts';
import type { InFlightOrder, InFlightOrders } from './in-flight.ts';
import type { FillOrigin } from '../../ports/user-stream.ts';

/**
 * An order intent with the risk token its approval carried. The token is optional in the type
 * only so that the gate itself refuses an order without one (OrderRefusedError `missing_token`).
 */
export type ApprovedOrder = OrderIntent & { riskToken?: string };

export interface Execution {
  order: ExchangeOrder;
  fills: ExchangeTrade[];
}

export interface ExecutorOptions {
  exchange: Exchange;
  tokens: RiskTokenVerifier;
  book: PortfolioBook;
  store: EventStore;
  metrics: Metrics;
  nowMs: () => number;
  /** Remembers the exchange order ids we caused (reconciliation flags any other trade). */
  ourOrders: Pick<SentOrderIndex, 'add'>;
  /** Orders whose outcome is not known yet; the executor adds, resolves and removes them. */
  inFlight: InFlightOrders;
  /**
   * How long after its first send an order the exchange does not know is given up as never placed
   * (ms). Past the exchange's window (V1 recvWindow 5 s, V3 nonce window 10 s: API docs) the first
   * request can no longer execute. Default 60 s.
   */
  abandonAfterMs?: number;
  /** When a refused order may be sent again (refusal-hold.ts); default DEFAULT_HOLD. */
  hold?: Partial<HoldOptions>;
  /** The exchange's rules of a symbol as last read (any JSON-able value; a change releases the symbol's held orders); absent when the worker does not read rules. */
  rulesOf?: (symbol: string) => unknown;
  /** Called after an order's fills are booked (e.g. to bring the protective stops in line). */
  onBooked?: (symbol: string) => void;
  /** Called with every refusal of an order sent (settings_changed: read the account's settings again). */
  onRefused?: (symbol: string, refusal: Refusal) => void;
}

export interface Executor {
  execute(order: ApprovedOrder): Promise<Execution>;
  /**
   * Looks up every order in flight that no send is working on: one the exchange has is booked
   * (order and fill events, the book, our order ids) and forgotten; one it does not know past
   * `abandonAfterMs` is forgotten as never placed; a failed look-up keeps it for the next call.
   * Resolves with the number still in flight; never rejects.
   */
  resolveInFlight(): Promise<number>;
  /**
   * Books an order of ours that executed outside `execute` (a protective stop the exchange
   * triggered): its fills into the book, `order` and `fill` events. The caller books each order once.
   */
  adopt(order: ExchangeOrder): Promise<Execution>;
  /**
   * Books one fill learned outside an order's own answer (the user-data stream, a REST catch-up)
   * exactly once: a trade id already booked, by any path, is skipped (resolves false). `origin`
   * marks a fill of an order the worker did not send (liquidation, ADL, another trade on the
   * account): booked all the same, so the book follows the account, and its `fill` event says so.
   */
  bookFill(fill: ExchangeTrade & { clientOrderId?: string }, origin?: FillOrigin): Promise<boolean>;
  /** True once a trade id was booked, by any path. */
  isBooked(tradeId: string): boolean;
  /** True for an order this process sent: in flight (by client order id) or placed (by exchange order id). */
  isOwn(clientOrderId: string, orderId: string): boolean;
}

/** Trade ids remembered for de-duplication: the newest this many (a day of heavy trading). */
const BOOKED_TRADES_KEPT = 50_000;

export function createExecutor(o: ExecutorOptions): Executor {
  const paper = o.exchange.name === 'paper';
  const abandonAfterMs = o.abandonAfterMs ?? 60_000;
  const holdOptions: HoldOptions = { ...DEFAULT_HOLD, ...o.hold };
  let holds: RefusalHolds = new Map();
  /** Trade ids booked, oldest first (a Set keeps insertion order), and exchange order ids placed here. */
  const booked = new Set<string>();
  const ownOrderIds = new Set<string>();
  const markBooked = (tradeId: string) => {
    booked.add(tradeId);
    if (booked.size > BOOKED_TRADES_KEPT) booked.delete(booked.values().next().value!);
  };
  const fillEvent = (
    f: ExchangeTrade,
    orderId: string | undefined,
    extra: Record<string, unknown> = {},
  ) => ({
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
      exchange: o.exchange.name,
      // A commission in another asset (BNB, ASTER), recorded as the exchange reported it, not converted.
      ...(f.foreignFee ? { fee_asset: f.foreignFee.asset, fee_amount: f.foreignFee.amount } : {}),
      ...extra,
    },
  });
  /** Into the book, once per trade id; false when it was booked already. */
  const bookOnce = (f: ExchangeTrade): boolean => {
    if (booked.has(f.id)) return false;
    markBooked(f.id);
    o.book.update((p) =>
      applyFill(p, {
        symbol: f.symbol,
        side: f.side,
        quantity: f.quantity,
        price: f.price,
        feeUsd: f.feeUsd,
      }),
    );
    o.metrics.orderFilled(f.symbol, f.side, paper);
    return true;
  };

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
      {
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
      },
      ...fresh.map((f) => fillEvent(f, order.orderId)),
    ]);
    return { order: placed, fills };
  }

  const place = gateOrders(
    async (order: ApprovedOrder): Promise<Execution> => {
      const sentMs = o.nowMs();
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
      else if (o.nowMs() - f.sentMs > abandonAfterMs) o.inFlight.remove(f.clientOrderId);
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
    isBooked: (tradeId) => booked.has(tradeId),
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
