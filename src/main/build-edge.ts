// The composition root of an edge isolate (Cloudflare Workers, src/main/workers.ts): the risk gate,
// the control API, /health, /metrics, events and webhooks on a remote libSQL server. Nothing here
// outlives a request: no trading loop, no reconciliation, no retention, no control-sync timer, no
// writer thread, no migrations (`npm run db:migrate` runs them before a deploy).
import pkg from '../../package.json' with { type: 'json' };
import { createClocks } from '../adapters/clock/clocks.ts';
import { componentLogger, createLogger, type Logger } from '../adapters/logging/logger.ts';
import { createPrometheusMetrics } from '../adapters/metrics/prometheus.ts';
import { createLibsqlEventStore } from '../adapters/store/libsql/event-store.ts';
import { createWasmCore } from '../adapters/wasm/wasm-core.ts';
import { readPublicSymbolRules } from '../adapters/exchange/aster/public-symbol-rules.ts';
import { paperSymbolRules } from '../adapters/exchange/paper/symbol-table.ts';
import type { SymbolRules } from '../domain/market/symbol-rules.ts';
import { DEFAULT_SYMBOLS } from '../domain/market/synthetic.ts';
import {
  type Config,
  ConfigError,
  configSecrets,
  type Env,
  loadConfig,
  STORE_DECISION_LOG,
} from '../config/config.ts';
import { checkWithin, storeWriteHealth } from '../domain/health/component-checks.ts';
import { summariseHealth } from '../domain/health/health.ts';
import { redactDeep } from '../domain/redaction/redact.ts';
import { killSwitchView } from '../domain/risk/trading-control.ts';
import { createApp } from '../http/app.ts';
import type { AppDeps, AppMonitoring, ConsoleAssets, RiskDeps } from '../http/deps.ts';
import { EventType, type EventStore } from '../ports/event-store.ts';
import type { RiskCore } from '../ports/risk-core.ts';
import { type CallGuard, unguarded } from '../ports/resilience.ts';
import type { RemoteOptions } from '../adapters/store/libsql/remote-calls.ts';
import { buildGuards, storeCoolDownLeftMs } from './build-guards.ts';
import { buildRisk } from './build-risk.ts';

/** One isolate's worker: answers requests; `settle()` is what must finish after an answer (ctx.waitUntil). */
export interface EdgeWorker {
  config: Readonly<Config>;
  logger: Logger;
  deps: AppDeps;
  /** Re-reads the kill switch and trading state from the shared store, then answers. */
  fetch(req: Request): Promise<Response>;
  /** Resolves when the work a request started (alert notifications, breaker events, control syncs) is done; never rejects. */
  settle(): Promise<void>;
}

/** What the isolate hands in: its bindings and secrets (as the environment) and the compiled core. */
export interface EdgeInput {
  env: Env;
  wasm: WebAssembly.Module;
  /** The runtime label of ais_build_info (`workerd`). */
  runtime: string;
  /** Where log lines go (JSON text, one per call); console.log by default. */
  writeLine?: (line: string) => void;
  /** The console's static files, bundled as text (workers-console-assets.ts); none: they answer 404. */
  consoleAssets?: ConsoleAssets;
}

/** Notifications still retrying after an answer get this long (a Workers waitUntil lasts 30 s). */
const SETTLE_MS = 20_000;

/** Wall clock for records; the monotonic clock (same epoch scale) times every interval. */
const clocks = createClocks();
const nowMs = clocks.wallMs;

/**
 * Refuses what an isolate cannot do, naming the variable: a local database (no disk, no native
 * engine), a JSONL trail (no file system), the trading loop (no process that lives on).
 * @throws ConfigError
 */
function checkEdgeConfig(config: Readonly<Config>): void {
  if (/^file:|^:memory:$/.test(config.db.url))
    throw new ConfigError(
      'config: AIS_DB_URL must be a remote libSQL URL (libsql:, https:) in an isolate: it has no disk',
    );
  if (config.decisionLogPath !== STORE_DECISION_LOG)
    throw new ConfigError(
      'config: AIS_DECISION_LOG_PATH must be store: in an isolate: it has no file system',
    );
  if (config.loop.enabled)
    throw new ConfigError(
      'config: AIS_LOOP_ENABLED must be false in an isolate: the trading loop runs on a VPS worker',
    );
}

/**
 * The exchange_rules guard's table: paper's own table, or the exchange's public exchangeInfo
 * (aster), read once per isolate.
 * @throws ExchangeError when the exchange cannot be read: the isolate is not built (503), and the next request tries again
 */
async function symbolRulesOf(config: Readonly<Config>): Promise<ReadonlyMap<string, SymbolRules>> {
  if (config.exchange === 'aster')
    return readPublicSymbolRules(config.aster.baseUrl, config.exchangeTimeoutMs);
  const symbols = config.loop.symbols ?? DEFAULT_SYMBOLS.map((s) => s.symbol);
  return new Map(symbols.map((symbol) => [symbol, paperSymbolRules(symbol)]));
}

