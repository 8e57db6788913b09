// The exchange_rules guard against an independent implementation of Aster's filters: the fake
// server's, which works on the decimal strings with BigInt (test/fake-aster/filters.ts). Whatever
// the order, the WASM core passes it exactly when the fake exchange would accept it, both as a
// LIMIT order at its price and as a MARKET order (the worker sends MARKET orders; the check sees a price).
import { describe, expect, it } from 'bun:test';
import fc from 'fast-check';
import {
  PAPER_LISTED_SYMBOLS,
  paperSymbolRules,
} from '../../src/adapters/exchange/paper/symbol-table.ts';
import { loadWasmCore } from '../../src/adapters/wasm/load.ts';
import { RULE_STRIDE, writeRuleNumbers } from '../../src/domain/market/rule-numbers.ts';
import { RiskSingle } from '../../src/ports/risk-core.ts';
import { ApiError } from '../fake-aster/engine.ts';
import { applyFilters, type WireOrder } from '../fake-aster/filters.ts';

const core = await loadWasmCore();
// The listed symbols, plus one whose MARKET_LOT_SIZE grid is coarser than its LOT_SIZE grid.
const RULES = [
  ...PAPER_LISTED_SYMBOLS.map(paperSymbolRules),
  { ...paperSymbolRules('BNBUSDT'), symbol: 'COARSEUSDT', marketStepSize: 0.1, marketMinQty: 0.1 },
];

const accepts = (symbol: number, o: WireOrder) => {
  try {
    applyFilters(RULES[symbol]!, o);
    return true;
  } catch (e) {
    if (e instanceof ApiError) return false;
    throw e;
  }
};

/** Decimals near a grid: k × 10^-d, with d around the grids' own decimals, and a few raw doubles. */
const decimal = (maxUnits: number) =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.integer({ min: 1, max: maxUnits }), fc.integer({ min: 0, max: 7 }))
        .map(([k, d]) => k / 10 ** d),
    },
    { weight: 1, arbitrary: fc.double({ min: 1e-6, max: 1e6, noNaN: true }) },
  );

describe("exchange_rules: the WASM core agrees with the fake exchange's filters", () => {
  it('passes an order exactly when the exchange would accept it', () => {
    core.riskSetLimits(1, 1, Infinity, Infinity, Infinity, Infinity, Infinity);
    core.riskSetAccount(0, 0, 1e12, 1e12, 1e12, 0, 0);
    core.bucketInit(0, 1e15, 1e12, 0);
    const table = core.riskRules();
    table.fill(0);
    RULES.forEach((r, i) => writeRuleNumbers(table, i * RULE_STRIDE, r));
    const outcomes = new Set<number>();
    const agreement = fc.property(
      fc.integer({ min: 0, max: RULES.length - 1 }),
      fc.boolean(),
      decimal(10_000_000),
      decimal(10_000_000),
      fc.double({ min: 0.9, max: 1.1, noNaN: true }),
      (s, isBuy, quantity, price, markRatio) => {
        const side = isBuy ? 'BUY' : 'SELL';
        const mark = price * markRatio;
        core.riskCheck(0, mark, isBuy ? quantity : -quantity, price, 0, s, 1);
        const rule = core.riskSingle()[RiskSingle.RULE]!;
        outcomes.add(rule);
        const wire = { side, quantity: String(quantity), reduceOnly: false } as const;
        const exchange =
          accepts(s, { ...wire, type: 'LIMIT', price: String(price), markPrice: mark }) &&
          accepts(s, { ...wire, type: 'MARKET', markPrice: price });
        if ((rule === 0) !== exchange)
          throw new Error(
            `${RULES[s]!.symbol} ${side} ${quantity} @ ${price} (mark ${mark}): core rule ${rule}, exchange ${exchange ? 'accepts' : 'refuses'}`,
          );
      },
    );
    // Fresh random cases every run, and a fixed seed whose cases are known to reach every filter,
    // so the coverage check below does not depend on the luck of the draw.
    fc.assert(agreement, { numRuns: 20_000 });
    outcomes.clear();
    fc.assert(agreement, { numRuns: 20_000, seed: 20261130 });
    // Approvals and most filters were reached (not-trading and unknown symbols are not drawn here).
    expect(outcomes.has(0)).toBe(true);
    for (const code of [3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14])
      expect(outcomes.has(code)).toBe(true);
  });
});
