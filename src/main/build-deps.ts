// The composition root shared by the three start-up files: parses config, builds every adapter,
// wires the app. Runtime-specific work (serving, signals) stays in bun.ts, deno.ts and node.ts.
import pkg from '../../package.json' with { type: 'json' };
import { openDecisionLog } from '../adapters/logging/decision-log.ts';
import { createStoreDecisionLog } from '../adapters/logging/store-decision-log.ts';
import { componentLogger, createLogger, type Logger } from '../adapters/logging/logger.ts';
import { createPrometheusMetrics } from '../adapters/metrics/prometheus.ts';
import { createLibsqlEventStore } from '../adapters/store/libsql/event-store.ts';
import { loadWasmCore } from '../adapters/wasm/load.ts';
import { type Config, configSecrets, type Env, loadConfig, STORE_DECISION_LOG } from '../config/config.ts';
import { type ComponentHealth, summariseHealth } from '../domain/health/health.ts';
import { killSwitchView } from '../domain/risk/trading-control.ts';
import { createApp } from '../http/app.ts';
import type { AppDeps } from '../http/deps.ts';
import type { DecisionLog } from '../ports/decision-log.ts';
import type { EventStore } from '../ports/event-store.ts';
import { buildRisk } from './build-risk.ts';
import { buildTrading } from './build-trading.ts';
import { createAlertService } from '../adapters/alerts/alert-service.ts';
import { channelsFromConfig } from '../adapters/alerts/channels.ts';
import { createResilience } from '../adapters/resilience/registry.ts';

export type RuntimeName = 'bun' | 'deno' | 'node';

export interface Worker {
  config: Readonly<Config>;
  logger: Logger;
  fetch: (req: Request) => Response | Promise<Response>;
  deps: AppDeps;
  decisionLog: DecisionLog;
  /** Logs the start-up line once the server listens. */
  listening(port: number): void;
  /** Flushes and closes every adapter; idempotent. */
  close(): Promise<void>;
}

const nowMs = () => Date.now();

/** Async checks must answer within this time or count as down. */
const CHECK_TIMEOUT_MS = 2_000;

async function check(fn: () => Promise<ComponentHealth>): Promise<ComponentHealth> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<ComponentHealth>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'down', detail: `no answer within ${CHECK_TIMEOUT_MS} ms` }), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([fn(), timeout]);
  } catch (e) {
    return { status: 'down', detail: e instanceof Error ? e.message : String(e) };
  } finally {
    clearTimeout(timer);
  }
}

export async function buildWorker(runtime: RuntimeName, env: Env): Promise<Worker> {
  const startedMs = performance.now();
  const config = loadConfig(env);
  const logger = createLogger({ level: config.logLevel, secrets: configSecrets(config) });
  const log = componentLogger(logger, 'ais.main');
  const metrics = createPrometheusMetrics({ version: pkg.version, runtime, instance: config.instanceId });
  const store = await createLibsqlEventStore({
    url: config.db.url,
    authToken: config.db.authToken,
    nowMs,
    onFlush(events, seconds) {
      metrics.eventStoreFlush(seconds);
      const byType = new Map<string, number>();
      for (const e of events) byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
      for (const [type, n] of byType) metrics.eventsAppended(type, n);
    },
  });
  const decisionTrail = await openDecisionTrail(config.decisionLogPath, store, log);
  const decisionLog: DecisionLog = {
    async append(record) {
      await decisionTrail.append(record);
      metrics.decisionLogged();
    },
    close: () => decisionTrail.close(),
  };
  const core = await loadWasmCore();
  const risk = await buildRisk({ config, core, store, metrics, logger, decisionLog, nowMs });
  // Breakers and limiters of every outside service; bucket indexes from 0 up (the last is the risk engine's).
  const resilience = createResilience({
    core,
    metrics,
    store,
    log: componentLogger(logger, 'ais.resilience.breaker'),
    limiterLog: componentLogger(logger, 'ais.resilience.limiter'),
    nowMs,
  });
  const alerts = createAlertService({
    store,
    metrics,
    logger: componentLogger(logger, 'ais.alerts'),
    channels: channelsFromConfig(config.alerts),
    guard: resilience.guard,
    nowMs,
  });

  // TODO(aster): trade through the Aster adapter behind breakers when AIS_EXCHANGE=aster.
  const trading = config.exchange === 'paper' ? buildTrading({ config, risk, store, metrics, logger, decisionLog, nowMs }) : undefined;
  let loopRunning = false;

  const deps: AppDeps = {
    config,
    logger,
    metrics,
    exporter: metrics,
    store,
    nowMs,
    decisionLog,
    risk,
    alerts,
    resilience,
    trading: trading && {
      symbols: trading.symbols,
      loopRunning: () => loopRunning,
      submitSignal: (signal) => trading.coordinator.submitSignal(signal),
    },
    async health() {
      const [db] = await Promise.all([check(async () => (await store.ping(), { status: 'ok' }))]);
      return summariseHealth(
        {
          db,
          exchange: { status: 'ok', detail: config.exchange },
          wasm: { status: 'ok', detail: core.kind },
          loop: trading && loopRunning ? trading.loop.health() : { status: 'disabled', detail: trading ? 'AIS_LOOP_ENABLED=false' : 'no trading loop for AIS_EXCHANGE=aster yet' },
          reconciliation: { status: 'disabled', detail: 'reconciliation is not built yet' },
        },
        risk.control.state().tradingState,
        killSwitchView(risk.control.state()),
      );
    },
  };
  const app = createApp(deps);
  // Workers sharing one database share one kill switch: adopt what another worker stored.
  const controlSync = setInterval(() => {
    risk.control.sync().catch((e) => log.warn({ error: e instanceof Error ? e.message : String(e) }, 'Control state sync failed'));
  }, config.controlSyncMs);
  (controlSync as { unref?: () => void }).unref?.();
  if (trading && config.loop.enabled) {
    trading.loop.start();
    loopRunning = true;
  }

  let closing: Promise<void> | undefined;
  return {
    config,
    logger,
    deps,
    decisionLog,
    fetch: app.fetch,
    listening(port) {
      log.info(
        { runtime, port, exchange: config.exchange, db: config.db.url, startup_ms: Math.round(performance.now() - startedMs) },
        'Worker listening',
      );
    },
    close() {
      closing ??= (async () => {
        clearInterval(controlSync);
        loopRunning = false;
        await trading?.loop.stop();
        // Queued notifications get up to 5 s (one channel timeout) to go out; the rest are dropped.
        await alerts.drain(5_000);
        await Promise.allSettled([store.close(), decisionLog.close()]);
        log.info({}, 'Worker stopped');
        logger.flush();
      })();
      return closing;
    },
  };
}

/** The JSONL file at `path`, or `decision` events in the store for `store:` (no file system). */
async function openDecisionTrail(path: string, store: EventStore, log: Logger): Promise<DecisionLog> {
  if (path === STORE_DECISION_LOG) return createStoreDecisionLog(store);
  const file = await openDecisionLog(path);
  if (file.repairedBytes > 0) log.warn({ path, bytes: file.repairedBytes }, 'Cut a torn tail from the decision log');
  return file;
}

/** Builds the worker or exits with the one-line reason (a bad config names its variable). */
export async function buildWorkerOrExit(runtime: RuntimeName, env: Env, exit: (code: number) => never): Promise<Worker> {
  try {
    return await buildWorker(runtime, env);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    return exit(1);
  }
}
