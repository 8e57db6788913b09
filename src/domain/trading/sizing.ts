// Turns the arbitration's selection into an order: move the symbol's position toward a target
// weight of NAV (size hint x confidence), in the selected direction. Small moves are not worth an
// order (fees), and a signal never flips a position in one step beyond its target.
import type { Selection } from './arbitration.ts';

export interface SizingInput {
  selection: Selection;
  navUsd: number;
  price: number;
  /** Current signed quantity of the selected symbol. */
  positionQty: number;
  /** Orders below this notional are skipped (default 10 USD). */
  minNotionalUsd?: number;
  /** Quantity step of the symbol (exchange lot size); default 0.001. */
  qtyStep?: number;
}

export interface PlannedOrder {
  symbol: string;
  side: 'BUY' | 'SELL';
  quantity: number;
  price: number;
  /** Signed target quantity after the order. */
  targetQty: number;
}

/** The order that moves the position to its target, or undefined when there is nothing worth doing. */
export function planOrder(i: SizingInput): PlannedOrder | undefined {
  const { selection, navUsd, price, positionQty } = i;
  if (!(navUsd > 0 && price > 0 && Number.isFinite(navUsd) && Number.isFinite(price))) return undefined;
  const step = i.qtyStep ?? 0.001;
  const weight = selection.sizeHint * selection.confidence;
  const targetQty = ((selection.direction === 'LONG' ? 1 : -1) * weight * navUsd) / price;
  const raw = targetQty - positionQty;
  // Only trade toward the selected direction: a LONG signal never sells, a SHORT never buys.
  if ((selection.direction === 'LONG' && raw <= 0) || (selection.direction === 'SHORT' && raw >= 0)) return undefined;
  const quantity = Math.floor(Math.abs(raw) / step) * step;
  if (!(quantity > 0) || quantity * price < (i.minNotionalUsd ?? 10)) return undefined;
  return {
    symbol: selection.symbol,
    side: raw > 0 ? 'BUY' : 'SELL',
    quantity: Number(quantity.toFixed(decimals(step))),
    price,
    targetQty,
  };
}

const decimals = (step: number) => Math.max(0, Math.ceil(-Math.log10(step)));
