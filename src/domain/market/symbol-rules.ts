// The exchange's trading rules of one symbol (Aster futures `exchangeInfo`, which follows Binance
// USDⓈ-M; /tmp/aster/v3.md "Filters") and the pure functions that keep an order inside them:
// quantities rounded down to the step, prices to the tick, and a check that names the first filter
// an order breaks with its value and bound. Rounding is exact on the decimal grid (decimal-grid.ts).
import { decimalsOf, exactUnits, onGrid, roundToGrid } from './decimal-grid.ts';
import {
  gridsOf,
  RuleFailure,
  type RuleGrids,
  ruleFailureOf,
  ruleNumbers,
} from './rule-numbers.ts';
import { describeFailure, type RuleViolation } from './rule-violations.ts';
import type { BracketTable } from '../portfolio/margin.ts';

/** Filters of one symbol, numbers as the exchange publishes them (0 disables a PRICE_FILTER part). */
export interface SymbolRules {
  symbol: string;
  /** `TRADING` is the only status that accepts orders (others: PENDING_TRADING, BREAK, CLOSE…). */
  status: string;
  /** PRICE_FILTER: price ≥ minPrice, ≤ maxPrice, (price − minPrice) % tickSize == 0. */
  tickSize: number;
  minPrice: number;
  maxPrice: number;
  /** LOT_SIZE (every order): quantity ≥ minQty, ≤ maxQty, (quantity − minQty) % stepSize == 0. */
  stepSize: number;
  minQty: number;
  maxQty: number;
  /** MARKET_LOT_SIZE: the same three for MARKET orders (the only orders this worker sends). */
  marketStepSize: number;
  marketMinQty: number;
  marketMaxQty: number;
  /** MIN_NOTIONAL: price × quantity ≥ this (USD); reduce-only orders are exempt (-4164's message). */
  minNotional: number;
  /** PERCENT_PRICE: BUY price ≤ mark × multiplierUp, SELL price ≥ mark × multiplierDown. */
  multiplierUp: number;
  multiplierDown: number;
  multiplierDecimal: number;
  /**
   * The symbol's maintenance brackets (GET leverageBracket, read beside exchangeInfo), lowest
   * notional first; absent until read, and then the margin estimates use the default table
   * (portfolio/margin.ts MAINTENANCE_BRACKETS).
   */
  brackets?: BracketTable;
}

export { gridsOf, RuleFailure, type RuleFailureCode, type RuleGrids } from './rule-numbers.ts';

export { describeFailure, type RuleViolation, violationText } from './rule-violations.ts';

/**
 * The largest quantity ≤ `quantity` that MARKET_LOT_SIZE and LOT_SIZE both accept (capped at
 * both maxima), or 0 when even the minimum is more than `quantity`.
 */
export function roundQuantityDown(
  r: SymbolRules,
  quantity: number,
  g: RuleGrids = gridsOf(r),
): number {
  let q = Math.min(quantity, maxQtyOf(r));
  // Two grids: step down on one until the other accepts too (they nest in practice: one pass).
  for (let i = 0; i < 4; i++) {
    q = roundToGrid(roundToGrid(q, g.marketQty, 'down'), g.qty, 'down');
    if (!(q === q)) return 0;
    if (onGrid(q, g.marketQty)) return q;
  }
  return 0;
}

/** The smallest quantity both lot filters accept (the order may still miss MIN_NOTIONAL). */
export function minQuantity(r: SymbolRules): number {
  return Math.max(r.minQty, r.marketMinQty);
}

const maxQtyOf = (r: SymbolRules) =>
  Math.min(r.maxQty > 0 ? r.maxQty : Infinity, r.marketMaxQty > 0 ? r.marketMaxQty : Infinity);

/**
 * A limit price on the tick in the direction that keeps the order valid: a BUY rounds down (never
 * pays more, stays under mark × multiplierUp), a SELL rounds up; then clamped to min/max price.
 */
export function roundPrice(
  r: SymbolRules,
  price: number,
  side: 'BUY' | 'SELL',
  g: RuleGrids = gridsOf(r),
): number {
  const p = roundToGrid(price, g.price, side === 'BUY' ? 'down' : 'up');
  if (!(p === p)) return r.minPrice > 0 ? r.minPrice : NaN;
  return r.maxPrice > 0 && p > r.maxPrice ? roundToGrid(r.maxPrice, g.price, 'down') : p;
}

interface RuleOrder {
  side: 'BUY' | 'SELL';
  quantity: number;
  price: number;
  /** Mark price; 0 when unknown (PERCENT_PRICE is then not checked). */
  markPrice: number;
  /** Reduce-only orders are exempt from MIN_NOTIONAL (Aster -4164: "unless you choose reduce only"). */
  reduceOnly: boolean;
}

/** The first rule the order breaks, or undefined when the exchange would accept it. */
export function checkRules(r: SymbolRules | undefined, o: RuleOrder): RuleViolation | undefined {
  const code = r
    ? ruleFailureOf(
        ruleNumbers(r),
        0,
        o.side === 'BUY' ? o.quantity : -o.quantity,
        o.price,
        o.markPrice,
        o.reduceOnly,
      )
    : RuleFailure.SYMBOL_UNKNOWN;
  return code === 0 ? undefined : describeFailure(code, r?.symbol ?? 'unknown', r, o);
}

/**
 * The check the exchange applies to a MARKET order: no price of its own, so PRICE_FILTER and
 * PERCENT_PRICE do not apply and MIN_NOTIONAL uses the mark price (v3.md "MIN_NOTIONAL").
 */
export function checkMarketOrder(
  r: SymbolRules | undefined,
  side: 'BUY' | 'SELL',
  quantity: number,
  markPrice: number,
  reduceOnly: boolean,
): RuleViolation | undefined {
  return checkRules(r && { ...r, tickSize: 0, minPrice: 0, maxPrice: 0 }, {
    side,
    quantity,
    price: markPrice,
    markPrice: 0,
    reduceOnly,
  });
}

/** True when x has more decimal places than `step` allows (Aster answers -1111, not the step code). */
export function overPrecision(x: number, step: number): boolean {
  return Number.isNaN(exactUnits(x, 10 ** decimalsOf(step)));
}

/**
 * What keeps the traded symbols from trading, one phrase each ("DOGEUSDT is not listed by the
 * exchange", "BNBUSDT is BREAK, not TRADING"); empty when every one is listed and TRADING.
 */
export function tradedSymbolProblems(
  rules: ReadonlyMap<string, SymbolRules>,
  symbols: readonly string[],
): string[] {
  return symbols.flatMap((s) => {
    const r = rules.get(s);
    if (!r) return [`${s} is not listed by the exchange (or its filters could not be read)`];
    return r.status === 'TRADING' ? [] : [`${s} is ${r.status}, not TRADING`];
  });
}
