// GET leverageBracket without a symbol (v3.md "Notional and Leverage Brackets"): an array, one entry
// per symbol, each with its brackets (notionalFloor, notionalCap, maintMarginRatio, cum; numbers as
// JSON numbers, as the docs' example shows them). Read into each symbol's maintenance table, lowest
// notional first. Extra fields are ignored; the ones read must be present and well-formed.
import { z } from 'zod';
import type { BracketTable } from '../../../../domain/portfolio/margin.ts';

const row = z.object({
  notionalCap: z.number().nonnegative(),
  notionalFloor: z.number().nonnegative(),
  maintMarginRatio: z.number().nonnegative().max(1),
  cum: z.number(),
});

/** Symbol → its maintenance brackets (upToUsd = notionalCap, rate = maintMarginRatio, cumUsd = cum). */
export const maintenanceBrackets = z
  .array(z.object({ symbol: z.string(), brackets: z.array(row).min(1) }))
  .transform(
    (rows) =>
      new Map(
        rows.map((r): [string, BracketTable] => [
          r.symbol,
          [...r.brackets]
            .sort((a, b) => a.notionalFloor - b.notionalFloor)
            .map((b) => ({ upToUsd: b.notionalCap, rate: b.maintMarginRatio, cumUsd: b.cum })),
        ]),
      ),
  );
