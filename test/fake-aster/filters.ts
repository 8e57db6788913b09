// The fake server's symbol filters: served by GET exchangeInfo in Aster's wire format and applied
// to every new order strictly, on the decimal strings as they arrive (BigInt arithmetic, no floats:
// an independent implementation of the rules, so the worker's own rounding is really tested).
// Codes (/tmp/aster/v3.md "Error Codes"; the same reading as src/adapters/exchange/paper/rule-errors.ts):
// more decimals than the step or tick allows -1111; off the grid -4023 (quantity) / -4014 (price);
// below/above min/max -4004/-4005 (quantity), -4013/-4002 (price); notional -4164 (reduce-only
// orders exempt); PERCENT_PRICE -4016/-4024; a symbol not TRADING -4140 (closing orders pass; CLOSE -4141). A MARKET order is checked
// against LOT_SIZE and MARKET_LOT_SIZE, its notional at the mark price; a LIMIT order against
// LOT_SIZE, PRICE_FILTER, PERCENT_PRICE and its own notional; a STOP_MARKET order's stop price
// against PRICE_FILTER (and its quantity, unless it closes the whole position, as a MARKET one's).
import type { SymbolRules } from '../../src/domain/market/symbol-rules.ts';
import { ApiError } from './engine.ts';

/** A decimal as an integer and a power of ten: "3.333" → 3333n / 10^3. */
interface Dec {
  units: bigint;
  places: number;
}

const PLAIN = /^\d+(\.\d+)?$/;

function dec(s: string): Dec {
  const [i, f = ''] = s.split('.');
  return { units: BigInt(i! + f), places: f.length };
}

/** A number as Aster prints it: a plain decimal (no exponent). */
export function wire(x: number): string {
  if (Number.isInteger(x)) return String(x);
  const s = String(x);
  return s.includes('e') ? x.toFixed(20).replace(/0+$/, '') : s;
}

/** The two decimals at the same scale: [a, b] in units of 10^-places. */
function align(a: Dec, b: Dec): [bigint, bigint] {
  const p = Math.max(a.places, b.places);
  return [a.units * 10n ** BigInt(p - a.places), b.units * 10n ** BigInt(p - b.places)];
}
const cmp = (a: Dec, b: Dec) => {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
};
/** Significant decimal places ("0.0100" → 2). */
const places = (d: Dec) => {
  let { units, places: p } = d;
  while (p > 0 && units % 10n === 0n) {
    units /= 10n;
    p--;
  }
  return p;
};
const mul = (a: Dec, b: Dec): Dec => ({ units: a.units * b.units, places: a.places + b.places });

const refuse = (code: number, msg: string) => new ApiError(400, code, msg);

function checkLot(q: Dec, min: string, max: string, step: string) {
  const stepD = dec(step);
  if (places(q) > places(stepD))
    throw refuse(-1111, 'Precision is over the maximum defined for this asset.');
  if (cmp(q, dec(min)) < 0) throw refuse(-4004, 'Quantity less than min quantity.');
  if (dec(max).units > 0n && cmp(q, dec(max)) > 0)
    throw refuse(-4005, 'Quantity greater than max quantity.');
  const [off, s] = align(
    {
      units: align(q, dec(min)).reduce((x, y) => x - y),
      places: Math.max(q.places, dec(min).places),
    },
    stepD,
  );
  if (s > 0n && off % s !== 0n) throw refuse(-4023, 'Qty not increased by step size.');
}

export interface WireOrder {
  type: 'MARKET' | 'LIMIT' | 'STOP_MARKET';
  side: 'BUY' | 'SELL';
  /** Absent on a close-all STOP_MARKET (closePosition). */
  quantity?: string;
  price?: string;
  stopPrice?: string;
  reduceOnly: boolean;
  markPrice: number;
}

/** PRICE_FILTER on a price or stop price: precision, bounds, tick. */
function checkPrice(price: Dec, r: SymbolRules) {
  const tick = dec(wire(r.tickSize));
  if (places(price) > places(tick))
    throw refuse(-1111, 'Precision is over the maximum defined for this asset.');
  if (r.minPrice > 0 && cmp(price, dec(wire(r.minPrice))) < 0)
    throw refuse(-4013, 'Price less than min price.');
  if (r.maxPrice > 0 && cmp(price, dec(wire(r.maxPrice))) > 0)
    throw refuse(-4002, 'Price greater than max price.');
  const [p, min] = align(price, dec(wire(r.minPrice)));
  const [off, t] = align(
    { units: p - min, places: Math.max(price.places, dec(wire(r.minPrice)).places) },
    tick,
  );
  if (t > 0n && off % t !== 0n) throw refuse(-4014, 'Price not increased by tick size.');
}

