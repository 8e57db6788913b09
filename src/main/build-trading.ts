// Builds the trading side (market, exchange, executor, coordinator, loop) from the config and the
// shared adapters; used by build-deps.ts and the tests. Paper mode: build-paper.ts. The jobs before
// each cycle are pre-cycle.ts's.
import type { AccountState } from '../domain/account/setup.ts';
import { componentLogger, type Logger } from '../adapters/logging/logger.ts';
import type { PaperExchange } from '../adapters/exchange/paper/paper-exchange.ts';
import type { Config } from '../config/config.ts';
import type { AccountSettingsView } from '../domain/account/setup.ts';
import { roundPrice } from '../domain/market/symbol-rules.ts';
import { buildAgents, buildPaper } from './build-paper.ts';
import { DEFAULT_SYMBOLS, type SyntheticMarket } from '../domain/market/synthetic.ts';
import type { Agent } from '../domain/trading/agents/agent.ts';
import type { Portfolio } from '../domain/portfolio/portfolio.ts';
import {
  type Coordinator,
  type CoordinatorOrders,
  createCoordinator,
} from '../domain/trading/coordinator.ts';
import { marginEveryMs } from '../domain/trading/margin-schedule.ts';
import { createPreCycle, syncStopsLogged } from '../domain/trading/pre-cycle.ts';
import { confirmBeforeSend } from '../domain/risk/send-gate.ts';
import {
  createExchangeProtection,
  type ExchangeProtection,
} from '../domain/trading/exchange-protection.ts';
import {
  createStopKeeper,
  type StopKeeper,
  type StopKeeperOptions,
} from '../domain/trading/stop-keeper.ts';
import { createTradingLoop, type TradingLoop } from '../domain/trading/loop.ts';
import { buildOrders, monoOf, rulesFrom, type TradingOrders } from './build-orders.ts';
import type { RiskDeps } from '../http/deps.ts';
import type { DecisionLog } from '../ports/decision-log.ts';
import type { EventStore } from '../ports/event-store.ts';
import type { Exchange } from '../ports/exchange.ts';
import type { UserStreamSource } from '../ports/user-stream.ts';
import type { AlertSink } from '../ports/alerts.ts';
import type { Metrics } from '../ports/metrics.ts';

/** The trading side as buildTrading made it, grouped by what its parts do. */
export interface TradingDeps {
  exchange: Exchange;
  /** Present in paper mode. */
  paper?: { market: SyntheticMarket; exchange: PaperExchange };
  coordinator: Coordinator;
  loop: TradingLoop;
  symbols: readonly string[];
  /** What sends orders and remembers them; see TradingOrders. */
  orders: TradingOrders;
  /** Protective stops on the exchange; absent with AIS_STOP_LOSS_ON_EXCHANGE=false or AIS_STOP_LOSS=0. */
  stops?: StopKeeper;
  /** The kill switch's reach on the exchange (cancel adding orders, flatten). */
  protection: ExchangeProtection;
  /** Aster: the live account's parts (build-account.ts sets them after its start-up checks). */
  aster?: AsterAccountParts;
}

export type { TradingOrders } from './build-orders.ts';

/** Aster: what the live account adds to the trading side. */
export interface AsterAccountParts {
  /** The account settings the start-up checks left in force (position mode, leverage, margin type). */
  settings: AccountSettingsView;
  /** The account's user-data stream (build-user-stream.ts connects it). */
  userStream?: UserStreamSource;
  /** Reads the position mode and each symbol's leverage and margin type (the settings watch). */
  readSettings: () => Promise<AccountState>;
}

/** What a caller may put in place of buildTrading's defaults. */
export interface TradingOverrides {
  /** The exchange to trade on; paper (built here) when omitted. */
  exchange?: Exchange;
  /** The strategy agents; when omitted, the built-in ones AIS_AGENTS selects (config.loop.agents). */
  agents?: readonly Agent[];
  /** Puts the exchange behind breakers and budgets (guardExchange); as it is when omitted. */
  wrapExchange?: (exchange: Exchange) => Exchange;
  /** Paper mode: the account to continue from after a restart (a fresh one when omitted). */
  paperAccount?: Portfolio;
}

/** What buildTrading builds the trading side from: the config, the risk side, records and clock. */
export interface TradingBuildInput {
  config: Readonly<Config>;
  risk: RiskDeps;
  store: EventStore;
  metrics: Metrics;
  logger: Logger;
  decisionLog: DecisionLog;
  /** Wall clock (ms since the epoch): records, order ids, the paper market's bars. */
  nowMs: () => number;
  /**
   * Monotonic clock on the epoch scale (clocks.ts `monoMs`): the loop's health age, the stop-sync
   * interval, refused-order holds, the give-up on an order in flight, the margin read interval.
   * Absent (a test that drives one clock): `nowMs` for those waits, `performance.now` for the
   * coordinator's (durations, margin reads).
   */
  monoMs?: () => number;
  /** What the caller puts in place of the defaults; see TradingOverrides. */
  overrides?: TradingOverrides;
  /** Where a paper liquidation is alerted (PositionLiquidated, as the user-data stream does live); none in backtests. */
  alerts?: Pick<AlertSink, 'raise'>;
}

