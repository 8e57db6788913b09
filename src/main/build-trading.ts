// Builds the trading side (market, exchange, executor, coordinator, loop) from the config and the
// shared adapters; used by build-deps.ts and the tests. Paper mode: a seeded synthetic market
// with history, so agents trade from the first cycle, moved one bar per AIS_MARKET_BAR_MS.
import { componentLogger, type Logger } from '../adapters/logging/logger.ts';
import {
  createPaperExchange,
  type PaperExchange,
} from '../adapters/exchange/paper/paper-exchange.ts';
import type { Config } from '../config/config.ts';
import type { AccountSettingsView } from '../domain/account/setup.ts';
import { roundPrice } from '../domain/market/symbol-rules.ts';
import {
  createSyntheticMarket,
  DEFAULT_SYMBOLS,
  KNOWN_SYMBOLS,
  type SyntheticMarket,
} from '../domain/market/synthetic.ts';
import type { Agent } from '../domain/trading/agents/agent.ts';
import type { Portfolio } from '../domain/portfolio/portfolio.ts';
import { createBuiltInAgents } from '../domain/trading/agents/built-in.ts';
import { type Coordinator, createCoordinator } from '../domain/trading/coordinator.ts';
import { createSentOrderIndex, type SentOrderIndex } from '../domain/reconciliation/sent-orders.ts';
import { createExecutor, type Executor } from '../domain/trading/executor.ts';
import { createInFlightOrders, type InFlightOrders } from '../domain/trading/in-flight.ts';
import {
  createExchangeProtection,
  type ExchangeProtection,
} from '../domain/trading/exchange-protection.ts';
import { createStopKeeper, type StopKeeper } from '../domain/trading/stop-keeper.ts';
import { createTradingLoop, type TradingLoop } from '../domain/trading/loop.ts';
import type { RiskDeps } from '../http/deps.ts';
import type { DecisionLog } from '../ports/decision-log.ts';
import type { EventStore } from '../ports/event-store.ts';
import type { Exchange } from '../ports/exchange.ts';
import type { UserStreamSource } from '../ports/user-stream.ts';
import type { AlertSink } from '../ports/alerts.ts';
import type { Metrics } from '../ports/metrics.ts';
import { messageOf } from '../domain/error-message.mjs';

/** Bars of history generated before the first cycle (longer than any agent's lookback). */
const HISTORY_BARS = 300;

export interface TradingDeps {
  exchange: Exchange;
  /** Present in paper mode. */
  paper?: { market: SyntheticMarket; exchange: PaperExchange };
  coordinator: Coordinator;
  loop: TradingLoop;
  symbols: readonly string[];
  executor: Executor;
  /** Exchange order ids placed by this worker and (refreshed from the store) by any worker sharing it. */
  ourOrders: SentOrderIndex;
  /** Orders whose outcome is not known yet (reconciliation defers their symbols). */
  inFlight: InFlightOrders;
  /** Aster: the account settings the start-up checks left in force (position mode, leverage, margin type). */
  account?: AccountSettingsView;
  /** Protective stops on the exchange; absent with AIS_STOP_LOSS_ON_EXCHANGE=false or AIS_STOP_LOSS=0. */
  stops?: StopKeeper;
  /** The kill switch's reach on the exchange (cancel adding orders, flatten). */
  protection: ExchangeProtection;
  /** Aster: the account's user-data stream (build-user-stream.ts connects it). */
  userStream?: UserStreamSource;
}

/** How often the stops are checked against a real exchange outside fills and reconciliations. */
const STOP_SYNC_MS = 5_000;
/** How often the margin is read from a real exchange (weight 10 a read: 120 a minute of the 2,400). */
const MARGIN_EVERY_MS = 5_000;