/** Throws the exchange's refusal when the order breaks a filter of `r`. */
export function applyFilters(r: SymbolRules, o: WireOrder): void {
  // -4140 is "Invalid symbol status for opening position" and -4141 "Symbol is closed" (error
  // codes): our reading is that an order that only closes (reduce-only, or a Close-All stop, which
  // has no quantity) still passes while the symbol settles or breaks, and nothing passes once CLOSE.
  const closes = o.reduceOnly || o.quantity === undefined;
  if (r.status === 'CLOSE') throw refuse(-4141, 'Symbol is closed');
  if (r.status !== 'TRADING' && !closes)
    throw refuse(-4140, 'Invalid symbol status for opening position');
  if ([o.quantity, o.price, o.stopPrice].some((x) => x !== undefined && !PLAIN.test(x)))
    throw refuse(-1111, 'Precision is over the maximum defined for this asset.');
  // A stop's trigger price is a price too ("minPrice defines the minimum price/stopPrice", Filters).
  if (o.type === 'STOP_MARKET') checkPrice(dec(o.stopPrice!), r);
  if (o.quantity === undefined) return; // close-all stop: no quantity, no notional
  const q = dec(o.quantity);
  checkLot(q, wire(r.minQty), wire(r.maxQty), wire(r.stepSize));
  if (o.type !== 'LIMIT')
    checkLot(q, wire(r.marketMinQty), wire(r.marketMaxQty), wire(r.marketStepSize));
  const mark = dec(wire(o.markPrice));
  let price = mark;
  if (o.type === 'LIMIT') {
    price = dec(o.price!);
    checkPrice(price, r);
    if (o.side === 'BUY' && cmp(price, mul(mark, dec(wire(r.multiplierUp)))) > 0)
      throw refuse(-4016, 'Price is higher than mark price multiplier cap.');
    if (o.side === 'SELL' && cmp(price, mul(mark, dec(wire(r.multiplierDown)))) < 0)
      throw refuse(-4024, 'Price is lower than mark price multiplier floor.');
  }
  if (!o.reduceOnly && cmp(mul(q, price), dec(wire(r.minNotional))) < 0) {
    throw refuse(
      -4164,
      `Order's notional must be no smaller than ${wire(r.minNotional)} (unless you choose reduce only)`,
    );
  }
}

/** One symbol of GET exchangeInfo, in the docs' layout (decimals as strings). */
export function symbolJson(r: SymbolRules) {
  return {
    symbol: r.symbol,
    pair: r.symbol,
    contractType: 'PERPETUAL',
    status: r.status,
    baseAsset: r.symbol.replace(/USDT$/, ''),
    quoteAsset: 'USDT',
    marginAsset: 'USDT',
    pricePrecision: places(dec(wire(r.tickSize))),
    quantityPrecision: places(dec(wire(r.stepSize))),
    filters: [
      {
        filterType: 'PRICE_FILTER',
        minPrice: wire(r.minPrice),
        maxPrice: wire(r.maxPrice),
        tickSize: wire(r.tickSize),
      },
      {
        filterType: 'LOT_SIZE',
        minQty: wire(r.minQty),
        maxQty: wire(r.maxQty),
        stepSize: wire(r.stepSize),
      },
      {
        filterType: 'MARKET_LOT_SIZE',
        minQty: wire(r.marketMinQty),
        maxQty: wire(r.marketMaxQty),
        stepSize: wire(r.marketStepSize),
      },
      { filterType: 'MAX_NUM_ORDERS', limit: 200 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 100 },
      { filterType: 'MIN_NOTIONAL', notional: wire(r.minNotional) },
      {
        filterType: 'PERCENT_PRICE',
        multiplierUp: r.multiplierUp.toFixed(r.multiplierDecimal),
        multiplierDown: r.multiplierDown.toFixed(r.multiplierDecimal),
        multiplierDecimal: r.multiplierDecimal,
      },
    ],
    OrderType: [
      'LIMIT',
      'MARKET',
      'STOP',
      'STOP_MARKET',
      'TAKE_PROFIT',
      'TAKE_PROFIT_MARKET',
      'TRAILING_STOP_MARKET',
    ],
    timeInForce: ['GTC', 'IOC', 'FOK', 'GTX'],
  };
}
