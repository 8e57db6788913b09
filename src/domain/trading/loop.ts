// Runs the coordinator's cycle every `intervalMs`, one cycle at a time (a slow cycle delays the
// next, never overlaps it). `beforeCycle` lets the paper set-up move its market first. Timers are
// injected, so tests drive the loop without sleeping. A cycle that throws is counted and logged
// by the coordinator's stages; anything that escapes is caught here and the loop goes on.
import type { LogPort } from '../../ports/log.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { ComponentHealth } from '../health/health.ts';
import type { Coordinator } from './coordinator.ts';
import { messageOf } from '../error-message.mjs';

export interface TradingLoopOptions {
  coordinator: Coordinator;
  intervalMs: number;
  beforeCycle?: () => void | Promise<unknown>;
  metrics: Metrics;
  log: LogPort;
  /** The monotonic clock (ms): the health's age of the last cycle never follows a wall-clock step. */
  monoMs: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export interface TradingLoop {
  /** True between start() and stop(). */
  readonly running: boolean;
  start(): void;
  /** Stops scheduling and waits for a running cycle to finish. */
  stop(): Promise<void>;
  /** ok while cycles keep coming; degraded when the last one is older than three intervals (monotonic). */
  health(): ComponentHealth;
}

export function createTradingLoop(o: TradingLoopOptions): TradingLoop {
  const setTimer = o.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = o.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  let timer: unknown;
  let running: Promise<void> | undefined;
  let stopped = true;
  let lastCycleMonoMs: number | undefined;

  const tick = () => {
    running = (async () => {
      try {
        await o.beforeCycle?.();
        await o.coordinator.runCycle();
        lastCycleMonoMs = o.monoMs();
      } catch (e) {
        o.metrics.loopError('cycle');
        o.log.error({ err: e }, 'Cycle failed');
      }
    })().finally(() => {
      running = undefined;
      if (!stopped) timer = setTimer(tick, o.intervalMs);
    });
  };

  return {
    get running() {
      return !stopped;
    },
    start() {
      if (!stopped) return;
      stopped = false;
      timer = setTimer(tick, 0);
    },
    async stop() {
      stopped = true;
      clearTimer(timer);
      await running;
    },
    health() {
      if (stopped) return { status: 'disabled', detail: 'the trading loop is stopped' };
      if (lastCycleMonoMs === undefined) return { status: 'ok', detail: 'starting' };
      const age = o.monoMs() - lastCycleMonoMs;
      return age > 3 * o.intervalMs + 5_000
        ? { status: 'degraded', detail: `last cycle ${Math.round(age / 1000)} s ago` }
        : { status: 'ok', detail: `${o.coordinator.cycles} cycles` };
    },
  };
}
