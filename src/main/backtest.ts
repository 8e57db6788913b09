// `npm run backtest -- --days 30 --seed 1 [--symbols BTCUSDT,ETHUSDT] [--csv bars.csv] [--run-id ID]
// [--trades out.csv|out.json] [--chart out.html]`:
// the live worker's agents, coordinator, WASM risk engine and paper exchange over synthetic
// one-minute bars (or recorded bars from a CSV file), on a simulated clock, as fast as the CPU
// allows. Events go to an in-memory store (nothing is kept); risk limits come from the same AIS_*
// variables as the worker. A progress bar on a terminal; a summary at the end; with
// AIS_PUSHGATEWAY_URL the summary is pushed to the Pushgateway under job "ais_backtest", grouped by
// run id.
import { readFileSync, writeFileSync } from 'node:fs';
import { createPaperExchange } from '../adapters/exchange/paper/paper-exchange.ts';
import { createLogger } from '../adapters/logging/logger.ts';
import { parseCsvBars } from '../adapters/market/csv-bars.ts';
import { backtestSummaryRegistry } from '../adapters/metrics/backtest-summary.ts';
import { createPrometheusMetrics } from '../adapters/metrics/prometheus.ts';
import { pushMetrics } from '../adapters/pushgateway/push.ts';
import { createMemoryEventStore } from '../adapters/store/memory/event-store.ts';
import { loadWasmCore } from '../adapters/wasm/load.ts';
import { type Env, loadConfig } from '../config/config.ts';
import { createReplayMarket, type SymbolBar } from '../domain/market/replay.ts';
import { navUsd } from '../domain/portfolio/portfolio.ts';
import { performance as stats } from '../domain/trading/performance.ts';
import type { Agent } from '../domain/trading/agents/agent.ts';
import type { DecisionLog } from '../ports/decision-log.ts';
import { EventType, type EventStore } from '../ports/event-store.ts';
import { redactText, redactUrl } from '../domain/redaction/redact.ts';
import { buildRisk } from './build-risk.ts';
import { formatTrades, tradesFormatOf } from '../adapters/market/backtest-trades.ts';
import { type EquityPoint, equityChartHtml } from '../adapters/market/equity-chart.ts';
import type { ExchangeTrade } from '../ports/exchange.ts';
import { bookPaperLiquidations } from '../domain/trading/paper-liquidations.ts';
import { buildTrading } from './build-trading.ts';
import { parseBacktestArgs } from './backtest-args.ts';

const MINUTE_MS = 60_000;

interface BacktestOptions {
  /** Synthetic bars for this many days; ignored when `bars` are given. */
  days: number;
  /** Recorded bars to replay instead of the synthetic market. */
  bars?: readonly SymbolBar[];
  seed: number;
  symbols?: string[];
  runId: string;
  env?: Env;
  /** Called every 1 % of the run with the fraction done. */
  onProgress?: (done: number) => void;
  /** The strategy agents; the three built-in ones when omitted. */
  agents?: readonly Agent[];
  /** When given, receives the NAV at the start and after every bar, and at the end every trade. */
  record?: { equity: EquityPoint[]; trades: ExchangeTrade[] };
}

interface BacktestSummary {
  run_id: string;
  days: number;
  seed: number;
  symbols: string[];
  bars: number;
  total_return: number;
  max_drawdown: number;
  sharpe: number;
  final_nav_usd: number;
  trades: number;
  orders_checked: number;
  rejections_by_guard: Record<string, number>;
  kill_switch_triggered: boolean;
  /** Liquidation orders (`autoclose-`) the paper exchange executed. */
  liquidations: number;
  wall_seconds: number;
}

