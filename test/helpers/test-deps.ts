// AppDeps for in-process HTTP tests: the real adapters (in-memory libSQL, prom-client, pino into
// a buffer), no server. createApp(deps).request() drives it as Hono's testing guide does.
import { Writable } from 'node:stream';
import { componentLogger, createLogger } from '../../src/adapters/logging/logger.ts';
import { createResilience } from '../../src/adapters/resilience/registry.ts';
import { createPrometheusMetrics } from '../../src/adapters/metrics/prometheus.ts';
import { createLibsqlEventStore } from '../../src/adapters/store/libsql/event-store.ts';
import { loadConfig, type Env } from '../../src/config/config.ts';
import { summariseHealth } from '../../src/domain/health/health.ts';
import type { AppDeps } from '../../src/http/deps.ts';
import { loadWasmCore } from '../../src/adapters/wasm/load.ts';
import {
  PAPER_LISTED_SYMBOLS,
  paperSymbolRules,
} from '../../src/adapters/exchange/paper/symbol-table.ts';
import { buildRisk } from '../../src/main/build-risk.ts';
import { createClocks } from '../../src/adapters/clock/clocks.ts';
import type { DecisionLog } from '../../src/ports/decision-log.ts';
import { createStoreDecisionLog } from '../../src/adapters/logging/store-decision-log.ts';
import { createAlertService } from '../../src/adapters/alerts/alert-service.ts';
import { channelsFromConfig } from '../../src/adapters/alerts/channels.ts';
import { unguarded } from '../../src/ports/resilience.ts';

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

export async function createTestDeps(env: Env = {}) {
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
  // The decision trail as an in-memory list of records (the file adapter has its own tests).
  const decisions: Record<string, unknown>[] = [];
  // The entries as given (for assertions), and stored as a worker stores them.
  const stored = createStoreDecisionLog(store);
  const decisionLog: DecisionLog = {
    async append(r) {
      decisions.push(r);
      await stored.append(r);
    },
  };
  const core = await loadWasmCore();
  const clocks = createClocks();
  const risk = await buildRisk({
    config,
    core,
    store,
    metrics,
    logger,
    nowMs: clocks.wallMs,
    monoMs: clocks.monoMs,
  });
  // The symbol rules a worker reads from its exchange at start-up: here the paper exchange's table.
  risk.engine.setSymbolRules(new Map(PAPER_LISTED_SYMBOLS.map((s) => [s, paperSymbolRules(s)])));
  const deps: AppDeps = {
    config,
    logger,
    metrics,
    exporter: metrics,
    store,
    nowMs: Date.now,
    risk,
    alerts: createAlertService({
      store,
      metrics,
      logger,
      channels: channelsFromConfig(config.alerts),
      guard: unguarded,
      nowMs: Date.now,
      dedupWindowMs: config.alerts.dedupWindowMs,
    }),
    resilience: createResilience({
      core,
      metrics,
      store,
      log: componentLogger(logger, 'ais.resilience.breaker'),
      nowMs: Date.now,
    }),
    health: async () =>
      summariseHealth(
        {
          db: { status: 'ok' },
          exchange: { status: 'ok' },
          wasm: { status: 'ok' },
          loop: { status: 'ok' },
          reconciliation: { status: 'ok' },
        },
        'ACTIVE',
        { active: false, reason: null, since: null },
      ),
  };
  return { deps, logs, metrics, store, decisions, decisionLog, risk };
}

export const auth = (token = TEST_TOKEN) => ({ Authorization: `Bearer ${token}` });
