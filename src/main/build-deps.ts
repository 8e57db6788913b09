// The composition root shared by the three start-up files: parses config, builds every adapter,
// wires the app. Runtime-specific work (serving, signals) stays in bun.ts, deno.ts and node.ts.
import pkg from '../../package.json' with { type: 'json' };
import { createAlertService } from '../adapters/alerts/alert-service.ts';
import { channelsFromConfig } from '../adapters/alerts/channels.ts';
import { componentLogger, createLogger, type Logger } from '../adapters/logging/logger.ts';
import { createStoreDecisionLog } from '../adapters/logging/store-decision-log.ts';
import { createPrometheusMetrics } from '../adapters/metrics/prometheus.ts';
import { createResilience, type Resilience } from '../adapters/resilience/registry.ts';
import { createLibsqlEventStore } from '../adapters/store/libsql/event-store.ts';
import { startRetention } from '../adapters/store/retention.ts';
import { loadWasmCore } from '../adapters/wasm/load.ts';
import { redactDeep, redactUrl } from '../domain/redaction/redact.ts';
import {
  type Config,
  configSecrets,
  type Env,
  loadConfig,
  STORE_DECISION_LOG,
} from '../config/config.ts';
import { type ComponentHealth, summariseHealth } from '../domain/health/health.ts';
import { reconciliationHealth } from '../domain/reconciliation/health.ts';
import { isTrailType } from '../domain/records/trail.ts';
import { stopsTrading } from '../domain/risk/control-service.ts';
import { killSwitchView } from '../domain/risk/trading-control.ts';
import { createLedgerBooker } from '../domain/account/ledger-booker.ts';
import { createApp } from '../http/app.ts';
import type { AppDeps } from '../http/deps.ts';
import { EventType, type EventStore } from '../ports/event-store.ts';
import { type CallGuard, unguarded } from '../ports/resilience.ts';
import { buildTradingOnAccount } from './build-account.ts';
import { buildReconciliation } from './build-reconciliation.ts';
import { startSymbolRules } from './build-symbol-rules.ts';
import { buildUserStream, withStreamHealth } from './build-user-stream.ts';
import { buildRisk } from './build-risk.ts';
import { messageOf } from '../domain/error-message.mjs';

type RuntimeName = 'bun' | 'deno' | 'node';

export interface Worker {
  config: Readonly<Config>;
  logger: Logger;
  fetch: (req: Request) => Response | Promise<Response>;
  deps: AppDeps;
  /** Logs the start-up line once the server listens. */
  listening(port: number): void;
  /** SIGHUP: reopens the decision trail at its path (after logrotate or `mv`); never throws. */
  reopenLogs(): Promise<void>;
  /** Flushes and closes every adapter; idempotent. */
  close(): Promise<void>;
}

const nowMs = () => Date.now();

/** Async checks must answer within this time or count as down. */
const CHECK_TIMEOUT_MS = 2_000;

