// The account's margin as the numbers the risk core holds: one slot of MARGIN_STRIDE f64 per symbol,
// at the symbol's rule slot (rule-numbers.ts), written by the engine when it reads the exchange's
// margin; and the two guards' arithmetic over them (margin, liquidation_distance). wasm/assembly/risk.ts
// mirrors marginChecks and scanMargin operation by operation: keep the two in step.
import { MAINTENANCE_BRACKETS } from '../portfolio/margin.ts';

/** Offsets inside one symbol's margin slot. */
export const MarginField = {
  /** The symbol's initial leverage (below 1 or unknown: 1, the whole notional as margin). */
  LEVERAGE: 0,
  /** The exchange's liquidation price of the position (0: none). */
  LIQUIDATION: 1,
  ENTRY: 2,
  MARK: 3,
  /** Signed position quantity as the exchange reported it. */
  QTY: 4,
} as const;
export const MARGIN_STRIDE = 5;

/** The symbol's margin slot values, as the engine writes them. */
interface MarginSlot {
  leverage: number;
  liquidationPrice: number;
  entryPrice: number;
  markPrice: number;
  quantity: number;
}

export function writeMarginNumbers(table: Float64Array, at: number, s: MarginSlot): void {
  table[at + MarginField.LEVERAGE] = s.leverage;
  table[at + MarginField.LIQUIDATION] = s.liquidationPrice;
  table[at + MarginField.ENTRY] = s.entryPrice;
  table[at + MarginField.MARK] = s.markPrice;
  table[at + MarginField.QTY] = s.quantity;
}

/** The account-wide margin figures (riskSetMargin) and what the scan of the table derived. */
export interface MarginState {
  known: boolean;
  availableUsd: number;
  walletUsd: number;
  maintUsd: number;
  upnlUsd: number;
  minDistance: number;
  /** Smallest and second smallest signed distance over the positions, and the slot of the smallest. */
  min1: number;
  min1Slot: number;
  min2: number;
  /** Slots in use; a symbol at or past it has no margin data. */
  slots: number;
  /** Per slot: wallet − the other positions' maintenance margin + their unrealised P&L; baseNone for a symbol without data. */
  bases: Float64Array;
  baseNone: number;
}

const isFinite = (x: number) => x - x === 0;

/** Maintenance margin at a notional, the brackets walked as the WASM core walks them. */
export function maintenance(notional: number): number {
  for (let i = 0; i < MAINTENANCE_BRACKETS.length - 1; i++) {
    const b = MAINTENANCE_BRACKETS[i]!;
    if (notional <= b.upToUsd) return notional * b.rate - b.cumUsd;
  }
  const last = MAINTENANCE_BRACKETS[MAINTENANCE_BRACKETS.length - 1]!;
  return notional * last.rate - last.cumUsd;
}

/** Liquidation price after the order (cross, one-way): portfolio/margin.ts liquidationPrice, unclamped; `base` as in MarginState.bases. */
function liquidationAfter(
  base: number,
  q: number,
  side: number,
  entry: number,
  value: number,
): number {
  const notional = q * value;
  let rate = 0;
  let cum = 0;
  let i = 0;
  for (; i < MAINTENANCE_BRACKETS.length - 1; i++)
    if (notional <= MAINTENANCE_BRACKETS[i]!.upToUsd) break;
  rate = MAINTENANCE_BRACKETS[i]!.rate;
  cum = MAINTENANCE_BRACKETS[i]!.cumUsd;
  return (base + cum - side * q * entry) / (q * rate - side * q);
}

/**
 * Reads the table once per margin update: the smallest and second smallest signed distance
 * side × (mark − liquidation) / mark over the positions that have a liquidation price.
 */
export function scanMargin(
  table: Float64Array,
  slots: number,
  stride: number,
  availableUsd: number,
  walletUsd: number,
  maintUsd: number,
  upnlUsd: number,
  minDistance: number,
): MarginState {
  let min1 = Infinity;
  let min2 = Infinity;
  let min1Slot = -1;
  const bases = new Float64Array(slots);
  for (let i = 0; i < slots; i++) {
    const at = i * stride;
    const q = table[at + MarginField.QTY]!;
    const lp = table[at + MarginField.LIQUIDATION]!;
    const mark = table[at + MarginField.MARK]!;
    const ownMaint = q !== 0 ? maintenance(Math.abs(q) * mark) : 0;
    const ownUpnl = q !== 0 ? q * (mark - table[at + MarginField.ENTRY]!) : 0;
    bases[i] = walletUsd - (maintUsd - ownMaint) + (upnlUsd - ownUpnl);
    if (q === 0 || !(lp > 0) || !(mark > 0)) continue;
    const d = ((q > 0 ? 1 : -1) * (mark - lp)) / mark;
    if (d < min1) {
      min2 = min1;
      min1 = d;
      min1Slot = i;
    } else if (d < min2) min2 = d;
  }
  const known =
    isFinite(availableUsd) && isFinite(walletUsd) && isFinite(maintUsd) && isFinite(upnlUsd);
  const baseNone = walletUsd - (maintUsd - 0) + (upnlUsd - 0);
  return {
    known,
    availableUsd,
    walletUsd,
    maintUsd,
    upnlUsd,
    minDistance,
    min1,
    min1Slot,
    min2,
    slots,
    bases,
    baseNone,
  };
}

/**
 * The margin guard's figure (the order's initial margin: its opening quantity × price / leverage)
 * and liquidation_distance's (the smallest signed distance of any position after the order; for the
 * order's own symbol the liquidation price estimated after the order). `slot` is the symbol's slot
 * (−1: none); `value` the price the position is valued at (mark, or the order's price before any).
 */
export function marginCheckFigures(
  m: MarginState,
  table: Float64Array,
  index: number,
  posQty: number,
  qty: number,
  newQty: number,
  price: number,
  value: number,
): [number, number] {
  const hasSlot = index >= 0 && index < m.slots;
  const slot = hasSlot ? index : -1;
  const at = hasSlot ? index * MARGIN_STRIDE : -1;
  const lev = hasSlot ? table[at + MarginField.LEVERAGE]! : 0;
  const leverage = lev >= 1 ? lev : 1;
  const opening = posQty * qty >= 0 ? Math.abs(qty) : newQty * posQty < 0 ? Math.abs(newQty) : 0;
  const initial = (opening * price) / leverage;

  const tEntry = hasSlot ? table[at + MarginField.ENTRY]! : 0;
  const base = hasSlot ? m.bases[slot]! : m.baseNone;
  let own = Infinity;
  if (newQty !== 0) {
    const entry0 = tEntry > 0 ? tEntry : value;
    const q = Math.abs(newQty);
    const entry =
      posQty === 0 || newQty * posQty < 0
        ? price
        : posQty * qty > 0
          ? (Math.abs(posQty) * entry0 + Math.abs(qty) * price) / q
          : entry0;
    const side = newQty > 0 ? 1 : -1;
    const lp = liquidationAfter(base, q, side, entry, value);
    own = (side * (value - lp)) / value;
  }
  const others = slot === m.min1Slot ? m.min2 : m.min1;
  return [initial, own < others ? own : others];
}