/** Protective stops on the exchange, when configured (AIS_STOP_LOSS_ON_EXCHANGE, AIS_STOP_LOSS > 0). */
function buildStops(
  i: TradingBuildInput,
  parts: Pick<StopKeeperOptions, 'exchange' | 'executor' | 'ourOrders' | 'log'>,
  symbols: readonly string[],
): StopKeeper | undefined {
  if (!i.config.loop.stopLossOnExchange || i.config.loop.stopLoss <= 0) return undefined;
  const rulesOf = rulesFrom(i.risk);
  // Stop prices on the symbol's tick, toward the market (a SELL stop up, a BUY stop down: it fires a hair earlier).
  const roundStopPrice = (symbol: string, side: 'BUY' | 'SELL', price: number) => {
    const r = rulesOf(symbol);
    return r ? roundPrice(r, price, side) : price;
  };
  return createStopKeeper({
    ...parts,
    symbols: () => symbols,
    stops: { stopLoss: i.config.loop.stopLoss, idTag: i.nowMs().toString(36), roundStopPrice },
    store: i.store,
    metrics: i.metrics,
    nowMs: i.nowMs,
  });
}

function buildCoordinator(
  i: TradingBuildInput,
  parts: Pick<CoordinatorOrders, 'exchange' | 'executor'> & {
    symbols: readonly string[];
    log: Logger;
  },
  paper: boolean,
): Coordinator {
  const agents = i.overrides?.agents ?? buildAgents(i.config.loop.agents);
  parts.log.info(
    { agents: agents.map((a) => a.id), exchange: i.config.exchange },
    agents.length > 0
      ? 'Trading agents'
      : 'No trading agents: the worker is a risk gate and monitor for external signals and checks',
  );
  return createCoordinator({
    agents: { agents, symbols: parts.symbols },
    orders: {
      exchange: parts.exchange,
      executor: parts.executor,
      risk: i.risk.service,
      symbolRules: () => i.risk.engine.symbolRules(),
      orderIdPrefix: `ais-${i.nowMs().toString(36)}`,
      stopLoss: i.config.loop.stopLoss,
      setMargin: (m) => i.risk.engine.setMargin(m),
      marginEveryMs: marginEveryMs(paper),
    },
    account: { book: i.risk.portfolio, control: i.risk.control, limits: i.risk.engine.limits },
    records: { store: i.store, decisionLog: i.decisionLog, metrics: i.metrics, log: parts.log },
    clock: { nowMs: i.nowMs, monoMs: i.monoMs ?? (() => performance.now()) },
  });
}

export function buildTrading(i: TradingBuildInput): TradingDeps {
  const { exchange: given, wrapExchange, paperAccount } = i.overrides ?? {};
  const paper = given ? undefined : buildPaper(i.config, i.nowMs, paperAccount);
  const raw = given ?? paper!.exchange;
  const exchange = confirmBeforeSend(wrapExchange ? wrapExchange(raw) : raw, i.risk.control);
  const symbols = i.config.loop.symbols ?? paper?.symbols ?? DEFAULT_SYMBOLS.map((s) => s.symbol);
  const stopLog = componentLogger(i.logger, 'ais.orchestration.stops');
  let stops: StopKeeper | undefined;
  const syncStops = syncStopsOnce(() => stops, stopLog);
  const orders = buildOrders(i, exchange, syncStops);
  const { executor, ourOrders, inFlight } = orders;
  stops = buildStops(i, { exchange, executor, ourOrders, log: stopLog }, symbols);
  const protection = createExchangeProtection({
    exchange,
    store: i.store,
    symbols: () => symbols,
    risk: i.risk.service,
    executor,
    log: componentLogger(i.logger, 'ais.risk.kill_switch'),
    nowMs: i.nowMs,
  });
  const log = componentLogger(i.logger, 'ais.orchestration.coordinator');
  const coordinator = buildCoordinator(i, { symbols, exchange, executor, log }, !!paper);
  const loop = createTradingLoop({
    coordinator,
    intervalMs: i.config.loop.intervalMs,
    metrics: i.metrics,
    log: componentLogger(i.logger, 'ais.orchestration.loop'),
    monoMs: monoOf(i),
    beforeCycle: createPreCycle({
      paper,
      executor,
      inFlight,
      syncStops: stops && syncStops,
      alerts: i.alerts,
      log,
      nowMs: i.nowMs,
      monoMs: monoOf(i),
    }),
  });
  return {
    exchange,
    paper,
    coordinator,
    loop,
    symbols,
    orders,
    stops,
    protection,
  };
}

/** Syncs the stops once they exist (the executor that books fills is built before them). */
const syncStopsOnce = (stops: () => StopKeeper | undefined, log: Logger) => async () => {
  const keeper = stops();
  if (keeper) await syncStopsLogged(keeper, log);
};
