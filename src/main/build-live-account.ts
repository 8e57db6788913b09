// Builds reconciliation and the user-data stream together with what keeps the worker's book and
// limits in line with what the exchange does on its own (issue #15): the account ledger, the
// exchange's forced orders, the settings watch, run before each reconciliation (account-sync.ts);
// and the symbol status watch of a live account.
import { componentLogger } from '../adapters/logging/logger.ts';
import { syncAccount } from '../domain/account/account-sync.ts';
import { createSymbolStatusWatch, delistedWindDown } from '../domain/market/symbol-status-watch.ts';
import type { Metrics } from '../ports/metrics.ts';
import type { AppDeps } from '../http/deps.ts';
import { buildAccountWatch } from './build-account-watch.ts';
import { buildReconciliation } from './build-reconciliation.ts';
import type { TradingDeps } from './build-trading.ts';
import { buildUserStream, type UserStream } from './build-user-stream.ts';

/** How far back each reconciliation reads the exchange's forced orders (liquidations, ADLs). */
const FORCED_WINDOW_MS = 60 * 60_000;

type Shared = Pick<
  AppDeps,
  'config' | 'risk' | 'store' | 'logger' | 'nowMs' | 'alerts' | 'resilience'
> & { metrics: Metrics; monoMs: () => number };

/**
 * A traded symbol not TRADING trades REDUCING on its own (live accounts) and is wound down as
 * AIS_DELISTED_POLICY says (`close`: through the flatten); its status is a gauge. Undefined
 * without holds.
 */
export const symbolStatusWatch = (s: Shared, trading: Pick<TradingDeps, 'protection'>) =>
  s.risk.holds &&
  createSymbolStatusWatch({
    holds: s.risk.holds,
    alerts: s.alerts,
    log: componentLogger(s.logger, 'ais.market.rules'),
    metrics: s.metrics,
    windDown: delistedWindDown(s.config.delistedPolicy, {
      flatten: trading.protection.flatten,
      quantity: (symbol) => s.risk.portfolio.get().positions[symbol]?.quantity ?? 0,
    }),
  });

export function buildLiveAccount(s: Shared, trading: TradingDeps) {
  const { ledger, forced, settings } = buildAccountWatch({ ...s, trading });
  let userStream: UserStream | undefined;
  const { reconciler, loop: reconciliation } = buildReconciliation({
    ...s,
    timers: { monoMs: s.monoMs },
    trading,
    account: {
      exchangeOrderKind: (id) => forced.kindOf(id),
      onTradesRead: (trades) => userStream?.checkSilence(trades),
      ledgerUsd: () => ledger.totals(),
      beforeRun: () =>
        syncAccount(
          [
            { name: 'ledger', run: () => ledger.sync() },
            {
              name: 'forced_orders',
              run: async () =>
                userStream?.account.bookForced(trading.exchange.serverNowMs() - FORCED_WINDOW_MS),
            },
            { name: 'settings', run: async () => settings?.check('the scheduled re-read') },
          ],
          componentLogger(s.logger, 'ais.reconciliation'),
        ),
    },
  });
  // Aster: the account in real time (fills, margin calls, liquidations) from the user-data stream.
  userStream =
    trading.aster?.userStream &&
    buildUserStream({
      ...s,
      clock: { nowMs: s.nowMs, monoMs: s.monoMs },
      source: trading.aster.userStream,
      trading,
      reconcileNow: () => reconciliation.runNow(),
      account: {
        syncLedger: () => ledger.sync(),
        onConfigChange: async () => settings?.check('an ACCOUNT_CONFIG_UPDATE on the stream'),
        forced,
        holds: s.risk.holds,
        liquidationHold: s.config.liquidationHold,
        stream: s.config.stream,
      },
      guard: s.resilience.guard,
    });
  return { reconciler, reconciliation, userStream, ledger, settings };
}
