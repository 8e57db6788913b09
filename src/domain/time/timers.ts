// The timers the domain's schedules run on, passed in so a test fires them by hand. The real ones
// are unref'd: a schedule alone never keeps a stopping process alive.

/** A repeating timer: `every(fn, ms)` returns a handle for `cancel`. */
export interface IntervalTimer {
  every(fn: () => void, ms: number): unknown;
  cancel(handle: unknown): void;
}

/** A one-shot timer: `after(fn, ms)` returns a handle for `cancel` (undefined cancels nothing). */
export interface DelayTimer {
  after(fn: () => void, ms: number): unknown;
  cancel(handle: unknown): void;
}

const unref = <T>(handle: T): T => {
  (handle as { unref?: () => void }).unref?.();
  return handle;
};

/** setInterval, unref'd. */
export const realIntervalTimer: IntervalTimer = {
  every: (fn, ms) => unref(setInterval(fn, ms)),
  cancel: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

/** setTimeout, unref'd. */
export const realDelayTimer: DelayTimer = {
  after: (fn, ms) => unref(setTimeout(fn, ms)),
  cancel: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
