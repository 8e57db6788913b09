// A resilience registry on real parts (WASM core, in-memory libSQL, prom-client, pino into a
// buffer) with a clock the test moves: sleeping advances it instead of waiting.
import { componentLogger, createLogger } from '../../../src/adapters/logging/logger.ts';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus.ts';
import {
  createResilience,
  type ResilienceDeps,
} from '../../../src/adapters/resilience/registry.ts';
import { createLibsqlEventStore } from '../../../src/adapters/store/libsql/event-store.ts';
import { loadWasmCore } from '../../../src/adapters/wasm/load.ts';
import { captureLogs } from '../../helpers/test-deps.ts';

export interface FakeClock {
  now: number;
  /** How many times the registry read the clock. */
  reads: number;
  readonly sleeps: number[];
  advance(ms: number): void;
}

export function fakeClock(startMs = 1_700_000_000_000): FakeClock {
  const clock = {
    now: startMs,
    reads: 0,
    sleeps: [] as number[],
    advance(ms: number) {
      clock.now += ms;
    },
  };
  return clock;
}

export async function createTestResilience(
  opts: Partial<Pick<ResilienceDeps, 'defaultBreaker'>> & { clock?: FakeClock } = {},
) {
  const clock = opts.clock ?? fakeClock();
  const core = await loadWasmCore();
  const metrics = createPrometheusMetrics({
    version: 'test',
    runtime: 'bun',
    instance: 'test',
    processMetrics: false,
  });
  const store = await createLibsqlEventStore({ url: ':memory:', nowMs: () => clock.now });
  const logs = captureLogs();
  const logger = createLogger({ level: 'debug', destination: logs.destination });
  const resilience = createResilience({
    core,
    metrics,
    store,
    log: componentLogger(logger, 'ais.resilience.breaker'),
    limiterLog: componentLogger(logger, 'ais.resilience.limiter'),
    nowMs: () => {
      clock.reads++;
      return clock.now;
    },
    sleep: async (ms) => {
      clock.sleeps.push(ms);
      clock.advance(ms);
    },
    defaultBreaker: opts.defaultBreaker,
  });
  /** The value of one sample in the Prometheus text, or undefined. */
  const sample = async (name: string, labels: string) => {
    const text = await metrics.render();
    const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
    return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
  };
  return { resilience, clock, core, metrics, store, logs: logs.lines, sample };
}
