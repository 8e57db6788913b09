// Builds what keeps the worker's book and limits in line with what the exchange does on its own
// (issue #15): the account ledger, the index of the exchange's forced orders and, on Aster, the
// settings watch; wires the settings watch to refusals of the -4061 family.
import { componentLogger, type Logger } from '../adapters/logging/logger.ts';
import { createLedgerBooker } from '../domain/account/ledger-booker.ts';
import { createSettingsWatch } from '../domain/account/settings-watch.ts';
import { createForcedOrderIndex } from '../domain/trading/forced-orders.ts';
import type { RiskDeps } from '../http/deps.ts';
import type { AlertSink } from '../ports/alerts.ts';
import type { EventStore } from '../ports/event-store.ts';
import type { Metrics } from '../ports/metrics.ts';
import type { TradingDeps } from './build-trading.ts';

interface AccountWatchInput {
  trading: TradingDeps;
  risk: RiskDeps;
  store: EventStore;
  metrics: Metrics;
  alerts: Pick<AlertSink, 'raise'>;
  logger: Logger;
}

export function buildAccountWatch(i: AccountWatchInput) {
  const { trading } = i;
  // Rows from now on, in the exchange's clock: the account read at start-up includes the older ones.
  const ledger = createLedgerBooker({
    exchange: trading.exchange,
    book: i.risk.portfolio,
    store: i.store,
    log: componentLogger(i.logger, 'ais.account.ledger'),
    metrics: i.metrics,
    alerts: i.alerts,
    startMs: trading.exchange.serverNowMs(),
  });
  const forced = createForcedOrderIndex(trading.exchange);
  const log = componentLogger(i.logger, 'ais.account.settings');
  const settings =
    trading.aster && i.risk.holds
      ? createSettingsWatch({
          read: trading.aster.readSettings,
          expected: trading.aster.settings,
          holds: i.risk.holds,
          alerts: i.alerts,
          log,
        })
      : undefined;
  if (settings)
    trading.orders.onRefused((_symbol, refusal) => {
      if (refusal.reason === 'settings_changed')
        void settings
          .check('an order refused for the account settings')
          .catch((e: unknown) => log.warn({ err: e }, 'Settings not read after a refusal'));
    });
  return { ledger, forced, settings };
}
