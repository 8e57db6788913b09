// A symbol's rules as the numbers the risk core holds (RULE_STRIDE f64 per symbol, a table the
// WASM core and its reference share), and the check over them. wasm/assembly/risk.ts `ruleFailure`
// mirrors ruleFailureOf operation by operation: keep the two in step.
import { type DecimalGrid, decimalsOf, gridOf } from './decimal-grid.ts';
import type { SymbolRules } from './symbol-rules.ts';
import { takesClosingOrders } from './symbol-status.ts';

/** Which rule an order broke; the numbers are the WASM core's rule codes (wasm/assembly/risk.ts). */
export const RuleFailure = {
  SYMBOL_UNKNOWN: 1,
  SYMBOL_NOT_TRADING: 2,
  PRICE_BELOW_MIN: 3,
  PRICE_ABOVE_MAX: 4,
  PRICE_OFF_TICK: 5,
  QTY_BELOW_MIN: 6,
  QTY_ABOVE_MAX: 7,
  QTY_OFF_STEP: 8,
  MARKET_QTY_BELOW_MIN: 9,
  MARKET_QTY_ABOVE_MAX: 10,
  MARKET_QTY_OFF_STEP: 11,
  MIN_NOTIONAL: 12,
  PERCENT_PRICE_UP: 13,
  PERCENT_PRICE_DOWN: 14,
} as const;
export type RuleFailureCode = (typeof RuleFailure)[keyof typeof RuleFailure];

/** Offsets inside one symbol's slot. Prices and quantities also as integer units of 1 / scale. */
export const RuleField = {
  /** 1: TRADING; 2: takes closing orders only (PRE_SETTLE, SETTLING); 0: no orders. */
  TRADING: 0,
  MIN_PRICE: 1,
  MAX_PRICE: 2,
  PRICE_SCALE: 3,
  TICK_UNITS: 4,
  MIN_PRICE_UNITS: 5,
  MIN_QTY: 6,
  MAX_QTY: 7,
  QTY_SCALE: 8,
  STEP_UNITS: 9,
  MIN_QTY_UNITS: 10,
  MARKET_MIN_QTY: 11,
  MARKET_MAX_QTY: 12,
  MARKET_STEP_UNITS: 13,
  MARKET_MIN_QTY_UNITS: 14,
  MIN_NOTIONAL: 15,
  MULTIPLIER_UP: 16,
  MULTIPLIER_DOWN: 17,
} as const;
/** f64 slots per symbol (18 used). */
export const RULE_STRIDE = 20;
/** Symbols the core holds rules for (wasm/assembly/risk.ts MAX_SYMBOLS). */
export const MAX_RULE_SYMBOLS = 1024;

/** Grids of a symbol, derived once: quantities share one scale (LOT_SIZE and MARKET_LOT_SIZE). */
export interface RuleGrids {
  price: DecimalGrid;
  qty: DecimalGrid;
  marketQty: DecimalGrid;
}

export function gridsOf(r: SymbolRules): RuleGrids {
  const qtyDecimals = Math.max(
    ...[r.stepSize, r.minQty, r.marketStepSize, r.marketMinQty].map(decimalsOf),
  );
  return {
    price: gridOf(r.tickSize, r.minPrice),
    qty: gridOf(r.stepSize, r.minQty, qtyDecimals),
    marketQty: gridOf(r.marketStepSize, r.marketMinQty, qtyDecimals),
  };
}

/** The slot of one symbol. */
export function ruleNumbers(r: SymbolRules): Float64Array {
  const n = new Float64Array(RULE_STRIDE);
  writeRuleNumbers(n, 0, r);
  return n;
}

/** Writes a symbol's slot at `offset` (in f64 elements) of the core's rule table. */
export function writeRuleNumbers(t: Float64Array, offset: number, r: SymbolRules): void {
  const F = RuleField;
  const { price, qty, marketQty: market } = gridsOf(r);
  const v: Record<number, number> = {
    [F.TRADING]: r.status === 'TRADING' ? 1 : takesClosingOrders(r.status) ? 2 : 0,
    [F.MIN_PRICE]: r.minPrice,
    [F.MAX_PRICE]: r.maxPrice,
    [F.PRICE_SCALE]: price.scale,
    [F.TICK_UNITS]: price.stepUnits,
    [F.MIN_PRICE_UNITS]: price.minUnits,
    [F.MIN_QTY]: r.minQty,
    [F.MAX_QTY]: r.maxQty,
    [F.QTY_SCALE]: qty.scale,
    [F.STEP_UNITS]: qty.stepUnits,
    [F.MIN_QTY_UNITS]: qty.minUnits,
    [F.MARKET_MIN_QTY]: r.marketMinQty,
    [F.MARKET_MAX_QTY]: r.marketMaxQty,
    [F.MARKET_STEP_UNITS]: market.stepUnits,
    [F.MARKET_MIN_QTY_UNITS]: market.minUnits,
    [F.MIN_NOTIONAL]: r.minNotional,
    [F.MULTIPLIER_UP]: r.multiplierUp,
    [F.MULTIPLIER_DOWN]: r.multiplierDown,
  };
  t.fill(0, offset, offset + RULE_STRIDE);
  for (const [k, x] of Object.entries(v)) t[offset + Number(k)] = x;
}

