// Detects a step of the wall clock against the monotonic clock: their difference (the skew) stays
// put while both run (NTP slews both alike); a step moves it at once. A step beyond the tolerance
// is "unexplained" until the wall clock comes back within the tolerance or an operator accepts the
// new wall time (acceptClock); meanwhile retention does not prune (records/retention.ts).

/** Pure state: plain numbers, serialisable. */
export interface ClockStepState {
  /** wall − monotonic (ms) taken as right: at start-up, or when an operator accepted the clock. */
  baselineSkewMs: number;
  /** The unexplained step (ms, + forward, − backward); 0 while within the tolerance. */
  stepMs: number;
}

/** What one observation changed: a new or larger step, the clock back within the tolerance, or nothing. */
export type ClockStepChange = 'stepped' | 'returned' | undefined;

/** The state at start-up: the wall clock is taken as it is. */
export function initialClockState(wallMs: number, monoMs: number): ClockStepState {
  return { baselineSkewMs: wallMs - monoMs, stepMs: 0 };
}

/**
 * One look at both clocks. A step beyond `toleranceMs` is reported once ('stepped') and again
 * when it changes by more than the tolerance; its end ('returned') when the skew is back within
 * the tolerance of the baseline.
 */
export function observeClocks(
  s: ClockStepState,
  wallMs: number,
  monoMs: number,
  toleranceMs: number,
): { state: ClockStepState; change: ClockStepChange } {
  const step = wallMs - monoMs - s.baselineSkewMs;
  if (Math.abs(step) <= toleranceMs)
    return s.stepMs === 0
      ? { state: s, change: undefined }
      : { state: { ...s, stepMs: 0 }, change: 'returned' };
  const changed = s.stepMs === 0 || Math.abs(step - s.stepMs) > toleranceMs;
  return { state: { ...s, stepMs: step }, change: changed ? 'stepped' : undefined };
}

/** An operator says the wall clock is right now: it becomes the baseline, and no step remains. */
export function acceptClock(wallMs: number, monoMs: number): ClockStepState {
  return initialClockState(wallMs, monoMs);
}
