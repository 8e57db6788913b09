// What a broken rule says: the filter, rule, value and bound behind a RuleFailure code (the risk
// check's answer names them), and one sentence for logs.
import { RuleFailure, type RuleFailureCode } from './rule-numbers.ts';
import type { SymbolRules } from './symbol-rules.ts';

/** One broken rule, as the risk check reports it: `{filter: "LOT_SIZE", rule: "stepSize", value: 3.333, bound: 0.01}`. */
export interface RuleViolation {
  code: RuleFailureCode;
  filter:
    'SYMBOL' | 'PRICE_FILTER' | 'LOT_SIZE' | 'MARKET_LOT_SIZE' | 'MIN_NOTIONAL' | 'PERCENT_PRICE';
  rule: string;
  value: number | string;
  bound: number | string;
}

type FailureTable = Record<RuleFailureCode, Omit<RuleViolation, 'code'>>;
/** The order figures a violation quotes. */
type FailedOrder = { quantity: number; price: number; markPrice: number };

/** The symbol itself: listed, trading; and the notional (MIN_NOTIONAL). */
function symbolFailures(r: SymbolRules, o: FailedOrder): Partial<FailureTable> {
  const F = RuleFailure;
  return {
    [F.SYMBOL_UNKNOWN]: {
      filter: 'SYMBOL',
      rule: 'symbol',
      value: r.symbol,
      bound: 'listed by the exchange',
    },
    [F.SYMBOL_NOT_TRADING]: { filter: 'SYMBOL', rule: 'status', value: r.status, bound: 'TRADING' },
    [F.MIN_NOTIONAL]: {
      filter: 'MIN_NOTIONAL',
      rule: 'notional',
      value: o.quantity * o.price,
      bound: r.minNotional,
    },
  };
}

/** PRICE_FILTER and PERCENT_PRICE. */
function priceFailures(r: SymbolRules, o: FailedOrder): Partial<FailureTable> {
  const F = RuleFailure;
  return {
    [F.PRICE_BELOW_MIN]: {
      filter: 'PRICE_FILTER',
      rule: 'minPrice',
      value: o.price,
      bound: r.minPrice,
    },
    [F.PRICE_ABOVE_MAX]: {
      filter: 'PRICE_FILTER',
      rule: 'maxPrice',
      value: o.price,
      bound: r.maxPrice,
    },
    [F.PRICE_OFF_TICK]: {
      filter: 'PRICE_FILTER',
      rule: 'tickSize',
      value: o.price,
      bound: r.tickSize,
    },
    [F.PERCENT_PRICE_UP]: {
      filter: 'PERCENT_PRICE',
      rule: 'multiplierUp',
      value: o.price,
      bound: o.markPrice * r.multiplierUp,
    },
    [F.PERCENT_PRICE_DOWN]: {
      filter: 'PERCENT_PRICE',
      rule: 'multiplierDown',
      value: o.price,
      bound: o.markPrice * r.multiplierDown,
    },
  };
}

/** LOT_SIZE and MARKET_LOT_SIZE. */
function quantityFailures(r: SymbolRules, o: FailedOrder): Partial<FailureTable> {
  const F = RuleFailure;
  return {
    [F.QTY_BELOW_MIN]: { filter: 'LOT_SIZE', rule: 'minQty', value: o.quantity, bound: r.minQty },
    [F.QTY_ABOVE_MAX]: { filter: 'LOT_SIZE', rule: 'maxQty', value: o.quantity, bound: r.maxQty },
    [F.QTY_OFF_STEP]: {
      filter: 'LOT_SIZE',
      rule: 'stepSize',
      value: o.quantity,
      bound: r.stepSize,
    },
    [F.MARKET_QTY_BELOW_MIN]: {
      filter: 'MARKET_LOT_SIZE',
      rule: 'minQty',
      value: o.quantity,
      bound: r.marketMinQty,
    },
    [F.MARKET_QTY_ABOVE_MAX]: {
      filter: 'MARKET_LOT_SIZE',
      rule: 'maxQty',
      value: o.quantity,
      bound: r.marketMaxQty,
    },
    [F.MARKET_QTY_OFF_STEP]: {
      filter: 'MARKET_LOT_SIZE',
      rule: 'stepSize',
      value: o.quantity,
      bound: r.marketStepSize,
    },
  };
}

/** The filter, rule, value and bound behind a RuleFailure code. */
export function describeFailure(
  code: number,
  symbol: string,
  r: SymbolRules | undefined,
  o: FailedOrder,
): RuleViolation {
  const c = code as RuleFailureCode;
  const F = RuleFailure;
  if (c === F.SYMBOL_UNKNOWN || !r)
    return {
      code: F.SYMBOL_UNKNOWN,
      filter: 'SYMBOL',
      rule: 'symbol',
      value: symbol,
      bound: 'listed by the exchange',
    };
  const table = {
    ...symbolFailures(r, o),
    ...priceFailures(r, o),
    ...quantityFailures(r, o),
  } as FailureTable;
  return { code: c, ...table[c] };
}

/** One sentence for logs and the risk check: "quantity 3.333 is not a multiple of the step size 0.01 (LOT_SIZE)". */
export function violationText(v: RuleViolation): string {
  const what =
    v.filter === 'PRICE_FILTER' || v.filter === 'PERCENT_PRICE'
      ? 'price'
      : v.filter === 'MIN_NOTIONAL'
        ? 'notional (USD)'
        : 'quantity';
  const n = (x: number | string) => (typeof x === 'number' ? String(Number(x.toPrecision(12))) : x);
  const tail = ` (${v.filter})`;
  switch (v.rule) {
    case 'symbol':
      return `${v.value} is not a symbol the exchange lists`;
    case 'status':
      return `the symbol's status is ${v.value}, not ${v.bound}: the exchange takes no orders`;
    case 'tickSize':
      return `price ${n(v.value)} is not on the tick size ${n(v.bound)}${tail}`;
    case 'stepSize':
      return `quantity ${n(v.value)} is not a multiple of the step size ${n(v.bound)}${tail}`;
    case 'multiplierUp':
      return `price ${n(v.value)} is above mark price × multiplierUp = ${n(v.bound)}${tail}`;
    case 'multiplierDown':
      return `price ${n(v.value)} is below mark price × multiplierDown = ${n(v.bound)}${tail}`;
    case 'minPrice':
    case 'minQty':
    case 'notional':
      return `${what} ${n(v.value)} is below the minimum ${n(v.bound)}${tail}`;
    default:
      return `${what} ${n(v.value)} is above the maximum ${n(v.bound)}${tail}`;
  }
}
