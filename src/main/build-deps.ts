// The composition root shared by the three start-up files: parses config, builds every adapter,
// wires the app. Runtime-specific work (serving, signals) stays in bun.ts, deno.ts and node.ts.
// Tests build the same worker with test adapters (WorkerAdapters): an in-memory database through
// AIS_DB_URL=:memory:, a log destination they read, no process metrics.
import pkg from '../../package.json' with { type: 'json' };
import {
  componentLogger,
  createLogger,
  type LogDestination,
  type Logger,
} from '../adapters/logging/logger.ts';
import { createStoreDecisionLog } from '../adapters/logging/store-decision-log.ts';
import { createPrometheusMetrics } from '../adapters/metrics/prometheus.ts';
import { createClocks } from '../adapters/clock/clocks.ts';
import { actOnDrawdownTrip } from '../domain/trading/drawdown-action.ts';
import type { ExchangeProtection } from '../domain/trading/exchange-protection.ts';
import { loadWasmCore } from '../adapters/wasm/load.ts';
import { type Config, configSecrets, type Env, loadConfig } from '../config/config.ts';
import { sweepWhenTradingStops, startControlSync } from '../domain/risk/control-reactions.ts';
import { createApp } from '../http/app.ts';
import type { Metrics } from '../ports/metrics.ts';
import type { AppDeps, RiskDeps } from '../http/deps.ts';
import { EventType } from '../ports/event-store.ts';
import { buildTradingOnAccount } from './build-account.ts';
import { buildAppDeps } from './build-app-deps.ts';
import { buildGuards } from './build-guards.ts';
import { buildRisk } from './build-risk.ts';
import { buildStore } from './build-store.ts';
import { startSymbolRules } from './build-symbol-rules.ts';
import { buildLiveAccount, symbolStatusWatch } from './build-live-account.ts';
import { workerHandle, type Worker } from './worker-handle.ts';

export type { Worker };

/** Which runtime's start-up file built the worker (the build_info label). */
export type RuntimeName = 'bun' | 'deno' | 'node';

/** What a test swaps in; a start-up file passes nothing. */
export interface WorkerAdapters {
  /** Where log lines go; stdout when omitted. */
  logDestination?: LogDestination;
  /** false: no process metrics (a test builds many workers in one process). */
  processMetrics?: boolean;
}

/** Wall clock for records; the monotonic clock (same epoch scale) times every interval. */
const clocks = createClocks();
const nowMs = clocks.wallMs;

/** Builds and starts the worker (reconciled once, loop started when enabled); no server. `config`: `env` already parsed. */
export async function buildWorker(
  runtime: RuntimeName,
  env: Env,
  adapters: WorkerAdapters = {},
  config: Readonly<Config> = loadConfig(env),
): Promise<Worker> {
  const startedMs = performance.now();
  const { logger, metrics } = observability(runtime, config, adapters);
  const built = await buildStore(config, logger, metrics, clocks);
  const { store, retention, clockWatch, bindGuard } = built;
  const core = await loadWasmCore();
  const risk = await buildRisk({
    config,
    core,
    store,
    metrics,
    logger,
    nowMs,
    monoMs: clocks.monoMs,
  });
  const { resilience, alerts } = buildGuards({ config, core, store, metrics, logger, clocks });
  bindGuard(resilience);
  const shared = { config, risk, store, metrics, logger, nowMs, alerts, resilience };
  const trading = { ...shared, monoMs: clocks.monoMs };
  const parts = await buildServices(trading, createStoreDecisionLog(store));
  const deps = buildAppDeps({
    ...shared,
    core,
    services: parts,
    monoMs: clocks.monoMs,
    clock: clockWatch,
  });
  reactToControl(risk.control, parts.trading.protection, config, logger);
  const log = componentLogger(logger, 'ais.main');
  const stopControlSync = startControlSync(risk.control, config.controlSyncMs, log);
  // Reconcile once before trading starts (a divergence halts trading before the first cycle).
  await parts.reconciliation.start();
  parts.userStream?.start();
  if (config.loop.enabled) parts.trading.loop.start();
  return workerHandle({
    runtime,
    startedMs,
    deps,
    store,
    fetch: createApp(deps).fetch,
    log,
    parts: { ...parts, alerts, retention, stopControlSync },
  });
}

/** The root logger (secrets redacted) and the metrics catalogue of this worker. */
function observability(runtime: RuntimeName, config: Readonly<Config>, adapters: WorkerAdapters) {
  const logger = createLogger({
    level: config.logLevel,
    secrets: configSecrets(config),
    destination: adapters.logDestination,
  });
  const metrics = createPrometheusMetrics({
    version: pkg.version,
    runtime,
    instance: config.instanceId,
    processMetrics: adapters.processMetrics,
  });
  return { logger, metrics };
}

/**
 * Stopping trading reaches the exchange, whoever stopped it (open orders that could add exposure
 * are cancelled), and an automatic drawdown trip applies AIS_DRAWDOWN_ACTION to the positions.
 */
function reactToControl(
  control: RiskDeps['control'],
  protection: ExchangeProtection,
  config: Readonly<Config>,
  logger: Logger,
) {
  sweepWhenTradingStops(control, (reason) => protection.sweep(reason));
  actOnDrawdownTrip(
    control,
    config.drawdownAction,
    protection,
    componentLogger(logger, 'ais.risk.drawdown'),
  );
}

type Shared = Pick<
  AppDeps,
  'config' | 'risk' | 'store' | 'logger' | 'nowMs' | 'alerts' | 'resilience'
> & { metrics: Metrics; monoMs: () => number };

/** Trading on the account, the symbol rules, the account ledger, reconciliation and the user-data stream. */
async function buildServices(s: Shared, decisionLog: ReturnType<typeof createStoreDecisionLog>) {
  const log = componentLogger(s.logger, 'ais.main');
  const trading = await buildTradingOnAccount({ ...s, decisionLog, log });
  const symbolRules = await startSymbolRules({
    exchange: trading.exchange,
    engine: s.risk.engine,
    symbols: trading.symbols,
    strict: s.config.exchange === 'aster',
    log: componentLogger(s.logger, 'ais.market.rules'),
    refreshMs: s.config.symbolRulesRefreshMs,
    // A live account: a traded symbol not TRADING trades REDUCING on its own, the others go on.
    status: s.config.exchange === 'aster' ? symbolStatusWatch(s, trading) : undefined,
  });
  // Breakers that were open when the worker stopped stay open for the rest of their cool-down.
  s.resilience.restore(
    await s.store.query({ type: EventType.breakerTransition, newestFirst: true, limit: 1_000 }),
  );
  // Reconciliation, the user-data stream and what keeps the book in line with what the exchange
  // does on its own (income, liquidations and ADLs, settings changed under the worker).
  const { reconciler, reconciliation, userStream, ledger, settings } = buildLiveAccount(s, trading);
  // Aborted when the worker begins to stop: the console's event streams end (AppDeps.console.shutdown).
  const stopping = new AbortController();
  return {
    trading,
    symbolRules,
    reconciler,
    reconciliation,
    userStream,
    stopping,
    ledger,
    settings,
  };
}

export type { Config, Logger };
