// What a symbol's contract status lets through. Aster lists PENDING_TRADING, TRADING, PRE_SETTLE,
// SETTLING and CLOSE (v3.md "Contract status"). Outside TRADING it refuses an opening order with
// -4140 "Invalid symbol status for opening position" and every order once the symbol is closed
// with -4141 "Symbol is closed" (v3.md, Error Codes): our reading is that a closing (reduce-only)
// order still passes while the symbol settles, which is how a position on a delisted symbol is
// wound down before the exchange settles it. The fake Aster server answers the same way.

/** Statuses in which the exchange still takes a closing order (and only that). */
const CLOSING_ONLY: ReadonlySet<string> = new Set(['PRE_SETTLE', 'SETTLING']);

/** True when a reduce-only order on a symbol in `status` can be placed: TRADING, PRE_SETTLE, SETTLING. */
export const takesClosingOrders = (status: string): boolean =>
  status === 'TRADING' || CLOSING_ONLY.has(status);