export interface TradingBuildInput {
  config: Readonly<Config>;
  risk: RiskDeps;
  store: EventStore;
  metrics: Metrics;
  logger: Logger;
  decisionLog: DecisionLog;
  nowMs: () => number;
  /** The exchange to trade on; paper (built here) when omitted. */
  exchange?: Exchange;
  /** The strategy agents; when omitted, the built-in ones AIS_AGENTS selects (config.loop.agents). */
  agents?: readonly Agent[];
  /** Puts the exchange behind breakers and budgets (guardExchange); as it is when omitted. */
  wrapExchange?: (exchange: Exchange) => Exchange;
  /** Paper mode: the account to continue from after a restart. */
  paperAccount?: Portfolio;
  /** Where a paper liquidation is alerted (PositionLiquidated, as the user-data stream does live); none in backtests. */
  alerts?: Pick<AlertSink, 'raise'>;
}

/**
 * The paper market and exchange: symbols from the config (KNOWN_SYMBOLS at realistic prices, others
 * start at 100 USD). With a
 * restored account (a restart), the exchange continues from it and the market from its marks.
 */
export function buildPaper(config: Readonly<Config>, nowMs: () => number, account?: Portfolio) {
  const symbols = config.loop.symbols ?? DEFAULT_SYMBOLS.map((s) => s.symbol);
  const specs = symbols.map(
    (symbol) => KNOWN_SYMBOLS.find((s) => s.symbol === symbol) ?? { symbol, startPrice: 100 },
  );
  const barMs = config.market.barMs;
  const market = createSyntheticMarket({
    seed: config.market.seed,
    symbols: specs,
    barMs,
    startMs: nowMs() - HISTORY_BARS * barMs,
  });
  market.advanceTo(nowMs());
  for (const p of Object.values(account?.positions ?? {})) market.rebase(p.symbol, p.markPrice);
  const exchange = createPaperExchange({
    market,
    initialBalanceUsd: config.initialBalanceUsd,
    nowMs,
    account,
    leverage: config.paperLeverage,
  });
  return { market, exchange, symbols };
}

/**
 * Books the paper exchange's liquidations (orders `autoclose-…`, as Aster names them) through the
 * executor, like any order it executed: the fills into the book, `order` and `fill` events; each
 * logged as an error and, with `alerts`, raised as a critical PositionLiquidated alert (the name the
 * user-data stream gives a live one). Returns how many orders were booked.
 */
export async function bookPaperLiquidations(
  exchange: PaperExchange,
  executor: Executor,
  log: Pick<Logger, 'error'>,
  alerts?: Pick<AlertSink, 'raise'>,
): Promise<number> {
  const orders = exchange.takeLiquidations();
  for (const order of orders) {
    log.error(
      {
        symbol: order.symbol,
        side: order.side,
        quantity: order.executedQty,
        price: order.avgPrice,
        client_order_id: order.clientOrderId,
      },
      'Position liquidated by the exchange',
    );
    await executor.adopt(order);
    await alerts
      ?.raise({
        name: 'PositionLiquidated',
        severity: 'critical',
        summary: `${order.symbol}: ${order.side} ${order.executedQty} at ${order.avgPrice} from a liquidation by the paper exchange (order ${order.orderId}, client id ${order.clientOrderId})`,
        description:
          "The margin balance no longer covered the maintenance margin; booked into the worker's book.",
        labels: { component: 'exchange', symbol: order.symbol },
      })
      .catch((e) => log.error({ error: messageOf(e) }, 'Liquidation alert not raised'));
  }
  return orders.length;
}

