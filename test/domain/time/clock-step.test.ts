import { describe, expect, it } from 'bun:test';
import {
  acceptClock,
  initialClockState,
  observeClocks,
} from '../../../src/domain/time/clock-step.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 11, 1);

describe('observeClocks', () => {
  it('sees nothing while both clocks run together, or drift within the tolerance', () => {
    const s = initialClockState(T0, T0);
    expect(observeClocks(s, T0 + 5_000, T0 + 5_000, 60_000).change).toBeUndefined();
    expect(observeClocks(s, T0 + 65_000, T0 + 5_000, 60_000)).toEqual({
      state: s,
      change: undefined,
    });
  });

  it('reports a 40-day step forward once, and its return', () => {
    let s = initialClockState(T0, T0);
    const first = observeClocks(s, T0 + 40 * DAY + 1_000, T0 + 1_000, 60_000);
    expect(first.change).toBe('stepped');
    expect(first.state.stepMs).toBe(40 * DAY);
    s = first.state;
    // The same step seen again: no new report.
    expect(observeClocks(s, T0 + 40 * DAY + 9_000, T0 + 9_000, 60_000).change).toBeUndefined();
    const back = observeClocks(s, T0 + 10_000, T0 + 10_000, 60_000);
    expect(back).toEqual({ state: { baselineSkewMs: 0, stepMs: 0 }, change: 'returned' });
  });

  it('reports a 1-hour step back, and a further step as a new one', () => {
    const first = observeClocks(initialClockState(T0, T0), T0 - 3_600_000, T0, 60_000);
    expect([first.change, first.state.stepMs]).toEqual(['stepped', -3_600_000]);
    const further = observeClocks(first.state, T0 - 7_200_000, T0, 60_000);
    expect([further.change, further.state.stepMs]).toEqual(['stepped', -7_200_000]);
  });

  it('takes the wall clock as right once accepted', () => {
    const stepped = observeClocks(initialClockState(T0, T0), T0 + DAY, T0, 60_000).state;
    const accepted = acceptClock(T0 + DAY, T0);
    expect(stepped.stepMs).toBe(DAY);
    expect(observeClocks(accepted, T0 + DAY + 1_000, T0 + 1_000, 60_000).change).toBeUndefined();
  });
});
