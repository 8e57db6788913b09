// The exchangeInfo schema on the V3 docs' own example answer (/tmp/aster/v3.md "Exchange
// Information"), and on answers that lack or garble a filter.
import { describe, expect, it } from 'bun:test';
import { exchangeInfo } from '../../../../src/adapters/exchange/aster/schema/exchange-info.ts';

/** The docs' DOGEUSDT entry, filters as printed there (multiplierDecimal a number). */
const docsSymbol = {
  symbol: 'DOGEUSDT',
  pair: 'DOGEUSDT',
  contractType: 'PERPETUAL',
  status: 'TRADING',
  pricePrecision: 5,
  quantityPrecision: 0,
  filters: [
    { filterType: 'PRICE_FILTER', maxPrice: '300', minPrice: '0.0001', tickSize: '0.0001' },
    { filterType: 'LOT_SIZE', maxQty: '10000000', minQty: '1', stepSize: '1' },
    { filterType: 'MARKET_LOT_SIZE', maxQty: '590119', minQty: '1', stepSize: '1' },
    { filterType: 'MAX_NUM_ORDERS', limit: 200 },
    { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 100 },
    { filterType: 'MIN_NOTIONAL', notional: '1' },
    {
      filterType: 'PERCENT_PRICE',
      multiplierUp: '1.1500',
      multiplierDown: '0.8500',
      multiplierDecimal: 4,
    },
  ],
};

describe('exchangeInfo schema', () => {
  it("reads the docs' example into the rules of each symbol", () => {
    const rules = exchangeInfo.parse({
      timezone: 'UTC',
      serverTime: 1565613908500,
      rateLimits: [],
      exchangeFilters: [],
      assets: [],
      symbols: [docsSymbol],
    });
    expect(rules.get('DOGEUSDT')).toEqual({
      symbol: 'DOGEUSDT',
      status: 'TRADING',
      tickSize: 0.0001,
      minPrice: 0.0001,
      maxPrice: 300,
      stepSize: 1,
      minQty: 1,
      maxQty: 10_000_000,
      marketStepSize: 1,
      marketMinQty: 1,
      marketMaxQty: 590_119,
      minNotional: 1,
      multiplierUp: 1.15,
      multiplierDown: 0.85,
      multiplierDecimal: 4,
    });
  });

  it('leaves out a symbol that lacks one of the five filters or holds one malformed, keeping the others', () => {
    const without = {
      ...docsSymbol,
      symbol: 'NOLOTUSDT',
      filters: docsSymbol.filters.filter((f) => f.filterType !== 'MARKET_LOT_SIZE'),
    };
    const garbled = {
      ...docsSymbol,
      symbol: 'BADUSDT',
      filters: docsSymbol.filters.map((f) =>
        f.filterType === 'LOT_SIZE' ? { ...f, stepSize: '1e-3' } : f,
      ),
    };
    const rules = exchangeInfo.parse({
      symbols: [docsSymbol, without, garbled, { symbol: 'NOFILTERS' }],
    });
    expect([...rules.keys()]).toEqual(['DOGEUSDT']);
  });

  it('accepts multiplierDecimal as a string too, and keeps a status other than TRADING', () => {
    const halted = {
      ...docsSymbol,
      status: 'BREAK',
      filters: docsSymbol.filters.map((f) =>
        f.filterType === 'PERCENT_PRICE' ? { ...f, multiplierDecimal: '4' } : f,
      ),
    };
    expect(exchangeInfo.parse({ symbols: [halted] }).get('DOGEUSDT')).toMatchObject({
      status: 'BREAK',
      multiplierDecimal: 4,
    });
  });

  it('refuses an answer without a symbols list', () => {
    expect(exchangeInfo.safeParse({ rateLimits: [] }).success).toBe(false);
  });
});
