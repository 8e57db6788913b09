// Builds the trading side on the configured exchange and the account it starts from. Aster: the
// signed REST adapter behind breakers and budgets, the book read from the exchange (with the
// drawdown and daily-loss references of the last snapshot), our earlier order ids from the store.
// Paper: the in-process exchange continuing from the last snapshot. Either way every exchange
// call goes through guardExchange (paper with budgets it never reaches, so its metrics are the same).
import { createAsterExchange } from '../adapters/exchange/aster/aster-exchange.ts';
import { guardExchange } from '../adapters/exchange/guarded.ts';
import { componentLogger, type Logger } from '../adapters/logging/logger.ts';
import type { Resilience } from '../adapters/resilience/registry.ts';
import { portfolioFromExchange, withRiskReferences } from '../domain/portfolio/portfolio.ts';
import { portfolioFromSnapshot } from '../domain/portfolio/portfolio-snapshot.ts';
import { DEFAULT_TRADE_WINDOW_MS } from '../domain/reconciliation/reconciler.ts';
import { EventType, type EventStore } from '../ports/event-store.ts';
import { rebaseForCashMoved } from '../domain/account/ledger-restart.ts';
import { accountEquityUsd, type Exchange } from '../ports/exchange.ts';
import { setUpAsterAccount } from './account-setup.ts';
import { buildTrading, type TradingBuildInput, type TradingDeps } from './build-trading.ts';

interface AccountBuildInput extends Omit<TradingBuildInput, 'overrides'> {
  resilience: Resilience;
  /** The `ais.main` logger. */
  log: Logger;
}

/** The Aster exchange of the configured scheme (V3 wallet or V1 key), its signing logged once. */
function asterExchangeFor(
  config: AccountBuildInput['config'],
  nowMs: () => number,
  onUsage: (u: { usedWeight1m?: number; orderCount1m?: number }) => void,
  log: Logger,
) {
  // Config guarantees exactly one scheme: the V3 wallet, or the V1 key and secret.
  const { wallet, apiKey, apiSecret } = config.aster;
  const aster = createAsterExchange({
    ...(wallet ? { wallet } : { apiKey: apiKey!, apiSecret: apiSecret! }),
    baseUrl: config.aster.baseUrl,
    wsUrl: config.aster.wsUrl,
    nowMs,
    timeoutMs: config.exchangeTimeoutMs,
    onUsage,
  });
  log.info(
    wallet
      ? {
          scheme: 'v3',
          user: wallet.user,
          signer: wallet.signer,
          chain_id: wallet.chainId,
          base_url: config.aster.baseUrl,
        }
      : { scheme: 'v1', base_url: config.aster.baseUrl },
    wallet
      ? 'Aster signing: V3, API wallet acting for the main wallet'
      : 'Aster signing: V1, HMAC API key',
  );
  return aster;
}

/** A real account: the worker's book starts as the exchange reports it (reconciliation checks it from there). */
async function loadBookFromExchange(
  trading: TradingDeps,
  risk: AccountBuildInput['risk'],
  refs: Parameters<typeof withRiskReferences>[1],
  clock: { nowMs: () => number; store: EventStore },
  log: Logger,
) {
  try {
    const [balance, positions] = await Promise.all([
      trading.exchange.balance(),
      trading.exchange.positions(),
    ]);
    // Money moved in or out since the snapshot is in the wallet already: rebase the references on it.
    const rebased =
      refs &&
      (await rebaseForCashMoved({ exchange: trading.exchange, store: clock.store }, refs).catch(
        (e: unknown) => {
          log.warn({ err: e }, 'Income history not read at start-up: risk references not rebased');
          return undefined;
        },
      ));
    if (rebased?.rows.length)
      log.info(
        { moved_usd: rebased.movedUsd, rows: rebased.rows.length },
        'Cash moved since the last snapshot: risk references rebased',
      );
    risk.portfolio.update(() =>
      withRiskReferences(
        portfolioFromExchange(balance.walletUsd, positions),
        rebased?.refs ?? refs,
        clock.nowMs(),
      ),
    );
    log.info(
      { equity_usd: accountEquityUsd(balance, positions), positions: positions.length },
      'Portfolio loaded from the exchange',
    );
  } catch (e) {
    log.error(
      { err: e },
      'Could not read the exchange account at start-up: the first reconciliation will report it',
    );
  }
}

export async function buildTradingOnAccount(deps: AccountBuildInput): Promise<TradingDeps> {
  const { config, store, risk, nowMs, log } = deps;
  let usage: (u: { usedWeight1m?: number; orderCount1m?: number }) => void = () => {};
  const guard =
    (budgets: { ipWeightPerMinute?: number; ordersPerMinute?: number }) => (exchange: Exchange) => {
      const guarded = guardExchange(exchange, deps.resilience, {
        metrics: deps.metrics,
        log: componentLogger(log, 'ais.exchange.guard'),
        ...budgets,
        breaker: { openMs: config.breakerCooldownMs },
      });
      usage = (u) => guarded.onUsage(u);
      return guarded;
    };
  // The newest portfolio snapshot: the drawdown and daily-loss references (both modes) and, on
  // paper, the whole account survive a restart.
  const snapshot = await store.latest(EventType.portfolio);
  const refs = snapshot && {
    peakNavUsd: snapshot.payload.peak_nav_usd,
    dayStartNavUsd: snapshot.payload.day_start_nav_usd,
    timeMs: snapshot.timeMs,
  };

  if (config.exchange === 'paper') {
    // The internal book and the paper exchange both start from the snapshot (so they still agree).
    const restored = snapshot && portfolioFromSnapshot(snapshot.payload);
    const paperAccount = restored && withRiskReferences(restored, refs, nowMs());
    if (paperAccount) {
      risk.portfolio.update(() => paperAccount);
      log.info(
        { cash_usd: paperAccount.cashUsd, positions: Object.keys(paperAccount.positions).length },
        'Paper account restored from the last portfolio snapshot',
      );
    }
    return buildTrading({
      ...deps,
      overrides: {
        paperAccount,
        wrapExchange: guard({ ipWeightPerMinute: 1e9, ordersPerMinute: 1e9 }),
      },
    });
  }

  const aster = asterExchangeFor(config, nowMs, (u) => usage(u), log);
  const trading = buildTrading({
    ...deps,
    overrides: { exchange: aster, wrapExchange: guard({}) },
  });
  // Start-up checks (position mode, leverage, margin type): a refusal throws the one line to print.
  const settings = await setUpAsterAccount(
    aster,
    {
      symbols: trading.symbols,
      leverage: config.aster.leverage,
      marginType: config.aster.marginType,
    },
    log,
  );
  await loadBookFromExchange(trading, risk, refs, { nowMs, store }, log);
  // Our order ids from before this start (paper restarts its ids at 1 in every process, so not there).
  await trading.orders.ourOrders.refresh(nowMs() - DEFAULT_TRADE_WINDOW_MS);
  trading.aster = {
    settings,
    userStream: aster.userStream,
    readSettings: () => aster.accountSettings(),
  };
  return trading;
}
