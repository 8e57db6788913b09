// Keeps the protective stops on the exchange in line with the positions (protective-stops.ts):
// places a missing one, moves one whose position changed (cancel and place), cancels one whose
// position is gone, and books a stop the exchange executed (its fills, as the executor books any
// order of ours). Each placed stop is an `order` event, so reconciliation and every worker sharing
// the store know it as ours. Runs after fills, after every reconciliation, at start-up and on a
// timer (the caller decides); one sync at a time.
import { EventType, type EventStore } from '../../ports/event-store.ts';
import {
  type Exchange,
  type ExchangeOrder,
  isExchangeError,
  type PlaceOrderRequest,
} from '../../ports/exchange.ts';
import type { LogPort } from '../../ports/log.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { SentOrderIndex } from '../reconciliation/sent-orders.ts';
import type { Executor } from './executor.ts';
import { isProtectiveStop, planStops, STOP_ID_PREFIX } from './protective-stops.ts';
import { messageOf } from '../error-message.mjs';

export interface ProtectiveStop {
  symbol: string;
  side: 'BUY' | 'SELL';
  /** The trigger, in USD, compared with the mark price. */
  stopPrice: number;
  clientOrderId: string;
  orderId: string;
}

export interface StopSyncResult {
  placed: number;
  cancelled: number;
  /** Stops the exchange executed since the last sync (booked). */
  executed: number;
  /** Places and cancels that failed (the next sync tries again). */
  failed: number;
}

export interface StopKeeper {
  /** Brings the stops in line now; resolves with what it did. Rejects only when positions or open orders cannot be read. */
  sync(): Promise<StopSyncResult>;
  /** The stops on the exchange after the last sync, by symbol. */
  stops(): ReadonlyMap<string, ProtectiveStop>;
  /** True for the client order id of a stop this keeper placed or keeps. */
  owns(clientOrderId: string): boolean;
}

/** What the stops are: their distance from the entry, their price grid, their ids. */
export interface StopSettings {
  /** Loss from the entry at which a position is closed, a fraction (AIS_STOP_LOSS). */
  stopLoss: number;
  /** The exchange's price rules for a stop price (tick size); identity by default. */
  roundStopPrice?: (symbol: string, side: 'BUY' | 'SELL', price: number) => number;
  /** Makes client order ids unique across processes (e.g. the start time in base 36). */
  idTag: string;
}

export interface StopKeeperOptions {
  exchange: Pick<
    Exchange,
    'name' | 'positions' | 'openOrders' | 'placeOrder' | 'cancelOrder' | 'getOrder'
  >;
  /** Symbols traded (those with a position or a stop are always added). */
  symbols: () => readonly string[];
  stops: StopSettings;
  executor: Pick<Executor, 'adopt'>;
  ourOrders: Pick<SentOrderIndex, 'add'>;
  store: EventStore;
  metrics: Pick<Metrics, 'protectiveStop' | 'stopLoss'>;
  log: LogPort;
  nowMs: () => number;
}

