// The two clocks of the worker. The wall clock (Date.now) stamps records; it can step (NTP, a
// wrong RTC, an operator's `date -s`). The monotonic clock times every interval (token buckets,
// breakers, cool-downs, caches, windows); it never steps. Both read epoch milliseconds, so a
// monotonic reading is the wall-clock time the process would see had the wall clock not stepped.

/** Epoch milliseconds from each clock. */
export interface Clocks {
  /** Wall-clock time: for records (event times, logs, tokens checked by others). */
  wallMs(): number;
  /** Monotonic time on the epoch scale: the wall time at start plus the time elapsed since. */
  monoMs(): number;
}