export async function runBacktest(o: BacktestOptions): Promise<BacktestSummary> {
  const t0 = performance.now();
  const start = Date.UTC(2026, 0, 1);
  let now = start;
  const nowMs = () => now;
  const replay = o.bars
    ? createReplayMarket(o.symbols ? o.bars.filter((b) => o.symbols!.includes(b.symbol)) : o.bars)
    : undefined;
  if (replay) now = replay.startMs;
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
  const logger = createLogger({ level: 'silent' });
  const metrics = createPrometheusMetrics({
    version: 'backtest',
    runtime: 'bun',
    instance: o.runId,
    processMetrics: false,
  });
  const store = createMemoryEventStore(nowMs, { keep: 10_000 });
  const rejections: Record<string, number> = {};
  let checked = 0;
  // The decision trail of a backtest is counted, not kept: risk decisions as they are stored, the
  // cycle's entries not at all.
  const countingStore: EventStore = {
    ...store,
    appendBatch(events) {
      for (const e of events) {
        if (e.type !== EventType.riskDecision) continue;
        const d = e.payload as { approved: boolean; guard: string | null };
        checked++;
        if (!d.approved) rejections[String(d.guard)] = (rejections[String(d.guard)] ?? 0) + 1;
      }
      return store.appendBatch(events);
    },
  };
  const decisionLog: DecisionLog = { append: async () => {} };
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
  const replayExchange =
    replay &&
    createPaperExchange({
      market: replay,
      initialBalanceUsd: config.initialBalanceUsd,
      nowMs,
      leverage: config.paperLeverage,
    });
  const trading = buildTrading({
    config,
    risk,
    store,
    metrics,
    logger,
    decisionLog,
    nowMs,
    exchange: replayExchange,
    agents: o.agents,
  });
  // The paper exchange's symbol rules, as a live worker reads its exchange's at start-up.
  risk.engine.setSymbolRules(await trading.exchange.symbolRules());
  const market = replay ?? trading.paper!.market;
  const exchange = replayExchange ?? trading.paper!.exchange;
  const barMs = replay?.barMs ?? MINUTE_MS;

  const bars = replay
    ? Math.floor((replay.endMs + 1 - replay.startMs) / barMs)
    : Math.round(o.days * 24 * 60);
  const navs = [navUsd(risk.portfolio.get())];
  o.record?.equity.push({ timeMs: now, navUsd: navs[0]! });
  const every = Math.max(1, Math.floor(bars / 100));
  let liquidations = 0;
  for (let i = 1; i <= bars; i++) {
    now += barMs;
    market.advanceTo(now);
    if (exchange.onBar().length > 0)
      liquidations += await bookPaperLiquidations(exchange, trading.executor, logger);
    await trading.coordinator.runCycle();
    navs.push(navUsd(risk.portfolio.get()));
    o.record?.equity.push({ timeMs: now, navUsd: navs[i]! });
    if (i % every === 0) o.onProgress?.(i / bars);
  }
  const perf = stats(navs, (365 * 24 * 3_600_000) / barMs);
  o.record?.trades.push(...exchange.allTrades());
  return {
    run_id: o.runId,
    days: replay ? (replay.endMs + 1 - replay.startMs) / 86_400_000 : o.days,
    seed: o.seed,
    symbols: [...trading.symbols],
    bars,
    total_return: perf.totalReturn,
    max_drawdown: perf.maxDrawdown,
    sharpe: perf.sharpe,
    final_nav_usd: navs[navs.length - 1]!,
    trades: exchange.allTrades().length,
    orders_checked: checked,
    rejections_by_guard: rejections,
    kill_switch_triggered: risk.control.state().killSwitch.active,
    liquidations,
    wall_seconds: (performance.now() - t0) / 1000,
  };
}

/** Replaces the group `job="ais_backtest", run_id="<id>"` on the Pushgateway with the summary. */
export function pushSummary(url: string, s: BacktestSummary): Promise<void> {
  return pushMetrics({
    url,
    job: 'ais_backtest',
    groupingKey: { run_id: s.run_id },
    registry: backtestSummaryRegistry(s),
  });
}

function progressBar(stream: NodeJS.WriteStream) {
  if (!stream.isTTY) return undefined;
  return (done: number) => {
    const width = 40;
    const full = Math.round(done * width);
    stream.write(
      `\r[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${(done * 100).toFixed(0).padStart(3)}%`,
    );
    if (done >= 1) stream.write('\n');
  };
}

async function main(argv: string[]): Promise<number> {
  const args = parseBacktestArgs(argv);
  if (typeof args === 'number') return args;
  const { days, seed, symbols, runId } = args;
  const record = { equity: [] as EquityPoint[], trades: [] as ExchangeTrade[] };

  let bars: SymbolBar[] | undefined;
  if (args.csv) {
    try {
      bars = parseCsvBars(readFileSync(args.csv, 'utf8'));
    } catch (e) {
      console.error(`backtest: --csv ${args.csv}: ${redactText((e as Error).message)}`);
      return 2;
    }
  }
  let summary: BacktestSummary;
  try {
    summary = await runBacktest({
      days,
      seed,
      symbols,
      bars,
      runId,
      env: process.env,
      onProgress: args.json ? undefined : progressBar(process.stderr),
      record: args.trades || args.chart ? record : undefined,
    });
    if (args.trades) writeFileSync(args.trades, formatTrades(record.trades, args.tradesFormat!));
    if (args.chart)
      writeFileSync(
        args.chart,
        equityChartHtml(record.equity, {
          runId: summary.run_id,
          totalReturn: summary.total_return,
          maxDrawdown: summary.max_drawdown,
        }),
      );
  } catch (e) {
    console.error(`backtest: ${redactText((e as Error).message)}`);
    return 1;
  }
  if (args.json) console.log(JSON.stringify(summary));
  else {
    const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
    console.log(
      [
        `run ${summary.run_id}: ${Number(summary.days.toFixed(2))} days x ${summary.symbols.join(', ')} (${summary.bars} bars, seed ${summary.seed}) in ${summary.wall_seconds.toFixed(2)} s`,
        `return        ${pct(summary.total_return)}`,
        `max drawdown  ${pct(summary.max_drawdown)}`,
        `sharpe        ${summary.sharpe.toFixed(2)}`,
        `trades        ${summary.trades} (orders checked ${summary.orders_checked})`,
        `rejections    ${
          Object.entries(summary.rejections_by_guard)
            .map(([g, n]) => `${g} ${n}`)
            .join(', ') || 'none'
        }`,
        `kill switch   ${summary.kill_switch_triggered ? 'TRIGGERED' : 'not triggered'}`,
        `liquidations  ${summary.liquidations}`,
      ].join('\n'),
    );
  }
  const url = process.env.AIS_PUSHGATEWAY_URL;
  if (url) {
    try {
      await pushSummary(url, summary);
      console.error(`pushed to ${redactUrl(url)} as job ais_backtest, run_id ${summary.run_id}`);
    } catch (e) {
      console.error(
        `backtest: push to the Pushgateway failed: ${redactText((e as Error).message)}`,
      );
      return 1;
    }
  }
  return 0;
}

if (import.meta.main) process.exit(await main(process.argv.slice(2)));
