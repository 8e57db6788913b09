// What the HTTP layer is handed (AppDeps): the shared adapters and narrow doors onto the trading
// side, reconciliation and the paper market, with GET /health built from them (worker-health.ts).
import type { AlertService } from '../adapters/alerts/alert-service.ts';
import type { Logger } from '../adapters/logging/logger.ts';
import type { PrometheusMetrics } from '../adapters/metrics/prometheus.ts';
import { cachedExporter } from '../adapters/metrics/render-cache.ts';
import type { ClockWatch } from '../adapters/clock/clock-watch.ts';
import type { Resilience } from '../adapters/resilience/registry.ts';
import type { Config } from '../config/config.ts';
import { createWorkerHealth } from '../domain/health/worker-health.ts';
import type { Reconciler } from '../domain/reconciliation/reconciler.ts';
import type { ReconciliationLoop } from '../domain/reconciliation/loop.ts';
import type { AppDeps, RiskDeps } from '../http/deps.ts';
import type { EventStore } from '../ports/event-store.ts';
import type { TradingDeps } from './build-trading.ts';
import type { LedgerBooker } from '../domain/account/ledger-booker.ts';
import type { SettingsWatch } from '../domain/account/settings-watch.ts';
import { USER_STREAM_POLL_MS, type UserStream } from './build-user-stream.ts';
import { tradingPort } from './trading-port.ts';
import { readConsoleAssets } from '../adapters/console/read-assets.ts';

/** The built parts the HTTP layer reads. */
export interface AppDepsParts {
  config: Readonly<Config>;
  logger: Logger;
  metrics: PrometheusMetrics;
  store: EventStore;
  nowMs: () => number;
  risk: RiskDeps;
  alerts: AlertService;
  resilience: Resilience;
  core: { kind: string };
  /** Monotonic clock (ports/clock.ts) for the /metrics render cache. */
  monoMs: () => number;
  clock?: ClockWatch;
  services: {
    trading: TradingDeps;
    reconciler: Pick<Reconciler, 'latest' | 'latestAgeMs'>;
    reconciliation: Pick<ReconciliationLoop, 'runNow'>;
    userStream?: Pick<UserStream, 'status'>;
    ledger?: Pick<LedgerBooker, 'totals'>;
    settings?: Pick<SettingsWatch, 'accept' | 'expected'>;
    /** Aborted when the worker begins to stop (Worker.stopping). */
    stopping: AbortController;
  };
}

export function buildAppDeps(p: AppDepsParts): AppDeps {
  const { trading, reconciler, reconciliation, userStream, ledger, settings } = p.services;
  const health = createWorkerHealth({
    store: p.store,
    exchange: {
      name: trading.exchange.name,
      breakers: () => p.resilience.stats().breakers,
      pendingCancels: () => trading.protection.pending().length,
      stream: userStream && { status: () => userStream.status(), pollMs: USER_STREAM_POLL_MS },
    },
    coreKind: p.core.kind,
    loop: p.config.loop.enabled ? () => trading.loop.health() : undefined,
    reconciliation: {
      latest: () => reconciler.latest(),
      ageMs: () => reconciler.latestAgeMs(),
      intervalMs: p.config.reconciliation.intervalMs,
    },
    control: () => p.risk.control.state(),
    holds: () => p.risk.holds?.all() ?? {},
    nowMs: p.nowMs,
    monoMs: p.monoMs,
  });
  return {
    config: p.config,
    logger: p.logger,
    store: p.store,
    nowMs: p.nowMs,
    risk: p.risk,
    alerts: p.alerts,
    resilience: p.resilience,
    monitoring: {
      metrics: p.metrics,
      // Scrapes share one render, reused for AIS_METRICS_CACHE_MS: they cannot starve the checks.
      exporter: cachedExporter(p.metrics, {
        maxAgeMs: p.config.metricsCacheMs,
        monotonicMs: p.monoMs,
      }),
      health,
      clock: p.clock,
    },
    trading: {
      loop: tradingPort(trading),
      protection: trading.protection,
      reconciliation: { run: () => reconciliation.runNow() },
      paper: trading.paper && {
        symbols: trading.symbols,
        shock: (symbol, fraction) => trading.paper!.market.shock(symbol, fraction),
      },
      account: trading.aster?.settings,
      settings,
      ledger,
      userStream,
    },
    console: { assets: readConsoleAssets(), shutdown: p.services.stopping.signal },
  };
}
