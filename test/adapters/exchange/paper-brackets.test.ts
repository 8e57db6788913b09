// The paper exchange's maintenance brackets: ETHUSDT's first row as Aster's docs print it, every
// table continuous at its edges (the `cum` rule), and the paper margin priced in them.
import { describe, expect, it } from 'bun:test';
import {
  continuousBrackets,
  paperBrackets,
} from '../../../src/adapters/exchange/paper/bracket-table.ts';
import { paperSymbolRules } from '../../../src/adapters/exchange/paper/symbol-table.ts';
import {
  MAINTENANCE_BRACKETS,
  maintenanceMarginUsd,
  marginFigures,
} from '../../../src/domain/portfolio/margin.ts';

describe('paper brackets', () => {
  it("ETHUSDT starts with Aster's documented row (75x, up to 10,000 USD at 0.65 %, cum 0)", () => {
    expect(paperBrackets('ETHUSDT')[0]).toEqual({ upToUsd: 10_000, rate: 0.0065, cumUsd: 0 });
    expect(paperBrackets('BTCUSDT')).toBe(MAINTENANCE_BRACKETS);
    expect(paperSymbolRules('ETHUSDT').brackets).toBe(paperBrackets('ETHUSDT'));
  });

  it('keeps the maintenance margin continuous at every bracket edge', () => {
    for (const table of [paperBrackets('ETHUSDT'), MAINTENANCE_BRACKETS]) {
      for (const b of table.slice(0, -1)) {
        const below = maintenanceMarginUsd(b.upToUsd, table);
        const above = maintenanceMarginUsd(b.upToUsd * (1 + 1e-12), table);
        expect(Math.abs(above - below)).toBeLessThan(1e-6 * b.upToUsd);
      }
    }
    // The default table's own cum values follow the same rule.
    const rebuilt = continuousBrackets(
      MAINTENANCE_BRACKETS.map(({ upToUsd, rate }) => ({ upToUsd, rate })),
    );
    rebuilt.forEach((b, i) => expect(b.cumUsd).toBeCloseTo(MAINTENANCE_BRACKETS[i]!.cumUsd, 6));
  });

  it("prices each position's maintenance in its own symbol's brackets", () => {
    const f = marginFigures(
      10_000,
      [
        { symbol: 'ETHUSDT', quantity: 3, entryPrice: 3_000, markPrice: 3_000, leverage: 10 },
        { symbol: 'BTCUSDT', quantity: 0.1, entryPrice: 60_000, markPrice: 60_000, leverage: 10 },
      ],
      paperBrackets,
    );
    // ETHUSDT 9,000 USD at 0.65 %, BTCUSDT 6,000 USD at 0.4 %.
    expect(f.maintenanceMarginUsd).toBeCloseTo(9_000 * 0.0065 + 6_000 * 0.004, 9);
  });
});
