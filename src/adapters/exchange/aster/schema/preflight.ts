// Answers only the pre-flight reads: Account Information's permission flags (v3.md "Account
// Information v3": canTrade, canDeposit, canWithdraw) and "Notional and Leverage Brackets" (GET
// leverageBracket without a symbol: an array, one entry per symbol; numbers as JSON numbers, as the
// docs' example shows them). Extra fields are ignored; the ones read must be present and well-formed.
import { z } from 'zod';
import type { BracketFact } from '../../../../domain/account/preflight-checks.ts';

export const accountPermissions = z.object({
  canTrade: z.boolean(),
  canDeposit: z.boolean(),
  canWithdraw: z.boolean(),
});

const bracket = z.object({
  bracket: z.number().int().positive(),
  initialLeverage: z.number().int().positive(),
  notionalCap: z.number().nonnegative(),
  notionalFloor: z.number().nonnegative(),
  maintMarginRatio: z.number().nonnegative(),
  cum: z.number(),
});

/** Symbol → its first (lowest-notional) bracket: the highest leverage the symbol allows. */
export const leverageBrackets = z
  .array(z.object({ symbol: z.string(), brackets: z.array(bracket).min(1) }))
  .transform((rows) =>
    Object.fromEntries(
      rows.map((r): [string, BracketFact] => {
        const first = [...r.brackets].sort((a, b) => a.notionalFloor - b.notionalFloor)[0]!;
        return [
          r.symbol,
          { maxLeverage: first.initialLeverage, maintMarginRatio: first.maintMarginRatio },
        ];
      }),
    ),
  );