/** x is minUnits + k × stepUnits at this scale, exactly (a step of 0 disables the step part). */
function onGrid(x: number, scale: number, stepUnits: number, minUnits: number): boolean {
  const units = Math.round(x * scale);
  // Whole steps from min (the WASM core avoids f64 %, a software routine there; keep the two alike).
  const steps = (units - minUnits) / stepUnits;
  return (
    units / scale === x && units >= minUnits && (stepUnits <= 0 || Math.floor(steps) === steps)
  );
}

/**
 * 0 when the order passes every filter, else the first RuleFailure code. `qty` is signed (sells
 * negative); `reduces` exempts the order from MIN_NOTIONAL (reduce-only) and lets it through a
 * symbol that takes closing orders only; a mark of 0 skips
 * PERCENT_PRICE. Bad numbers (NaN) fail the first comparison they meet.
 */
export function ruleFailureOf(
  t: ArrayLike<number>,
  at: number,
  qty: number,
  price: number,
  mark: number,
  reduces: boolean,
): number {
  const F = RuleField;
  // 1: TRADING; 2: closing orders only (a symbol settling); else none.
  const trading = t[at + F.TRADING]!;
  if (!(trading === 1 || (trading === 2 && reduces))) return RuleFailure.SYMBOL_NOT_TRADING;
  const minPrice = t[at + F.MIN_PRICE]!;
  const maxPrice = t[at + F.MAX_PRICE]!;
  if (minPrice > 0 && !(price >= minPrice)) return RuleFailure.PRICE_BELOW_MIN;
  if (maxPrice > 0 && !(price <= maxPrice)) return RuleFailure.PRICE_ABOVE_MAX;
  if (
    t[at + F.TICK_UNITS]! > 0 &&
    !onGrid(price, t[at + F.PRICE_SCALE]!, t[at + F.TICK_UNITS]!, t[at + F.MIN_PRICE_UNITS]!)
  )
    return RuleFailure.PRICE_OFF_TICK;
  const q = Math.abs(qty);
  const qtyScale = t[at + F.QTY_SCALE]!;
  const maxQty = t[at + F.MAX_QTY]!;
  const marketMaxQty = t[at + F.MARKET_MAX_QTY]!;
  if (!(q >= t[at + F.MIN_QTY]!)) return RuleFailure.QTY_BELOW_MIN;
  if (maxQty > 0 && !(q <= maxQty)) return RuleFailure.QTY_ABOVE_MAX;
  const stepUnits = t[at + F.STEP_UNITS]!;
  const minQtyUnits = t[at + F.MIN_QTY_UNITS]!;
  const marketStepUnits = t[at + F.MARKET_STEP_UNITS]!;
  const marketMinQtyUnits = t[at + F.MARKET_MIN_QTY_UNITS]!;
  if (!onGrid(q, qtyScale, stepUnits, minQtyUnits)) return RuleFailure.QTY_OFF_STEP;
  if (!(q >= t[at + F.MARKET_MIN_QTY]!)) return RuleFailure.MARKET_QTY_BELOW_MIN;
  if (marketMaxQty > 0 && !(q <= marketMaxQty)) return RuleFailure.MARKET_QTY_ABOVE_MAX;
  // The usual case, MARKET_LOT_SIZE on the LOT_SIZE grid, was just checked.
  const sameGrid = marketStepUnits === stepUnits && marketMinQtyUnits === minQtyUnits;
  if (!sameGrid && !onGrid(q, qtyScale, marketStepUnits, marketMinQtyUnits))
    return RuleFailure.MARKET_QTY_OFF_STEP;
  if (!reduces && !(q * price >= t[at + F.MIN_NOTIONAL]!)) return RuleFailure.MIN_NOTIONAL;
  if (mark > 0 && qty > 0 && !(price <= mark * t[at + F.MULTIPLIER_UP]!))
    return RuleFailure.PERCENT_PRICE_UP;
  if (mark > 0 && qty < 0 && !(price >= mark * t[at + F.MULTIPLIER_DOWN]!))
    return RuleFailure.PERCENT_PRICE_DOWN;
  return 0;
}
