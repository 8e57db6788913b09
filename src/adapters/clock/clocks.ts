// The worker's clocks from the runtime: Date.now for records, performance.now (CLOCK_MONOTONIC:
// never stepped, only slewed) anchored at the wall time of start-up for intervals.
import type { Clocks } from '../../ports/clock.ts';

/** Both clocks, anchored now; `wall` and `perf` are injectable for tests. */
export function createClocks(
  wall: () => number = Date.now,
  perf: () => number = () => performance.now(),
): Clocks {
  const wallAtStart = wall();
  const perfAtStart = perf();
  return { wallMs: wall, monoMs: () => wallAtStart + (perf() - perfAtStart) };
}
