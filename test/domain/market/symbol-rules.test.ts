import { describe, expect, it } from 'bun:test';
import fc from 'fast-check';
import { paperSymbolRules } from '../../../src/adapters/exchange/paper/symbol-table.ts';
import {
  checkMarketOrder,
  checkRules,
  roundPrice,
  roundQuantityDown,
  type SymbolRules,
} from '../../../src/domain/market/symbol-rules.ts';

const BNB = paperSymbolRules('BNBUSDT');
const DOGE = paperSymbolRules('DOGEUSDT');
const BTC = paperSymbolRules('BTCUSDT');
const buy = (quantity: number, price: number, markPrice = 0) => ({
  side: 'BUY' as const,
  quantity,
  price,
  markPrice,
  reduceOnly: false,
});

/** Decimal places of a number as it prints (what the exchange reads). */
const places = (x: number) => (String(x).split('.')[1] ?? '').length;

describe('roundQuantityDown', () => {
  it("rounds the issue's quantities down to the step", () => {
    expect(roundQuantityDown(BNB, 3.333)).toBe(3.33);
    expect(roundQuantityDown(DOGE, 30586.651)).toBe(30586);
    expect(roundQuantityDown(BTC, 0.0837)).toBe(0.083);
  });

  it('keeps a quantity already on the step, whatever float noise (0.29 × 100 = 28.999…)', () => {
    expect(roundQuantityDown(BNB, 0.29)).toBe(0.29);
    expect(roundQuantityDown(BNB, 1.13)).toBe(1.13);
    expect(roundQuantityDown(BTC, 0.007)).toBe(0.007);
  });

  it('closes a position summed from fills whole: float noise is not a step of dust', () => {
    expect(roundQuantityDown(BTC, 0.1 + 0.2)).toBe(0.3);
    expect(roundQuantityDown(BNB, 0.7 + 0.1)).toBe(0.8);
    expect(roundQuantityDown(BTC, 0.3 - 1e-7)).toBe(0.299); // a real difference still rounds down
  });

  it('answers 0 below the minimum and caps at the market maximum', () => {
    expect(roundQuantityDown(BTC, 0.0009)).toBe(0);
    expect(roundQuantityDown(BTC, 500)).toBe(120);
  });

  it("gives, for any quantity, the largest valid one not above it, printing with the step's decimals", () => {
    const symbols = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT', 'DOGEUSDT', 'XRPUSDT'].map(
      paperSymbolRules,
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...symbols),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (r, q) => {
          const out = roundQuantityDown(r, q);
          if (out === 0) return q < r.marketMinQty + r.marketStepSize || q < r.minQty;
          const step = Math.round(r.marketStepSize * 1e8);
          return (
            out <= q * (1 + 1e-9) && // float noise below a grid point counts as that point
            places(out) <= places(r.marketStepSize) &&
            Math.round(out * 1e8) % step === 0 &&
            // one more step would pass the input (or the maximum)
            (Number((out + r.marketStepSize).toFixed(8)) > q || out === r.marketMaxQty) &&
            checkMarketOrder(r, 'BUY', out, 1e9, false) === undefined
          );
        },
      ),
      { numRuns: 5_000 },
    );
  });
});

describe('roundPrice', () => {
  it('rounds a BUY down and a SELL up to the tick', () => {
    expect(roundPrice(BTC, 60123.456, 'BUY')).toBe(60123.4);
    expect(roundPrice(BTC, 60123.456, 'SELL')).toBe(60123.5);
    expect(roundPrice(DOGE, 0.1234567, 'BUY')).toBe(0.12345);
    expect(roundPrice(BNB, 600, 'SELL')).toBe(600);
  });

  it('always lands on the tick, on the side that keeps the order valid', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(BTC, BNB, DOGE),
        fc.double({ min: 1, max: 1e5, noNaN: true }),
        fc.boolean(),
        (r, p, isBuy) => {
          const x = Math.max(p * (r === DOGE ? 1e-4 : 1), r.minPrice);
          const out = roundPrice(r, x, isBuy ? 'BUY' : 'SELL');
          const side = isBuy ? 'BUY' : 'SELL';
          return (
            (isBuy ? out <= x * (1 + 1e-9) : out >= x * (1 - 1e-9)) &&
            Math.abs(out - x) < r.tickSize * 1.000001 &&
            checkRules(r, { side, quantity: 1e6, price: out, markPrice: x, reduceOnly: true })
              ?.filter !== 'PRICE_FILTER' &&
            checkRules(r, { side, quantity: 1e6, price: out, markPrice: x, reduceOnly: true })
              ?.filter !== 'PERCENT_PRICE'
          );
        },
      ),
      { numRuns: 5_000 },
    );
  });
});

describe('checkRules', () => {
  it("names the filter, the value and the bound of the issue's BNBUSDT order", () => {
    expect(checkRules(BNB, buy(3.333, 600))).toMatchObject({
      filter: 'LOT_SIZE',
      rule: 'stepSize',
      value: 3.333,
      bound: 0.01,
    });
    expect(checkRules(BNB, buy(3.33, 600))).toBeUndefined();
  });

  it('checks each filter in turn', () => {
    expect(checkRules(undefined, buy(1, 1))).toMatchObject({ filter: 'SYMBOL', rule: 'symbol' });
    expect(checkRules({ ...BTC, status: 'BREAK' }, buy(1, 60000))).toMatchObject({
      filter: 'SYMBOL',
      rule: 'status',
      value: 'BREAK',
      bound: 'TRADING',
    });
    expect(checkRules(BTC, buy(0.01, 100))).toMatchObject({
      filter: 'PRICE_FILTER',
      rule: 'minPrice',
      bound: 556.8,
    });
    expect(checkRules(BTC, buy(0.01, 60000.05))).toMatchObject({
      filter: 'PRICE_FILTER',
      rule: 'tickSize',
      bound: 0.1,
    });
    expect(checkRules(BTC, buy(0.0005, 60000))).toMatchObject({
      filter: 'LOT_SIZE',
      rule: 'minQty',
    });
    expect(checkRules(BTC, buy(200, 60000))).toMatchObject({
      filter: 'MARKET_LOT_SIZE',
      rule: 'maxQty',
      bound: 120,
    });
    expect(checkRules(BTC, buy(0.001, 1000))).toMatchObject({
      filter: 'MIN_NOTIONAL',
      value: 1,
      bound: 5,
    });
    expect(checkRules(BTC, { ...buy(0.001, 1000), reduceOnly: true })).toBeUndefined();
    expect(checkRules(BTC, buy(0.01, 63500, 60000))).toMatchObject({
      filter: 'PERCENT_PRICE',
      rule: 'multiplierUp',
      value: 63500,
      bound: 63000,
    });
    expect(checkRules(BTC, { ...buy(0.01, 56000, 60000), side: 'SELL' })).toMatchObject({
      filter: 'PERCENT_PRICE',
      rule: 'multiplierDown',
    });
  });

  it("accepts exactly the quantities that print with at most the step's decimals and sit on the step", () => {
    const r: SymbolRules = { ...BNB, minQty: 0.01, marketMinQty: 0.01 };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 4 }),
        (units, extra) => {
          // units / 10^(2+extra): valid exactly when the extra digits are zeros
          const q = Number(`${units}e-${2 + extra}`);
          const valid = q >= 0.01 && places(q) <= 2 && q <= r.marketMaxQty;
          return (checkRules(r, buy(q, 1000)) === undefined) === valid;
        },
      ),
      { numRuns: 5_000 },
    );
  });
});
