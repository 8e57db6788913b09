// The paper exchange's maintenance brackets per symbol, so that paper margins and liquidation
// prices follow a symbol's own table as an `aster` worker's do (GET leverageBracket). Aster prints
// one row of one symbol: ETHUSDT's first bracket (v3.md "Notional and Leverage Brackets", response
// example: initialLeverage 75, notionalCap 10,000, maintMarginRatio 0.0065, cum 0). Above it the
// docs print nothing, so ETHUSDT continues with the default table's rows of a higher rate (1 %,
// 2.5 %, 5 %: Binance's BTCUSDT brackets), each `cum` computed so the margin stays continuous at
// every edge. Every other symbol uses the default table (portfolio/margin.ts MAINTENANCE_BRACKETS).
import {
  type BracketTable,
  MAINTENANCE_BRACKETS,
  type MaintenanceBracket,
} from '../../../domain/portfolio/margin.ts';

/** Rows of caps and rates with each `cum` set so that notional × rate − cum is continuous (Binance's rule for `cum`). */
export function continuousBrackets(
  rows: readonly Omit<MaintenanceBracket, 'cumUsd'>[],
): BracketTable {
  let cum = 0;
  let floor = 0;
  let rate = 0;
  return Object.freeze(
    rows.map((r) => {
      cum += floor * (r.rate - rate);
      floor = r.upToUsd;
      rate = r.rate;
      return { ...r, cumUsd: cum };
    }),
  );
}

/** Aster's documented ETHUSDT row, then the default table's higher rates (see above). */
const ETHUSDT_FIRST = { upToUsd: 10_000, rate: 0.0065 };

const TABLES: Readonly<Record<string, BracketTable>> = {
  ETHUSDT: continuousBrackets([
    ETHUSDT_FIRST,
    ...MAINTENANCE_BRACKETS.filter((b) => b.rate > ETHUSDT_FIRST.rate).map(({ upToUsd, rate }) => ({
      upToUsd,
      rate,
    })),
  ]),
};

/** The paper exchange's brackets of `symbol`: its own table, else the default one. */
export const paperBrackets = (symbol: string): BracketTable =>
  TABLES[symbol] ?? MAINTENANCE_BRACKETS;