async function check(fn: () => Promise<ComponentHealth>): Promise<ComponentHealth> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<ComponentHealth>((resolve) => {
    timer = setTimeout(
      () => resolve({ status: 'down', detail: `no answer within ${CHECK_TIMEOUT_MS} ms` }),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([fn(), timeout]);
  } catch (e) {
    return { status: 'down', detail: messageOf(e) };
  } finally {
    clearTimeout(timer);
  }
}

export async function buildWorker(runtime: RuntimeName, env: Env): Promise<Worker> {
  const startedMs = performance.now();
  const config = loadConfig(env);
  const logger = createLogger({ level: config.logLevel, secrets: configSecrets(config) });
  const log = componentLogger(logger, 'ais.main');
  const metrics = createPrometheusMetrics({
    version: pkg.version,
    runtime,
    instance: config.instanceId,
  });
  // A remote database is called through its breaker (libsql.remote); the registry that holds it
  // records into this very store, so the guard is bound once both exist.
  let storeGuard: CallGuard = unguarded;
  // A row that no longer parses as its type is skipped by reads (never a crash at start-up): say so, with a running count.
  const storeLog = componentLogger(logger, 'ais.store');
  let malformedRows = 0;
  const store = await createLibsqlEventStore({
    onMalformed: (m) =>
      storeLog.warn(
        { ...m, skipped_total: ++malformedRows },
        'Stored event skipped: its payload does not parse as its type',
      ),
    url: config.db.url,
    authToken: config.db.authToken,
    nowMs,
    guard: (service, fn) => storeGuard(service, fn),
    // The decision trail: a JSONL file projected from the store's decision rows, or those rows alone (store:).
    trail:
      config.decisionLogPath === STORE_DECISION_LOG
        ? undefined
        : { path: config.decisionLogPath, ...config.decisionLogRotation },
    onFlush(events, seconds) {
      metrics.eventStoreFlush(seconds);
      const byType = new Map<EventType, number>();
      for (const e of events) byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
      for (const [type, n] of byType) {
        metrics.eventsAppended(type, n);
        if (isTrailType(type)) metrics.decisionLogged(n);
      }
    },
  });
  if (store.trail && store.trail.repairedBytes > 0)
    log.warn(
      { path: config.decisionLogPath, bytes: store.trail.repairedBytes },
      'Cut a torn tail from the decision log',
    );
  if (store.maintenance.vacuumAtOpen === 'vacuumed')
    log.info(
      {},
      'Database rewritten once (VACUUM) so that retention can give space back (auto_vacuum=INCREMENTAL)',
    );
  if (store.maintenance.vacuumAtOpen === 'vacuum_failed')
    log.warn(
      {},
      'Could not rewrite the database (VACUUM: locked by another worker or no room); retention deletes, but the file shrinks only after a later start',
    );
  const retention = startRetention({
    maintenance: store.maintenance,
    days: config.retentionDays,
    metrics,
    log: componentLogger(logger, 'ais.store.retention'),
    nowMs,
  });
  const decisionLog = createStoreDecisionLog(store);
  const core = await loadWasmCore();
  const risk = await buildRisk({ config, core, store, metrics, logger, nowMs });
  // Breakers and limiters of every outside service; bucket indexes from 0 up (the last is the risk engine's).
  const resilience = createResilience({
    core,
    metrics,
    store,
    log: componentLogger(logger, 'ais.resilience.breaker'),
    limiterLog: componentLogger(logger, 'ais.resilience.limiter'),
    nowMs,
    defaultBreaker: { openMs: config.breakerCooldownMs },
  });
  storeGuard = resilience.guard;
  const alerts = createAlertService({
    store,
    metrics,
    logger: componentLogger(logger, 'ais.alerts'),
    channels: channelsFromConfig(config.alerts),
    guard: resilience.guard,
    nowMs,
  });

  const trading = await buildTradingOnAccount({
    config,
    risk,
    store,
    metrics,
    logger,
    decisionLog,
    nowMs,
    resilience,
    log,
    alerts,
  });
  const symbolRules = await startSymbolRules({
    exchange: trading.exchange,
    engine: risk.engine,
    symbols: trading.symbols,
    strict: config.exchange === 'aster',
    log: componentLogger(logger, 'ais.market.rules'),
  });
  // Breakers that were open when the worker stopped stay open for the rest of their cool-down.
  resilience.restore(
    await store.query({ type: EventType.breakerTransition, newestFirst: true, limit: 1_000 }),
  );

  // Every wallet change that is not a fill (funding, transfers, insurance clearance, rebates) moves
  // the exchange's wallet: the ledger books them before each reconciliation compares NAVs. Rows
  // from now on, in the exchange's clock (the income window is sent to the exchange).
  const ledger = createLedgerBooker({
    exchange: trading.exchange,
    book: risk.portfolio,
    store,
    log: componentLogger(logger, 'ais.account.ledger'),
    metrics,
    alerts,
    startMs: trading.exchange.serverNowMs(),
  });
  const { reconciler, loop: reconciliation } = buildReconciliation({
    config,
    trading,
    risk,
    store,
    metrics,
    logger,
    alerts,
    nowMs,
    beforeRun: () => ledger.sync(),
  });

  // Aster: the account in real time (fills, margin calls, liquidations) from the user-data stream.
  const userStream =
    trading.userStream &&
    buildUserStream({
      source: trading.userStream,
      trading,
      risk,
      alerts,
      reconcileNow: () => reconciliation.runNow(),
      syncLedger: () => ledger.sync(),
      guard: resilience.guard,
      metrics,
      logger,
      nowMs,
    });

  const deps: AppDeps = {
    config,
    logger,
    metrics,
    exporter: metrics,
    store,
    nowMs,
    risk,
    alerts,
    resilience,
    reconciliation: { run: () => reconciliation.runNow() },
    exchangeAccount: trading.account,
    ledger,
    paper: trading.paper && {
      symbols: trading.symbols,
      shock: (symbol, fraction) => trading.paper!.market.shock(symbol, fraction),
    },
    protection: trading.protection,
    trading: {
      symbols: trading.symbols,
      loopRunning: () => trading.loop.running,
      submitSignal: (signal) => trading.coordinator.submitSignal(signal),
      protectiveStops: () => trading.stops?.stops() ?? new Map(),
    },
    async health() {
      const [db] = await Promise.all([
        check(async () => (await store.ping(), storeWriteHealth(store, nowMs()))),
      ]);
      // Details quote error messages, which may quote a URL (a remote database's, with its token).
      return redactDeep(
        summariseHealth(
          {
            db,
            exchange: withStreamHealth(
              protectionHealth(
                exchangeHealth(resilience, trading.exchange.name),
                trading.protection.pending().length,
              ),
              userStream?.status(),
              nowMs(),
            ),
            wasm: { status: 'ok', detail: core.kind },
            loop: config.loop.enabled
              ? trading.loop.health()
              : { status: 'disabled', detail: 'AIS_LOOP_ENABLED=false' },
            reconciliation: reconciliationHealth(
              reconciler.latest(),
              nowMs(),
              config.reconciliation.intervalMs,
            ),
          },
          risk.control.state().tradingState,
          {
            ...killSwitchView(risk.control.state()),
            effective_on_exchange: trading.protection.pending().length === 0,
            pending_cancels: trading.protection.pending().length,
          },
        ),
      );
    },
  };
  // Stopping trading reaches the exchange, whoever stopped it (operator, drawdown, reconciliation,
  // another worker): open orders that could add exposure are cancelled.
  risk.control.subscribe((state, previous) => {
    if (stopsTrading(state, previous))
      void trading.protection.sweep(
        state.killSwitch.active
          ? `kill switch: ${state.killSwitch.reason ?? ''}`
          : `trading HALTED: ${state.tradingReason ?? ''}`,
      );
  });
  const app = createApp(deps);
  // Workers sharing one database share one kill switch: adopt what another worker stored.
  const controlSync = setInterval(() => {
    risk.control
      .sync()
      .catch((e) => log.warn({ error: messageOf(e) }, 'Control state sync failed'));
  }, config.controlSyncMs);
  (controlSync as { unref?: () => void }).unref?.();
  // Reconcile once before trading starts (a divergence halts trading before the first cycle).
  await reconciliation.start();
  userStream?.start();
  if (config.loop.enabled) trading.loop.start();

  let closing: Promise<void> | undefined;
  return {
    config,
    logger,
    deps,
    fetch: app.fetch,
    listening(port) {
      log.info(
        {
          runtime,
          port,
          exchange: config.exchange,
          db: redactUrl(config.db.url),
          startup_ms: Math.round(performance.now() - startedMs),
        },
        'Worker listening',
      );
    },
    async reopenLogs() {
      try {
        if (!store.trail) return;
        await store.trail.reopen();
        log.info({ path: config.decisionLogPath }, 'Reopened the decision trail (SIGHUP)');
      } catch (e) {
        log.error(
          { path: config.decisionLogPath, error: messageOf(e) },
          'Could not reopen the decision trail',
        );
      }
    },
    close() {
      closing ??= (async () => {
        clearInterval(controlSync);
        reconciliation.stop();
        trading.protection.stop();
        symbolRules.stop();
        await userStream?.stop();
        await trading.loop.stop();
        await trading.coordinator
          .snapshot()
          .catch((e) =>
            log.warn({ error: messageOf(e) }, 'Could not store the final portfolio snapshot'),
          );
        // Queued notifications get up to 5 s (one channel timeout) to go out; the rest are dropped.
        await alerts.drain(5_000);
        await retention.stop();
        await store.close().catch(() => undefined);
        log.info({}, 'Worker stopped');
        // The destination writes asynchronously: wait until the last lines are out, since the
        // start-up file exits the process right after close() (a bounded wait: a stuck stdout must
        // not keep a stopping worker alive).
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 2_000);
          logger.flush(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      })();
      return closing;
    },
  };
}

/** Builds the worker or exits with the one-line reason (a bad config names its variable). */
export async function buildWorkerOrExit(
  runtime: RuntimeName,
  env: Env,
  exit: (code: number) => never,
): Promise<Worker> {
  try {
    return await buildWorker(runtime, env);
  } catch (e) {
    console.error(messageOf(e));
    return exit(1);
  }
}

/** The exchange is degraded while any of its breakers is open or probing. */
function exchangeHealth(resilience: Resilience, name: string): ComponentHealth {
  const unwell = resilience
    .stats()
    .breakers.filter((b) => b.name.startsWith(`${name}.`) && b.state !== 'closed');
  return unwell.length
    ? { status: 'degraded', detail: unwell.map((b) => `${b.name} ${b.state}`).join(', ') }
    : { status: 'ok', detail: name };
}

/** While the kill switch still has orders to cancel on the exchange it is not effective there: degraded. */
function protectionHealth(exchange: ComponentHealth, pendingCancels: number): ComponentHealth {
  if (pendingCancels === 0) return exchange;
  const detail = `kill switch not yet effective: ${pendingCancels} open order(s) still to cancel`;
  return {
    status: 'degraded',
    detail: exchange.status === 'ok' ? detail : `${exchange.detail}; ${detail}`,
  };
}

/** The database answers reads, but are writes getting through? A flush waiting over a second or a recent failure says no. */
function storeWriteHealth(store: EventStore, now: number): ComponentHealth {
  const w = store.writeHealth(now);
  if (w.flushingForMs > 1_000)
    return {
      status: 'degraded',
      detail: `a write has waited ${Math.round(w.flushingForMs)} ms (database locked or slow)`,
    };
  if (w.lastFailure && now - w.lastFailure.timeMs < 30_000)
    return {
      status: 'degraded',
      detail: `a write failed ${Math.round((now - w.lastFailure.timeMs) / 1000)} s ago: ${w.lastFailure.message}`,
    };
  return { status: 'ok' };
}