export function createStopKeeper(options: StopKeeperOptions): StopKeeper {
  const o = { ...options, ...options.stops };
  let known = new Map<string, ProtectiveStop>();
  let seq = 0;
  // One sync runs; at most one more waits behind it (a call during a run may follow a new fill, so
  // it must not just join the run that read the positions before it).
  let queue: Promise<unknown> = Promise.resolve();
  let waiting: Promise<StopSyncResult> | undefined;
  const round = o.roundStopPrice ?? ((_s: string, _side: string, p: number) => p);

  async function openOrdersOf(symbols: readonly string[]): Promise<ExchangeOrder[]> {
    return (await Promise.all(symbols.map((s) => o.exchange.openOrders(s)))).flat();
  }

  /** A known stop that is no longer open: executed (book it) or cancelled/expired (forget it). */
  async function settleGone(stop: ProtectiveStop): Promise<boolean> {
    const found = await o.exchange.getOrder(stop.symbol, stop.clientOrderId);
    if (!found || !(found.executedQty > 0)) return false;
    await o.executor.adopt(found);
    // A stop-loss that fired on the exchange counts as one (ais_stop_loss_triggers_total).
    o.metrics.stopLoss(stop.symbol);
    o.log.warn(
      {
        symbol: stop.symbol,
        side: stop.side,
        stop_price: stop.stopPrice,
        quantity: found.executedQty,
        avg_price: found.avgPrice,
      },
      'Protective stop executed on the exchange',
    );
    return true;
  }

  /** Stops we knew that left the book: executed ones are booked; a failed look-up keeps one for next time. */
  async function settleKnown(openIds: Set<string>, result: StopSyncResult): Promise<void> {
    for (const stop of known.values()) {
      if (openIds.has(stop.clientOrderId)) continue;
      try {
        if (await settleGone(stop)) result.executed++;
      } catch (e) {
        result.failed++;
        o.log.error(
          { symbol: stop.symbol, err: e },
          'Could not read a protective stop that left the book',
        );
        continue; // kept in `known`: looked up again next time
      }
      known.delete(stop.symbol);
    }
  }

  /** Cancels the stops the plan replaces; -2011 (already gone) is settled by the next sync. */
  async function cancelOutdated(cancel: readonly ExchangeOrder[], result: StopSyncResult) {
    for (const x of cancel) {
      try {
        await o.exchange.cancelOrder(x.symbol, x.clientOrderId);
        result.cancelled++;
      } catch (e) {
        // -2011: already gone (executed or cancelled meanwhile); the next sync settles it.
        if (!(isExchangeError(e) && e.details.code === -2011)) {
          result.failed++;
          o.log.error(
            { symbol: x.symbol, client_order_id: x.clientOrderId, err: e },
            'Could not cancel an outdated protective stop',
          );
        }
      }
    }
  }

  /** Places the stops the plan adds, each recorded as an `order` event and kept in `next`. */
  async function placeNew(
    place: readonly PlaceOrderRequest[],
    next: Map<string, ProtectiveStop>,
    result: StopSyncResult,
  ) {
    for (const req of place) {
      try {
        const placed = await o.exchange.placeOrder(req);
        o.ourOrders.add(placed.orderId);
        next.set(req.symbol, {
          symbol: req.symbol,
          side: req.side,
          stopPrice: req.stopPrice!,
          clientOrderId: req.clientOrderId,
          orderId: placed.orderId,
        });
        await o.store.append({
          type: EventType.order,
          stream: req.symbol,
          payload: {
            order_id: req.clientOrderId,
            exchange_order_id: placed.orderId,
            symbol: req.symbol,
            side: req.side,
            type: 'STOP_MARKET',
            stop_price: req.stopPrice,
            close_position: true,
            status: placed.status,
            agent_id: 'protective_stop',
          },
        });
        result.placed++;
      } catch (e) {
        result.failed++;
        // -2021: the mark is already past the stop; the loop's stop-loss closes such a position.
        o.log.error(
          { symbol: req.symbol, side: req.side, stop_price: req.stopPrice, err: e },
          'Could not place a protective stop',
        );
      }
    }
  }

  async function syncOnce(): Promise<StopSyncResult> {
    const result: StopSyncResult = { placed: 0, cancelled: 0, executed: 0, failed: 0 };
    const positions = await o.exchange.positions();
    const symbols = new Set([...o.symbols(), ...positions.map((p) => p.symbol), ...known.keys()]);
    const open = await openOrdersOf([...symbols]);
    await settleKnown(new Set(open.map((x) => x.clientOrderId)), result);
    // Positions as they are after any stop above executed.
    const current = result.executed ? await o.exchange.positions() : positions;
    const plan = planStops({
      positions: current.map((p) => ({
        symbol: p.symbol,
        quantity: p.quantity,
        entryPrice: p.entryPrice,
      })),
      openOrders: open,
      stopLoss: o.stopLoss,
      roundStopPrice: round,
      newId: (symbol) =>
        `${STOP_ID_PREFIX}${o.idTag}-${(seq++).toString(36)}-${symbol}`.slice(0, 36),
    });
    const next = new Map<string, ProtectiveStop>();
    for (const x of open) {
      if (isProtectiveStop(x) && !plan.cancel.includes(x))
        next.set(x.symbol, {
          symbol: x.symbol,
          side: x.side,
          stopPrice: x.stopPrice ?? 0,
          clientOrderId: x.clientOrderId,
          orderId: x.orderId,
        });
    }
    await cancelOutdated(plan.cancel, result);
    await placeNew(plan.place, next, result);
    for (const s of new Set([...known.keys(), ...next.keys()]))
      o.metrics.protectiveStop(s, next.get(s)?.stopPrice);
    known = next;
    if (result.placed || result.cancelled || result.executed || result.failed)
      o.log.info({ ...result, stops: next.size }, 'Protective stops synced');
    return result;
  }

  return {
    sync() {
      if (waiting) return waiting;
      const next = queue.then(() => {
        waiting = undefined;
        return syncOnce();
      });
      waiting = next;
      queue = next.catch(() => undefined);
      return next;
    },
    stops: () => known,
    owns: (id) =>
      id.startsWith(`${STOP_ID_PREFIX}${o.idTag}-`) ||
      [...known.values()].some((s) => s.clientOrderId === id),
  };
}
