// The backtest's run (backtest.ts is its command line): the live worker's agents, coordinator,
// WASM risk engine and paper exchange over synthetic one-minute bars (or recorded bars), on a
// simulated clock, as fast as the CPU allows; events in an in-memory store, risk decisions counted.
import { createPaperExchange } from '../adapters/exchange/paper/paper-exchange.ts';
import { createLogger } from '../adapters/logging/logger.ts';
import { createPrometheusMetrics } from '../adapters/metrics/prometheus.ts';
import { createMemoryEventStore } from '../adapters/store/memory/event-store.ts';
import { loadWasmCore } from '../adapters/wasm/load.ts';
import { type Config, loadConfig } from '../config/config.ts';
import { trackBarMoves } from '../domain/market/bar-moves.ts';
import { createReplayMarket } from '../domain/market/replay.ts';
import { navUsd } from '../domain/portfolio/portfolio.ts';
import { actOnDrawdownTrip } from '../domain/trading/drawdown-action.ts';
import { createPreCycle, type PaperVenue, syncStopsLogged } from '../domain/trading/pre-cycle.ts';
import { performance as stats } from '../domain/trading/performance.ts';
import type { DecisionLog } from '../ports/decision-log.ts';
import type { EventStore } from '../ports/event-store.ts';
import type { BacktestOptions, BacktestSummary } from './backtest-types.ts';
import { buildRisk } from './build-risk.ts';
import { buildTrading } from './build-trading.ts';

const MINUTE_MS = 60_000;
type ReplayMarket = ReturnType<typeof createReplayMarket>;

export type { BacktestOptions, BacktestSummary };

/** A clock the run moves bar by bar: simulated time is the backtest's only clock. */
function simulatedClock(startMs: number) {
  let now = startMs;
  return { nowMs: () => now, advance: (ms: number) => (now += ms) };
}

/** The risk side over an in-memory store that counts the risk decisions (the trail is not kept). */
async function countedRisk(config: Readonly<Config>, runId: string, nowMs: () => number) {
  const logger = createLogger({ level: 'silent' });
  const metrics = createPrometheusMetrics({
    version: 'backtest',
    runtime: 'bun',
    instance: runId,
    processMetrics: false,
  });
  const store = createMemoryEventStore(nowMs, { keep: 10_000 });
  const counts = { checked: 0, rejections: {} as Record<string, number> };
  // The decision trail of a backtest is counted, not kept: risk decisions as they are stored, the
  // cycle's entries not at all.
  const countingStore: EventStore = {
    ...store,
    async recordDecisions(writes) {
      const written = await store.recordDecisions(writes);
      for (const { stored } of written) {
        const d = stored.payload;
        counts.checked++;
        if (!d.approved)
          counts.rejections[String(d.guard)] = (counts.rejections[String(d.guard)] ?? 0) + 1;
      }
      return written;
    },
  };
  const risk = await buildRisk({
    config,
    core: await loadWasmCore(),
    store: countingStore,
    metrics,
    logger,
    nowMs,
    // Simulated time is the backtest's only clock (and monotonic): runs repeat exactly.
    monoMs: nowMs,
  });
  return { logger, metrics, store, risk, counts };
}

/**
 * The live loop's pre-cycle over the paper exchange: the bar's fills (resting orders, protective
 * stops, liquidations) are booked before each cycle, so that the book follows the exchange as in
 * the worker; `liquidations.count` counts the forced orders.
 */
function paperPreCycle(
  trading: ReturnType<typeof buildTrading>,
  venue: PaperVenue,
  logger: ReturnType<typeof createLogger>,
  nowMs: () => number,
) {
  const liquidations = { count: 0 };
  const beforeCycle = createPreCycle({
    paper: {
      market: venue.market,
      exchange: {
        onBar: () => venue.exchange.onBar(),
        takeLiquidations: () => {
          const orders = venue.exchange.takeLiquidations();
          liquidations.count += orders.length;
          return orders;
        },
      },
    },
    executor: trading.orders.executor,
    inFlight: trading.orders.inFlight,
    syncStops: trading.stops && (() => syncStopsLogged(trading.stops!, logger)),
    log: logger,
    nowMs,
    monoMs: nowMs, // a backtest has one simulated clock, which never steps
  });
  return { beforeCycle, liquidations };
}