/** The logger (JSON lines through console), the metrics (no process metrics) and the remote store. */
async function edgeAdapters(config: Readonly<Config>, input: EdgeInput, remote: RemoteOptions) {
  const writeLine = input.writeLine ?? ((line: string) => console.log(line));
  // pino writes each line through console: the isolate's log stream, in the same JSON shape.
  const logger = createLogger({
    level: config.logLevel,
    secrets: configSecrets(config),
    destination: { write: (line: string) => writeLine(line.trimEnd()) },
  });
  const metrics = createPrometheusMetrics({
    version: pkg.version,
    runtime: input.runtime,
    instance: config.instanceId,
    processMetrics: false,
  });
  const store = await createLibsqlEventStore({
    url: config.db.url,
    authToken: config.db.authToken,
    nowMs,
    migrate: false,
    // Each request flushes its own writes (no timer of one request serves another).
    maxFlushesInFlight: 64,
    remote,
    onMalformed: (m) =>
      componentLogger(logger, 'ais.store').warn(
        m,
        'Stored event skipped: its payload does not parse as its type',
      ),
    onFlush: (events, seconds) => {
      metrics.eventStoreFlush(seconds);
      for (const e of events) metrics.eventsAppended(e.type, 1);
    },
  });
  return { logger, metrics, store };
}

/** /health of an isolate: the database and the core; the exchange, loop and reconciliation live elsewhere. */
function edgeHealth(store: EventStore, core: RiskCore, risk: RiskDeps): AppMonitoring['health'] {
  const elsewhere = { status: 'disabled', detail: 'runs on the VPS worker' } as const;
  return async () => {
    const db = await checkWithin(
      async () => (await store.ping(), storeWriteHealth(store, nowMs())),
    );
    // Details quote error messages, which may quote a URL (a remote database's, with its token).
    return redactDeep(
      summariseHealth(
        {
          db,
          exchange: elsewhere,
          wasm: { status: 'ok', detail: core.kind },
          loop: { status: 'disabled', detail: 'AIS_LOOP_ENABLED=false' },
          reconciliation: elsewhere,
        },
        risk.control.state().tradingState,
        killSwitchView(risk.control.state()),
      ),
    );
  };
}

/**
 * Builds the edge worker once per isolate (its first request awaits this).
 * @throws ConfigError for a setting an isolate cannot honour; the store's error when the database is unreachable
 */
export async function buildEdgeWorker(input: EdgeInput): Promise<EdgeWorker> {
  const config = loadConfig(input.env);
  checkEdgeConfig(config);
  // A remote database is called through its breaker (libsql.remote), bound once the registry exists.
  let storeGuard: CallGuard = unguarded;
  let coolDownLeftMs = () => 0;
  const { logger, metrics, store } = await edgeAdapters(config, input, {
    guard: (service, fn) => storeGuard(service, fn),
    deadlineMs: config.db.timeoutMs,
    coolDownLeftMs: () => coolDownLeftMs(),
  });
  const core = await createWasmCore(input.wasm);
  const risk = await buildRisk({
    ...{ config, core, store, metrics, logger },
    ...{ nowMs, monoMs: clocks.monoMs },
  });
  risk.engine.setSymbolRules(await symbolRulesOf(config));
  const { resilience, alerts } = buildGuards({ config, core, store, metrics, logger, clocks });
  storeGuard = resilience.guard;
  coolDownLeftMs = () => storeCoolDownLeftMs(resilience);
  resilience.restore(
    await store.query({ type: EventType.breakerTransition, newestFirst: true, limit: 1_000 }),
  );
  const health = edgeHealth(store, core, risk);
  const deps: AppDeps = {
    config,
    logger,
    store,
    nowMs,
    risk,
    alerts,
    resilience,
    monitoring: { metrics, exporter: metrics, health },
    // The trading side runs on the VPS worker: none of its doors here.
    trading: {},
    console: { assets: input.consoleAssets },
  };
  const app = createApp(deps);
  const log = componentLogger(logger, 'ais.main');
  log.info({ runtime: input.runtime, exchange: config.exchange }, 'Edge worker built');
  return {
    config,
    logger,
    deps,
    async fetch(req) {
      // No timer keeps an isolate's view fresh: read the shared control state before each answer.
      await risk.control.sync().catch((e) => log.warn({ err: e }, 'Control state sync failed'));
      return app.fetch(req);
    },
    async settle() {
      // A sync a request started without awaiting it (after a refusal) finishes under waitUntil.
      await Promise.allSettled([
        alerts.drain(SETTLE_MS),
        resilience.settled(),
        risk.control.idle(),
      ]);
    },
  };
}
