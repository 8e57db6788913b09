// Protective stops that live on the exchange: every open position carries one STOP_MARKET
// Close-All order on the opposite side, triggered by the mark price at the stop-loss price, so the
// account stays protected while the worker is down, partitioned or halted. Pure: the exchange's
// positions and open orders in, what to cancel and what to place out.
import type { ExchangeOrder, PlaceOrderRequest } from '../../ports/exchange.ts';

/** Client order ids of protective stops start with this (Aster allows 36 characters of [.A-Za-z0-9:/_-]). */
export const STOP_ID_PREFIX = 'ais-sl-';

export const isProtectiveStop = (o: Pick<ExchangeOrder, 'clientOrderId' | 'type'>): boolean =>
  o.type === 'STOP_MARKET' && o.clientOrderId.startsWith(STOP_ID_PREFIX);

export interface StopPosition {
  symbol: string;
  /** Signed quantity: positive long, negative short. */
  quantity: number;
  /** Average entry price (USD). */
  entryPrice: number;
}

/**
 * The stop price of a position: `stopLoss` (a fraction, 0.03 = 3 %) below the entry for a long,
 * above it for a short, rounded by `round` (to the symbol's tick, away from the entry: a stop never
 * sits closer than the configured loss).
 */
export function stopPriceFor(p: StopPosition, stopLoss: number): number {
  return p.quantity > 0 ? p.entryPrice * (1 - stopLoss) : p.entryPrice * (1 + stopLoss);
}

export interface StopPlanInput {
  positions: readonly StopPosition[];
  /** Open orders of the traded symbols, any kind: only protective stops are looked at. */
  openOrders: readonly ExchangeOrder[];
  stopLoss: number;
  /** The stop price as the exchange accepts it (the symbol's tick); identity when unknown. */
  roundStopPrice: (symbol: string, side: 'BUY' | 'SELL', price: number) => number;
  /** A fresh client order id for a new stop of `symbol`. */
  newId: (symbol: string) => string;
}

export interface StopPlan {
  /** Stops that no longer match a position (flat, side flipped, entry moved). */
  cancel: ExchangeOrder[];
  /** New STOP_MARKET Close-All orders. */
  place: PlaceOrderRequest[];
  /** The stop each position should carry, by symbol (kept or to be placed). */
  wanted: Map<string, { side: 'BUY' | 'SELL'; stopPrice: number }>;
}

/** Two prices within a billionth of each other are the same stop (float noise, not a move). */
const samePrice = (a: number, b: number) =>
  Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

export function planStops(i: StopPlanInput): StopPlan {
  const wanted = new Map<string, { side: 'BUY' | 'SELL'; stopPrice: number }>();
  if (i.stopLoss > 0) {
    for (const p of i.positions) {
      if (p.quantity === 0 || !(p.entryPrice > 0)) continue;
      const side = p.quantity > 0 ? 'SELL' : 'BUY';
      wanted.set(p.symbol, {
        side,
        stopPrice: i.roundStopPrice(p.symbol, side, stopPriceFor(p, i.stopLoss)),
      });
    }
  }
  const cancel: ExchangeOrder[] = [];
  const covered = new Set<string>();
  for (const o of i.openOrders) {
    if (!isProtectiveStop(o)) continue;
    const w = wanted.get(o.symbol);
    const keep =
      w &&
      !covered.has(o.symbol) &&
      o.side === w.side &&
      o.closePosition === true &&
      samePrice(o.stopPrice ?? 0, w.stopPrice);
    if (keep) covered.add(o.symbol);
    else cancel.push(o);
  }
  const place: PlaceOrderRequest[] = [];
  for (const [symbol, w] of wanted) {
    if (covered.has(symbol)) continue;
    place.push({
      clientOrderId: i.newId(symbol),
      symbol,
      side: w.side,
      type: 'STOP_MARKET',
      quantity: 0,
      stopPrice: w.stopPrice,
      closePosition: true,
    });
  }
  return { cancel, place, wanted };
}
