// In-process HTTP tests build the worker with the real builder and test adapters (in-memory libSQL,
// pino into a buffer, no server); createApp(deps).request() drives it as Hono's testing guide does.
import { Writable } from 'node:stream';
import type { PrometheusMetrics } from '../../src/adapters/metrics/prometheus.ts';
import { createStoreDecisionLog } from '../../src/adapters/logging/store-decision-log.ts';
import type { Env } from '../../src/config/config.ts';
import { buildWorker } from '../../src/main/build-deps.ts';
import type { DecisionLog } from '../../src/ports/decision-log.ts';
import type { EventQuery, EventType } from '../../src/ports/event-store.ts';

export const TEST_TOKEN = 'test-token-0123456789abcdef';

/** Collects log lines as parsed JSON objects. */
export function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, destination };
}

/**
 * A worker built by the real builder (buildWorker) with test adapters: an in-memory database, log
 * lines captured as parsed JSON, no process metrics, no server, the trading loop off unless `env`
 * turns it on. Tests drive `createApp(deps).request()` or `worker.fetch`; `close()` stops it.
 */
export async function createTestWorker(env: Env = {}) {
  const logs = captureLogs();
  const worker = await buildWorker(
    'bun',
    {
      AIS_API_TOKEN: TEST_TOKEN,
      AIS_DB_URL: ':memory:',
      AIS_LOG_LEVEL: 'debug',
      AIS_LOOP_ENABLED: 'false',
      // Every scrape renders afresh, so that a test reads what it just did.
      AIS_METRICS_CACHE_MS: '0',
      ...env,
    },
    { logDestination: logs.destination, processMetrics: false },
  );
  // What the worker stored while starting (its first reconciliation, say): tests read what follows.
  const [newest] = await worker.deps.store.query({ newestFirst: true, limit: 1 });
  const newEvents = <T extends EventType = EventType>(q: Omit<EventQuery<T>, 'afterId'> = {}) =>
    worker.deps.store.query<T>({ limit: 10_000, ...q, afterId: newest?.id ?? 0 });
  return { worker, deps: worker.deps, logs, newEvents, close: () => worker.close() };
}

/**
 * The real worker's deps (createTestWorker) and what tests that build their own trading side need:
 * its store, metrics and risk side, and a decision log that keeps the entries as given (for
 * assertions) while storing them as a worker does.
 */
export async function createTestDeps(env: Env = {}) {
  const { worker, deps, logs, newEvents } = await createTestWorker(env);
  const decisions: Record<string, unknown>[] = [];
  const stored = createStoreDecisionLog(deps.store);
  const decisionLog: DecisionLog = {
    async append(r) {
      decisions.push(r);
      await stored.append(r);
    },
  };
  return {
    worker,
    deps,
    logs,
    newEvents,
    // The prom-client adapter behind the Metrics port (its registry, for assertions).
    metrics: deps.monitoring.metrics as PrometheusMetrics,
    store: deps.store,
    decisions,
    decisionLog,
    risk: deps.risk,
  };
}

export const auth = (token = TEST_TOKEN) => ({ Authorization: `Bearer ${token}` });
