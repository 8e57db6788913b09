// A breaker's sliding window: a ring of `windowSlots` slots of [slot epoch, calls, failures], slot
// epoch = floor(t / slotMs); a slot from an earlier lap of the ring starts over.
import type { BreakerOptions } from './breaker-options.ts';

/** What the window functions read of a breaker's state. */
interface WindowedState {
  options: BreakerOptions;
  window: number[];
}

export const emptyWindow = (slots: number) =>
  new Array<number>(slots * 3).fill(0).map((_, i) => (i % 3 === 0 ? -1 : 0));
const slotMs = (o: BreakerOptions) => o.windowMs / o.windowSlots;
const epochOf = (o: BreakerOptions, nowMs: number) => Math.floor(nowMs / slotMs(o));

/** Calls and failures in the window ending at nowMs. */
export function windowCounts(s: WindowedState, nowMs: number): { calls: number; failures: number } {
  const epoch = epochOf(s.options, nowMs);
  let calls = 0;
  let failures = 0;
  for (let i = 0; i < s.window.length; i += 3) {
    const e = s.window[i]!;
    if (e > epoch - s.options.windowSlots && e <= epoch) {
      calls += s.window[i + 1]!;
      failures += s.window[i + 2]!;
    }
  }
  return { calls, failures };
}

export function record(s: WindowedState, nowMs: number, failed: boolean): number[] {
  const w = s.window.slice();
  countInto(w, windowSlot(s.options, nowMs), failed);
  return w;
}

/**
 * The window slot that outcomes at a time go to, and the span of times `[fromMs, toMs]` known to
 * go to it too, so that a caller counting many outcomes can keep it for the slot's duration:
 * finding a slot takes three dependent divisions, about 20 ns on the hot path, where checking a
 * time against the span takes two comparisons.
 */
export interface WindowSlot {
  /** floor(t / slotMs) of the times in the span. */
  epoch: number;
  /** Where the slot's [epoch, calls, failures] start in the ring. */
  at: number;
  fromMs: number;
  toMs: number;
}

/** The slot of nowMs (see WindowSlot). */
export function windowSlot(o: BreakerOptions, nowMs: number): WindowSlot {
  const epoch = epochOf(o, nowMs);
  const at = (((epoch % o.windowSlots) + o.windowSlots) % o.windowSlots) * 3;
  // epochOf never decreases as time grows (a rounded division by a constant is monotone), so every
  // time between two times of this epoch is of this epoch too. The span runs to the slot's edges
  // less 1 ms (rounding can only move an edge by far less), each end checked with epochOf itself.
  const lo = epoch * slotMs(o) + 1;
  const hi = (epoch + 1) * slotMs(o) - 1;
  const fromMs = lo < nowMs && epochOf(o, lo) === epoch ? lo : nowMs;
  const toMs = hi > nowMs && epochOf(o, hi) === epoch ? hi : nowMs;
  return { epoch, at, fromMs, toMs };
}

/** Counts one outcome into `slot` of the window ring `w`, in place. */
export function countInto(w: number[], slot: WindowSlot, failed: boolean): void {
  const { epoch, at } = slot;
  // A slot from an earlier lap of the ring starts over; an outcome from before the slot's epoch
  // (a clock that stepped back) is added to the slot as it is.
  if (w[at]! < epoch) {
    w[at] = epoch;
    w[at + 1] = 0;
    w[at + 2] = 0;
  }
  w[at + 1]! += 1;
  if (failed) w[at + 2]! += 1;
}
