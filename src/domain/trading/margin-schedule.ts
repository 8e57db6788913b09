// How often the account's margin is read before a cycle (the coordinator's readMargin,
// cycle-reads.ts's readMarginWhenDue): a real exchange's margin costs two signed reads, so it is
// read every few seconds and in the cycle after any fill; paper's margin is in process: every cycle.

/** Between two margin reads from a real exchange (ms): weight 10 a read (two signed reads), 120 a minute of the 2,400. */
export const MARGIN_EVERY_MS = 5_000;

/** The coordinator's `marginEveryMs`: 0 (every cycle) when the margin is in process (paper), else MARGIN_EVERY_MS. */
export const marginEveryMs = (inProcess: boolean): number => (inProcess ? 0 : MARGIN_EVERY_MS);
