// Watches the wall clock against the monotonic clock (domain/time/clock-step.ts) every few
// seconds and on demand (each retention pass looks first): a step beyond the tolerance is logged,
// exported (ais_clock_step_seconds, ais_clock_steps_total) for the WallClockStepped alert, and
// suspends retention until the clock comes back or an operator accepts it (POST /v1/clock/accept).
import {
  acceptClock,
  type ClockStepState,
  initialClockState,
  observeClocks,
} from '../../domain/time/clock-step.ts';
import type { Clocks } from '../../ports/clock.ts';
import type { LogPort } from '../../ports/log.ts';
import type { Metrics } from '../../ports/metrics.ts';

/** What GET /v1/clock shows. */
export interface ClockView {
  wall: string;
  /** The wall time had the clock not stepped since start-up (or the last acceptance). */
  expected_wall: string;
  step_ms: number;
  tolerance_ms: number;
  retention_suspended: boolean;
}

export interface ClockWatch {
  /** Looks at both clocks now (logging and exporting a change); answers the unexplained step in ms (0: none). */
  check(): number;
  /** The wall clock as it is now becomes the baseline (an operator explained the step); answers the step accepted. */
  accept(by: string): number;
  view(): ClockView;
  stop(): void;
}

interface ClockWatchOptions {
  clocks: Clocks;
  /** Steps up to this are ignored (AIS_CLOCK_STEP_TOLERANCE_MS). */
  toleranceMs: number;
  metrics: Pick<Metrics, 'clockStep'>;
  log: LogPort;
  /** Time between looks (default 5 s). */
  intervalMs?: number;
}

export function startClockWatch(opts: ClockWatchOptions): ClockWatch {
  const { clocks, toleranceMs, metrics, log } = opts;
  let state: ClockStepState = initialClockState(clocks.wallMs(), clocks.monoMs());
  metrics.clockStep(0, undefined);
  const iso = (ms: number) => new Date(ms).toISOString();

  function check(): number {
    const wall = clocks.wallMs();
    const mono = clocks.monoMs();
    const { state: next, change } = observeClocks(state, wall, mono, toleranceMs);
    state = next;
    if (change === 'stepped') {
      metrics.clockStep(state.stepMs / 1000, state.stepMs > 0 ? 'forward' : 'backward');
      log.error(
        {
          step_ms: Math.round(state.stepMs),
          wall: iso(wall),
          expected_wall: iso(mono + state.baselineSkewMs),
        },
        'Wall clock stepped: retention suspended until the clock comes back or an operator accepts it',
      );
    } else if (change === 'returned') {
      metrics.clockStep(0, undefined);
      log.warn({ wall: iso(wall) }, 'Wall clock back within the tolerance: retention resumes');
    }
    return state.stepMs;
  }
  const timer = setInterval(check, opts.intervalMs ?? 5_000);
  (timer as { unref?: () => void }).unref?.();

  return {
    check,
    accept(by) {
      const accepted = check();
      state = acceptClock(clocks.wallMs(), clocks.monoMs());
      metrics.clockStep(0, undefined);
      log.warn(
        { by, step_ms: Math.round(accepted) },
        'Wall clock accepted by an operator: retention resumes',
      );
      return accepted;
    },
    view() {
      const stepMs = check();
      return {
        wall: iso(clocks.wallMs()),
        expected_wall: iso(clocks.monoMs() + state.baselineSkewMs),
        step_ms: Math.round(stepMs),
        tolerance_ms: toleranceMs,
        retention_suspended: stepMs !== 0,
      };
    },
    stop: () => clearInterval(timer),
  };
}