/** The worker's trading side over the replayed market, or over the synthetic one built for it. */
async function backtestWorker(
  o: BacktestOptions,
  replay: ReplayMarket | undefined,
  nowMs: () => number,
) {
  const config = loadConfig({
    ...o.env,
    AIS_DB_URL: ':memory:',
    AIS_EXCHANGE: 'paper',
    AIS_LOOP_ENABLED: 'false',
    AIS_MARKET_SEED: String(o.seed),
    AIS_MARKET_BAR_MS: String(MINUTE_MS),
    AIS_SYMBOLS: (replay?.symbols ?? o.symbols)?.join(','),
    AIS_RISK_HMAC_SECRET: undefined,
  });
  const side = await countedRisk(config, o.runId, nowMs);
  const replayExchange =
    replay &&
    createPaperExchange({
      market: replay,
      initialBalanceUsd: config.initialBalanceUsd,
      nowMs,
      leverage: config.paperLeverage,
    });
  const decisionLog: DecisionLog = { append: async () => {} };
  const trading = buildTrading({
    config,
    risk: side.risk,
    store: side.store,
    metrics: side.metrics,
    logger: side.logger,
    decisionLog,
    nowMs,
    overrides: { exchange: replayExchange, agents: o.agents },
  });
  // The paper exchange's symbol rules, as a live worker reads its exchange's at start-up.
  side.risk.engine.setSymbolRules(await trading.exchange.symbolRules());
  const market = replay ?? trading.paper!.market;
  const exchange = replayExchange ?? trading.paper!.exchange;
  // An automatic drawdown trip acts on the positions as in the worker; the run waits for it.
  const drawdownAction = actOnDrawdownTrip(
    side.risk.control,
    config.drawdownAction,
    trading.protection,
    side.logger,
  );
  const { beforeCycle, liquidations } = paperPreCycle(
    trading,
    { market, exchange },
    side.logger,
    nowMs,
  );
  return { ...side, config, trading, market, exchange, drawdownAction, beforeCycle, liquidations };
}

export async function runBacktest(o: BacktestOptions): Promise<BacktestSummary> {
  const t0 = performance.now();
  const replay = o.bars
    ? createReplayMarket(o.symbols ? o.bars.filter((b) => o.symbols!.includes(b.symbol)) : o.bars)
    : undefined;
  const clock = simulatedClock(replay ? replay.startMs : Date.UTC(2026, 0, 1));
  const w = await backtestWorker(o, replay, clock.nowMs);
  const barMs = replay?.barMs ?? MINUTE_MS;
  const bars = replay
    ? Math.floor((replay.endMs + 1 - replay.startMs) / barMs)
    : Math.round(o.days * 24 * 60);
  const navs = [navUsd(w.risk.portfolio.get())];
  o.record?.equity.push({ timeMs: clock.nowMs(), navUsd: navs[0]! });
  const every = Math.max(1, Math.floor(bars / 100));
  const moves = trackBarMoves(w.market, w.trading.symbols);
  for (let i = 1; i <= bars; i++) {
    clock.advance(barMs);
    await w.beforeCycle();
    moves.update();
    await w.trading.coordinator.runCycle();
    await w.drawdownAction.settled();
    navs.push(navUsd(w.risk.portfolio.get()));
    o.record?.equity.push({ timeMs: clock.nowMs(), navUsd: navs[i]! });
    if (i % every === 0) o.onProgress?.(i / bars);
  }
  const perf = stats(navs, (365 * 24 * 3_600_000) / barMs);
  o.record?.trades.push(...w.exchange.allTrades());
  return {
    run_id: o.runId,
    days: replay ? (replay.endMs + 1 - replay.startMs) / 86_400_000 : o.days,
    seed: o.seed,
    symbols: [...w.trading.symbols],
    bars,
    total_return: perf.totalReturn,
    max_drawdown: perf.maxDrawdown,
    drawdown_limit: w.config.risk.maxDrawdown,
    drawdown_action: w.config.drawdownAction,
    largest_bar_move: moves.largest(),
    sharpe: perf.sharpe,
    final_nav_usd: navs[navs.length - 1]!,
    trades: w.exchange.allTrades().length,
    orders_checked: w.counts.checked,
    rejections_by_guard: w.counts.rejections,
    kill_switch_triggered: w.risk.control.state().killSwitch.active,
    open_positions: Object.values(w.risk.portfolio.get().positions).filter((p) => p.quantity !== 0)
      .length,
    liquidations: w.liquidations.count,
    wall_seconds: (performance.now() - t0) / 1000,
  };
}
