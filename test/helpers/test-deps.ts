// In-process HTTP tests build the worker with the real builder and test adapters (in-memory libSQL,
// pino into a buffer, no server); createApp(deps).request() drives it as Hono's testing guide does.
import { Writable } from 'node:stream';
import type { PrometheusMetrics } from '../../src/adapters/metrics/prometheus.ts';
import { createStoreDecisionLog } from '../../src/adapters/logging/store-decision-log.ts';
import type { Env } from '../../src/config/config.ts';
import { createClocks } from '../../src/adapters/clock/clocks.ts';
import {
  PAPER_LISTED_SYMBOLS,
  paperSymbolRules,
} from '../../src/adapters/exchange/paper/symbol-table.ts';
import { createLogger } from '../../src/adapters/logging/logger.ts';
import { createPrometheusMetrics } from '../../src/adapters/metrics/prometheus.ts';
import { createLibsqlEventStore } from '../../src/adapters/store/libsql/event-store.ts';
import { loadWasmCore } from '../../src/adapters/wasm/load.ts';
import { loadConfig } from '../../src/config/config.ts';
import { buildWorker } from '../../src/main/build-deps.ts';
import { buildRisk } from '../../src/main/build-risk.ts';
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
      // Every scrape renders afresh, so a test reads the counters as they are.
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
    metrics: deps.metrics as PrometheusMetrics,
    store: deps.store,
    decisions,
    decisionLog,
    risk: deps.risk,
  };
}

/**
 * The risk side alone, built as the worker builds it (buildRisk over the real adapters), for tests
 * that build their own trading side on an exchange the worker would not reach (an aster
 * configuration over a paper exchange standing in for the live one).
 */
export async function createRiskSide(env: Env = {}) {
  const config = loadConfig({ AIS_API_TOKEN: TEST_TOKEN, AIS_DB_URL: ':memory:', ...env });
  const logs = captureLogs();
  const logger = createLogger({ level: 'debug', destination: logs.destination });
  const metrics = createPrometheusMetrics({
    version: 'test',
    runtime: 'bun',
    instance: 'test',
    processMetrics: false,
  });
  const store = await createLibsqlEventStore({ url: config.db.url, nowMs: Date.now });
  const clocks = createClocks();
  const core = await loadWasmCore();
  const risk = await buildRisk({ config, core, store, metrics, logger, ...clocksOf(clocks) });
  // The symbol rules a worker reads from its exchange at start-up: here the paper exchange's table.
  risk.engine.setSymbolRules(new Map(PAPER_LISTED_SYMBOLS.map((s) => [s, paperSymbolRules(s)])));
  const decisionLog = createStoreDecisionLog(store);
  return { deps: { config, logger }, logs, metrics, store, risk, decisionLog };
}

const clocksOf = (c: ReturnType<typeof createClocks>) => ({ nowMs: c.wallMs, monoMs: c.monoMs });

export const auth = (token = TEST_TOKEN) => ({ Authorization: `Bearer ${token}` });
