// What the HTTP layer is handed (AppDeps): the shared adapters and narrow doors onto the trading
// side, reconciliation and the paper market, with GET /health built from them (worker-health.ts).
import type { AlertService } from '../adapters/alerts/alert-service.ts';
import type { Logger } from '../adapters/logging/logger.ts';
import type { PrometheusMetrics } from '../adapters/metrics/prometheus.ts';
import type { Resilience } from '../adapters/resilience/registry.ts';
import type { Config } from '../config/config.ts';
import { createWorkerHealth } from '../domain/health/worker-health.ts';
import type { Reconciler } from '../domain/reconciliation/reconciler.ts';
import type { ReconciliationLoop } from '../domain/reconciliation/loop.ts';
import type { AppDeps, RiskDeps } from '../http/deps.ts';
import type { EventStore } from '../ports/event-store.ts';
import type { TradingDeps } from './build-trading.ts';
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
  services: {
    trading: TradingDeps;
    reconciler: Pick<Reconciler, 'latest'>;
    reconciliation: Pick<ReconciliationLoop, 'runNow'>;
    userStream?: Pick<UserStream, 'status'>;
  };
}

export function buildAppDeps(p: AppDepsParts): AppDeps {
  const { trading, reconciler, reconciliation, userStream } = p.services;
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
      intervalMs: p.config.reconciliation.intervalMs,
    },
    control: () => p.risk.control.state(),
    nowMs: p.nowMs,
  });
  return {
    config: p.config,
    logger: p.logger,
    metrics: p.metrics,
    exporter: p.metrics,
    store: p.store,
    nowMs: p.nowMs,
    risk: p.risk,
    alerts: p.alerts,
    resilience: p.resilience,
    health,
    reconciliation: { run: () => reconciliation.runNow() },
    exchangeAccount: trading.account,
    paper: trading.paper && {
      symbols: trading.symbols,
      shock: (symbol, fraction) => trading.paper!.market.shock(symbol, fraction),
    },
    protection: trading.protection,
    trading: tradingPort(trading),
    userStream,
    consoleAssets: readConsoleAssets(),
  };
}