export function buildTrading(i: TradingBuildInput): TradingDeps {
  const paper = i.exchange ? undefined : buildPaper(i.config, i.nowMs, i.paperAccount);
  const raw = i.exchange ?? paper!.exchange;
  const exchange = i.wrapExchange ? i.wrapExchange(raw) : raw;
  const symbols = i.config.loop.symbols ?? paper?.symbols ?? DEFAULT_SYMBOLS.map((s) => s.symbol);
  const ourOrders = createSentOrderIndex(i.store, i.nowMs);
  const inFlight = createInFlightOrders();
  const stopLog = componentLogger(i.logger, 'ais.orchestration.stops');
  let stops: StopKeeper | undefined;
  const syncStops = () =>
    stops
      ?.sync()
      .catch((e) => stopLog.error({ error: messageOf(e) }, 'Protective stops not synced'));
  // A change of a symbol's exchange rules (read hourly) releases the orders held after a refusal.
  const rulesOf = (symbol: string) => i.risk.engine.symbolRules().get(symbol);
  const executor = createExecutor({
    exchange,
    rulesOf,
    tokens: i.risk.tokens,
    book: i.risk.portfolio,
    store: i.store,
    metrics: i.metrics,
    nowMs: i.nowMs,
    ourOrders,
    inFlight,
    onBooked: () => void syncStops(),
  });
  if (i.config.loop.stopLossOnExchange && i.config.loop.stopLoss > 0) {
    // Stop prices on the symbol's tick, toward the market (a SELL stop up, a BUY stop down: it fires a hair earlier).
    const roundStopPrice = (symbol: string, side: 'BUY' | 'SELL', price: number) => {
      const r = rulesOf(symbol);
      return r ? roundPrice(r, price, side) : price;
    };
    stops = createStopKeeper({
      exchange,
      symbols: () => symbols,
      stopLoss: i.config.loop.stopLoss,
      executor,
      ourOrders,
      store: i.store,
      metrics: i.metrics,
      log: stopLog,
      nowMs: i.nowMs,
      idTag: i.nowMs().toString(36),
      roundStopPrice,
    });
  }
  let stopsSyncedMs = -Infinity;
  const protection = createExchangeProtection({
    exchange,
    store: i.store,
    symbols: () => symbols,
    risk: i.risk.service,
    executor,
    log: componentLogger(i.logger, 'ais.risk.kill_switch'),
    nowMs: i.nowMs,
  });
  const coordinatorLog = componentLogger(i.logger, 'ais.orchestration.coordinator');
  const agents = i.agents ?? createBuiltInAgents(i.config.loop.agents);
  coordinatorLog.info(
    { agents: agents.map((a) => a.id), exchange: i.config.exchange },
    agents.length > 0
      ? 'Trading agents'
      : 'No trading agents: the worker is a risk gate and monitor for external signals and checks',
  );
  const coordinator = createCoordinator({
    agents,
    symbols,
    exchange,
    executor,
    risk: i.risk.service,
    control: i.risk.control,
    limits: i.risk.engine.limits,
    book: i.risk.portfolio,
    store: i.store,
    decisionLog: i.decisionLog,
    metrics: i.metrics,
    log: coordinatorLog,
    nowMs: i.nowMs,
    monoMs: () => performance.now(),
    stopLoss: i.config.loop.stopLoss,
    orderIdPrefix: `ais-${i.nowMs().toString(36)}`,
    symbolRules: () => i.risk.engine.symbolRules(),
    setMargin: (m) => i.risk.engine.setMargin(m),
    // Paper's margin is in process: every cycle. A real exchange's costs weight 10 (two signed
    // reads): every few seconds, and in the cycle after any fill.
    marginEveryMs: paper ? 0 : MARGIN_EVERY_MS,
  });
  const loop = createTradingLoop({
    coordinator,
    intervalMs: i.config.loop.intervalMs,
    metrics: i.metrics,
    log: componentLogger(i.logger, 'ais.orchestration.loop'),
    nowMs: i.nowMs,
    beforeCycle: async () => {
      // Paper: a new bar may fill resting orders or trigger stops; a stop that fired is booked now.
      const paperTrades =
        paper && paper.market.advanceTo(i.nowMs()) > 0 ? paper.exchange.onBar() : [];
      if (paper && paperTrades.length > 0)
        await bookPaperLiquidations(paper.exchange, executor, coordinatorLog, i.alerts);
      // Orders an outage left open are looked up before the next decision (nothing to do usually).
      if (inFlight.size > 0) await executor.resolveInFlight();
      // Stops are synced after every fill (onBooked) and, to see a stop the exchange executed and to
      // re-place a missing one: on paper when a bar traded, against a real exchange every few
      // seconds (each sync reads positions and each symbol's open orders: weight 5 + 1 per symbol).
      const due = paper ? paperTrades.length > 0 : i.nowMs() - stopsSyncedMs >= STOP_SYNC_MS;
      if (stops && due) {
        stopsSyncedMs = i.nowMs();
        await syncStops();
      }
    },
  });
  return {
    exchange,
    paper,
    coordinator,
    loop,
    symbols,
    executor,
    ourOrders,
    inFlight,
    stops,
    protection,
  };
}
