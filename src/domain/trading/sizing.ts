// Turns the arbitration's selection into an order: move the symbol's position toward a target
// weight of NAV (size hint x confidence), in the selected direction. Small moves are not worth an
// order (fees), and a signal never flips a position in one step beyond its target. The order then
// fits the exchange's symbol rules: the quantity rounded down to the step (MARKET_LOT_SIZE and
// LOT_SIZE: the worker sends MARKET orders), the price to the tick; one that cannot meet the
// minimum quantity or notional is not sent but returned as a skip with its reason.
import {
  minQuantity,
  roundPrice,
  roundQuantityDown,
  type SymbolRules,
} from '../market/symbol-rules.ts';
import { takesClosingOrders } from '../market/symbol-status.ts';
import type { OrderIntent } from '../order-intent.ts';
import type { Selection } from './arbitration.ts';

export interface SizingInput {
  selection: Selection;
  navUsd: number;
  price: number;
  /** Current signed quantity of the selected symbol. */
  positionQty: number;
  /** The symbol's exchange rules; undefined when the exchange does not list it. */
  rules: SymbolRules | undefined;
  /** Moves below this notional are not worth an order (default 10 USD). */
  minNotionalUsd?: number;
}

/**
 * An order intent before it has an id: `price` is the reference on the symbol's tick (a BUY rounds
 * down, a SELL up); `targetQty` the signed position after the order.
 */
export type PlannedOrder = Pick<OrderIntent, 'symbol' | 'side' | 'quantity' | 'price'> & {
  targetQty: number;
};

/** Why an order the strategy wanted was not sent (the bounded `reason` of ais_orders_skipped_total). */
export const SKIP_REASONS = [
  'symbol_unknown',
  'symbol_not_trading',
  'min_qty',
  'min_notional',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export interface SkippedOrder {
  skipped: SkipReason;
  symbol: string;
  side: 'BUY' | 'SELL';
  /** The quantity wanted (before rounding) and what the rule asks for. */
  quantity: number;
  notionalUsd: number;
  bound: number | string;
}

/**
 * `quantity` of `symbol` fitted to its rules: rounded down to the step, the price to the tick.
 * A skip when the exchange would refuse it (unknown or halted symbol, below the minimum quantity,
 * or, unless it only reduces a position, below the minimum notional).
 */
export function fitOrder(
  rules: SymbolRules | undefined,
  symbol: string,
  side: 'BUY' | 'SELL',
  quantity: number,
  price: number,
  reduceOnly = false,
): { quantity: number; price: number } | SkippedOrder {
  const skip = (skipped: SkipReason, bound: number | string): SkippedOrder => ({
    skipped,
    symbol,
    side,
    quantity,
    notionalUsd: quantity * price,
    bound,
  });
  if (!rules) return skip('symbol_unknown', 'listed');
  // A closing order still passes while the symbol settles (a delisting's wind-down).
  if (rules.status !== 'TRADING' && !(reduceOnly && takesClosingOrders(rules.status)))
    return skip('symbol_not_trading', rules.status);
  const q = roundQuantityDown(rules, quantity);
  if (!(q > 0)) return skip('min_qty', minQuantity(rules));
  const p = roundPrice(rules, price, side);
  // A MARKET order's notional is taken at the mark (≈ price): the lower of the two keeps it safe.
  if (!reduceOnly && q * Math.min(p, price) < rules.minNotional)
    return skip('min_notional', rules.minNotional);
  return { quantity: q, price: p };
}

export const isSkip = (x: object | undefined): x is SkippedOrder =>
  x !== undefined && 'skipped' in x;

/** The order that moves the position to its target; a skip when the exchange's rules forbid it; undefined when nothing is worth doing. */
export function planOrder(i: SizingInput): PlannedOrder | SkippedOrder | undefined {
  const { selection, navUsd, price, positionQty } = i;
  if (!(navUsd > 0 && price > 0 && Number.isFinite(navUsd) && Number.isFinite(price)))
    return undefined;
  const weight = selection.sizeHint * selection.confidence;
  const targetQty = ((selection.direction === 'LONG' ? 1 : -1) * weight * navUsd) / price;
  const raw = targetQty - positionQty;
  // Only trade toward the selected direction: a LONG signal never sells, a SHORT never buys.
  if ((selection.direction === 'LONG' && raw <= 0) || (selection.direction === 'SHORT' && raw >= 0))
    return undefined;
  const floorUsd = i.minNotionalUsd ?? 10;
  if (Math.abs(raw) * price < floorUsd) return undefined;
  const side = raw > 0 ? 'BUY' : 'SELL';
  const fitted = fitOrder(i.rules, selection.symbol, side, Math.abs(raw), price);
  if (isSkip(fitted)) return fitted;
  // Rounding down to the step may leave a move no longer worth its fee.
  if (fitted.quantity * fitted.price < floorUsd) return undefined;
  return {
    symbol: selection.symbol,
    side,
    quantity: fitted.quantity,
    price: fitted.price,
    targetQty,
  };
}
