// Payload schemas of the live account's events (issue #15): the account ledger's rows and the
// per-symbol holds. A schema only widens: old rows must keep parsing.
import { z } from 'zod';

/** One change of the margin wallet as the exchange reported it, booked as what it is (domain/account/ledger.ts). */
export const ledger = z.object({
  /** The exchange's transaction id (unique within its income type). */
  id: z.string(),
  kind: z.string(),
  /** The exchange's incomeType. */
  income_type: z.string(),
  /** in_trades (recorded only), pnl, cash_movement (NAV references rebased). */
  treatment: z.enum(['in_trades', 'pnl', 'cash_movement']),
  symbol: z.string(),
  amount_usd: z.number(),
  /** When the exchange booked it (its clock); the event's own time is when the worker did. */
  time_ms: z.number(),
});

/** A symbol held (REDUCING or HALTED for that symbol alone) or its hold cleared (domain/risk/symbol-holds.ts). */
export const symbolHold = z.object({
  symbol: z.string(),
  state: z.enum(['REDUCING', 'HALTED', 'CLEARED']),
  cause: z.enum(['liquidation', 'delisted', 'settings']),
  reason: z.string(),
  by: z.string(),
});
