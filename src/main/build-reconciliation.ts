// Builds reconciliation (the reconciler and its loop) over the trading side; used by build-deps.ts
// and the wiring test, so both run the same composition.
import { componentLogger, type Logger } from '../adapters/logging/logger.ts';
import type { Config } from '../config/config.ts';
import { createReconciliationLoop, type Schedule } from '../domain/reconciliation/loop.ts';
import {
  type AccountHooks,
  bookOf,
  createReconciler,
  DEFAULT_TRADE_WINDOW_MS,
} from '../domain/reconciliation/reconciler.ts';
import type { RiskDeps } from '../http/deps.ts';
import type { AlertSink } from '../ports/alerts.ts';
import type { EventStore } from '../ports/event-store.ts';
import type { Metrics } from '../ports/metrics.ts';
import type { TradingDeps } from './build-trading.ts';

interface ReconciliationBuildInput {
  config: Readonly<Config>;
  trading: Pick<TradingDeps, 'exchange' | 'orders' | 'symbols' | 'stops' | 'protection'>;
  risk: Pick<RiskDeps, 'portfolio' | 'control'>;
  store: EventStore;
  metrics: Metrics;
  logger: Logger;
  alerts: Pick<AlertSink, 'raise'>;
  nowMs: () => number;
  /**
   * The live account: `beforeRun` runs before every reconciliation (the ledger, forced orders and
   * settings, so both books include what the exchange did on its own); the reconciler's hooks.
   */
  account?: AccountHooks & { beforeRun?: () => Promise<unknown> };
  /**
   * The monotonic clock (ms, epoch scale) timing runs and the age of the last one (`nowMs` when
   * absent); tests: a sleep that moves their clock, a schedule that never fires.
   */
  timers?: { sleep?: (ms: number) => Promise<void>; schedule?: Schedule; monoMs?: () => number };
}

export function buildReconciliation(deps: ReconciliationBuildInput) {
  const log = componentLogger(deps.logger, 'ais.reconciliation');
  const reconciler = createReconciler({
    exchange: deps.trading.exchange,
    worker: {
      internal: (marks) => bookOf(deps.risk.portfolio.get(), marks),
      isOurOrder: (id) => deps.trading.orders.ourOrders.has(id),
      inFlightSymbols: () => deps.trading.orders.inFlight.symbols(),
      symbols: () => deps.trading.symbols,
    },
    account: deps.account,
    store: deps.store,
    metrics: deps.metrics,
    log,
    nowMs: deps.nowMs,
    tuning: {
      tolerance: deps.config.reconciliation.tolerance,
      sleep: deps.timers?.sleep,
      monoMs: deps.timers?.monoMs,
    },
  });
  // Paper order ids restart in every process, so only a real account reads other processes' ids.
  const sharedAccount = deps.trading.exchange.name !== 'paper';
  const warn = (what: string) => (e: unknown) => log.warn({ err: e }, what);
  const run = async () => {
    // A failure here is the exchange's: the run that follows reports it as an ERROR.
    await deps.account
      ?.beforeRun?.()
      .catch(warn('Could not read the ledger or forced orders before reconciling'));
    // Settle what can be settled first: orders whose answer was lost, and the orders other workers sent.
    if (deps.trading.orders.inFlight.size > 0) await deps.trading.orders.executor.resolveInFlight();
    if (sharedAccount)
      await deps.trading.orders.ourOrders
        .refresh(deps.nowMs() - DEFAULT_TRADE_WINDOW_MS)
        .catch(warn('Could not read the stored order ids before reconciling'));
    const report = await reconciler.run();
    // A missing or outdated protective stop is put right after every run; while trading is stopped,
    // any order that could add exposure (one a breaker kept from being cancelled) is swept again.
    await deps.trading.stops
      ?.sync()
      .catch(warn('Could not sync the protective stops after reconciling'));
    const c = deps.risk.control.state();
    if (c.killSwitch.active || c.tradingState === 'HALTED') await deps.trading.protection.sweep();
    return report;
  };
  const loop = createReconciliationLoop({
    reconciler: { run },
    control: deps.risk.control,
    alerts: deps.alerts,
    log,
    intervalMs: deps.config.reconciliation.intervalMs,
    onMismatch: deps.config.reconciliation.onMismatch,
    schedule: deps.timers?.schedule,
  });
  return { reconciler, loop };
}
