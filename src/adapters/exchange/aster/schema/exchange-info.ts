// GET /fapi/v1/exchangeInfo (V3: /fapi/v3/exchangeInfo): every symbol's status and filters
// (/tmp/aster/v3.md "Exchange Information" and "Filters"). Only the filters the worker acts on are
// read; others (MAX_NUM_ORDERS, MAX_NUM_ALGO_ORDERS, ones added later) pass unread. A symbol that
// lacks one of the five, or holds one malformed, is left out of the map (the worker cannot keep its
// orders valid without it): trading it then stops start-up as an unlisted symbol would, while a
// malformed symbol nobody trades does not make the whole answer unusable.
import { z } from 'zod';
import type { SymbolRules } from '../../../../domain/market/symbol-rules.ts';
import { decimal } from './common.ts';

const filter = z.looseObject({ filterType: z.string() });
const priceFilter = z.object({
  filterType: z.literal('PRICE_FILTER'),
  minPrice: decimal,
  maxPrice: decimal,
  tickSize: decimal,
});
const lotSize = z.object({
  filterType: z.enum(['LOT_SIZE', 'MARKET_LOT_SIZE']),
  minQty: decimal,
  maxQty: decimal,
  stepSize: decimal,
});
const minNotional = z.object({ filterType: z.literal('MIN_NOTIONAL'), notional: decimal });
// multiplierDecimal is a number in the docs' example; accept its string form too (Binance sends "4").
const percentPrice = z.object({
  filterType: z.literal('PERCENT_PRICE'),
  multiplierUp: decimal,
  multiplierDown: decimal,
  multiplierDecimal: z.union([
    z.number().int().nonnegative(),
    z.string().regex(/^\d+$/).transform(Number),
  ]),
});

const symbol = z
  .looseObject({ symbol: z.string().min(1), status: z.string().min(1), filters: z.array(filter) })
  .transform((s, ctx): SymbolRules | typeof z.NEVER => {
    const find = <T extends z.ZodType>(type: string, schema: T): z.output<T> | undefined => {
      const raw = s.filters.find((f) => f.filterType === type);
      const r = raw && schema.safeParse(raw);
      if (r?.success) return r.data;
      ctx.addIssue({
        code: 'custom',
        message: `${s.symbol}: ${raw ? 'malformed' : 'no'} ${type} filter`,
        path: ['filters'],
      });
      return undefined;
    };
    const price = find('PRICE_FILTER', priceFilter);
    const lot = find('LOT_SIZE', lotSize);
    const market = find('MARKET_LOT_SIZE', lotSize);
    const notional = find('MIN_NOTIONAL', minNotional);
    const percent = find('PERCENT_PRICE', percentPrice);
    if (!price || !lot || !market || !notional || !percent) return z.NEVER;
    return {
      symbol: s.symbol,
      status: s.status,
      tickSize: price.tickSize,
      minPrice: price.minPrice,
      maxPrice: price.maxPrice,
      stepSize: lot.stepSize,
      minQty: lot.minQty,
      maxQty: lot.maxQty,
      marketStepSize: market.stepSize,
      marketMinQty: market.minQty,
      marketMaxQty: market.maxQty,
      minNotional: notional.notional,
      multiplierUp: percent.multiplierUp,
      multiplierDown: percent.multiplierDown,
      multiplierDecimal: percent.multiplierDecimal,
    };
  });

export const exchangeInfo = z.looseObject({ symbols: z.array(z.unknown()) }).transform((x) => {
  const rules = new Map<string, SymbolRules>();
  for (const raw of x.symbols) {
    const r = symbol.safeParse(raw);
    if (r.success) rules.set(r.data.symbol, r.data);
  }
  return rules;
});
