// The account's margin as the numbers the risk core holds: one slot of MARGIN_STRIDE f64 per symbol,
// at the symbol's rule slot (rule-numbers.ts), written by the engine when it reads the exchange's
// margin; and the two guards' arithmetic over them (margin, liquidation_distance). wasm/assembly/risk.ts
// mirrors marginChecks and scanMargin operation by operation: keep the two in step.
import { type BracketTable, MAINTENANCE_BRACKETS } from '../portfolio/margin.ts';
import { isolatedBase } from './isolated-margin.ts';

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
  /** 1: the symbol is in isolated margin (its own wallet, the isolated formula); else cross. */
  ISOLATED: 5,
  /** The isolated position's own wallet (positionRisk isolatedMargin − unRealizedProfit; USD). */
  ISOLATED_WALLET: 6,
  /** How many of the symbol's brackets follow (0: the default table, MAINTENANCE_BRACKETS). */
  BRACKETS: 7,
  /** The first bracket row: up to (USD), rate, cum; MAX_BRACKETS rows of BRACKET_STRIDE. */
  BRACKET0: 8,
} as const;
/** Rows kept per symbol; a longer table keeps its first rows, and the last kept one covers every notional above (Aster's own tables have fewer). */
export const MAX_BRACKETS = 10;
const BRACKET_STRIDE = 3;
export const MARGIN_STRIDE = MarginField.BRACKET0 + MAX_BRACKETS * BRACKET_STRIDE;

/** The symbol's margin slot values, as the engine writes them. */
interface MarginSlot {
  leverage: number;
  liquidationPrice: number;
  entryPrice: number;
  markPrice: number;
  quantity: number;
  /** The symbol's maintenance brackets; none: the default table. */
  brackets?: BracketTable;
  /** The isolated position's own wallet (USD) when the symbol is in isolated margin; absent: cross. */
  isolatedWalletUsd?: number;
}

/** Writes one symbol's slot, its brackets included (at most MAX_BRACKETS rows). */
export function writeMarginNumbers(table: Float64Array, at: number, s: MarginSlot): void {
  table[at + MarginField.LEVERAGE] = s.leverage;
  table[at + MarginField.LIQUIDATION] = s.liquidationPrice;
  table[at + MarginField.ENTRY] = s.entryPrice;
  table[at + MarginField.MARK] = s.markPrice;
  table[at + MarginField.QTY] = s.quantity;
  table[at + MarginField.ISOLATED] = s.isolatedWalletUsd === undefined ? 0 : 1;
  table[at + MarginField.ISOLATED_WALLET] = s.isolatedWalletUsd ?? 0;
  const rows = (s.brackets ?? []).slice(0, MAX_BRACKETS);
  table[at + MarginField.BRACKETS] = rows.length;
  rows.forEach((b, i) => {
    const row = at + MarginField.BRACKET0 + i * BRACKET_STRIDE;
    table[row] = b.upToUsd;
    table[row + 1] = b.rate;
    table[row + 2] = b.cumUsd;
  });
}

/** The bracket row (index into `table`) a notional falls in, walked as the WASM core walks it; −1: the default table. */
function bracketRow(table: Float64Array, at: number, notional: number): number {
  if (at < 0) return -1;
  // As the WASM core reads the count: whole rows only, at most MAX_BRACKETS, NaN or below 1 none.
  const count = table[at + MarginField.BRACKETS]!;
  const n = count >= MAX_BRACKETS ? MAX_BRACKETS : count >= 1 ? Math.trunc(count) : 0;
  if (n === 0) return -1;
  let i = 0;
  for (; i < n - 1; i++)
    if (notional <= table[at + MarginField.BRACKET0 + i * BRACKET_STRIDE]!) break;
  return at + MarginField.BRACKET0 + i * BRACKET_STRIDE;
}

/** The default table's bracket of a notional: [rate, cum]. */
function defaultBracket(notional: number): [number, number] {
  let i = 0;
  for (; i < MAINTENANCE_BRACKETS.length - 1; i++)
    if (notional <= MAINTENANCE_BRACKETS[i]!.upToUsd) break;
  return [MAINTENANCE_BRACKETS[i]!.rate, MAINTENANCE_BRACKETS[i]!.cumUsd];
}

/** [rate, cum] of the bracket a notional falls in, in the slot at `at` (−1: no slot, the default table). */
function bracketAt(table: Float64Array, at: number, notional: number): [number, number] {
  const row = bracketRow(table, at, notional);
  return row < 0 ? defaultBracket(notional) : [table[row + 1]!, table[row + 2]!];
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

/** Maintenance margin at a notional in the brackets of the slot at `at`, walked as the WASM core walks them. */
export function maintenance(table: Float64Array, at: number, notional: number): number {
  const [rate, cum] = bracketAt(table, at, notional);
  return notional * rate - cum;
}

/** Liquidation price after the order (cross, one-way): portfolio/margin.ts liquidationPrice, unclamped; `base` as in MarginState.bases; `at` the slot (−1: none). */
function liquidationAfter(
  bracket: [number, number],
  base: number,
  q: number,
  side: number,
  entry: number,
): number {
  const [rate, cum] = bracket;
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
    const ownMaint = q !== 0 ? maintenance(table, at, Math.abs(q) * mark) : 0;
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
 * order's own symbol the liquidation price estimated after the order, cross or isolated as the
 * symbol is). `slot` is the symbol's slot (−1: none); `value` the price the position is valued at
 * (mark, or the order's price before any).
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
  const isolated = hasSlot && table[at + MarginField.ISOLATED] === 1;
  const base = isolated
    ? isolatedBase(table[at + MarginField.ISOLATED_WALLET]!, posQty, qty, newQty, initial)
    : hasSlot
      ? m.bases[slot]!
      : m.baseNone;
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
    const lp = liquidationAfter(bracketAt(table, at, q * value), base, q, side, entry);
    own = (side * (value - lp)) / value;
  }
  const others = slot === m.min1Slot ? m.min2 : m.min1;
  return [initial, own < others ? own : others];
}
