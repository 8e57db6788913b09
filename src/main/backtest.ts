// `npm run backtest -- --days 30 --seed 1 [--symbols BTCUSDT,ETHUSDT] [--csv bars.csv] [--run-id ID]
// [--trades out.csv|out.json] [--chart out.html]`:
// the live worker's agents, coordinator, WASM risk engine and paper exchange over synthetic
// one-minute bars (or recorded bars from a CSV file), on a simulated clock, as fast as the CPU
// allows. Events go to an in-memory store (nothing is kept); risk limits come from the same AIS_*
// variables as the worker. A progress bar on a terminal; a summary at the end; with
// AIS_PUSHGATEWAY_URL the summary is pushed to the Pushgateway under job "ais_backtest", grouped by
// run id.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseCsvBars } from '../adapters/market/csv-bars.ts';
import { backtestSummaryRegistry } from '../adapters/metrics/backtest-summary.ts';
import { pushMetrics } from '../adapters/pushgateway/push.ts';
import { formatTrades } from '../adapters/market/backtest-trades.ts';
import { type EquityPoint, equityChartHtml } from '../adapters/market/equity-chart.ts';
import type { SymbolBar } from '../domain/market/replay.ts';
import { redactText, redactUrl } from '../domain/redaction/redact.ts';
import type { ExchangeTrade } from '../ports/exchange.ts';
import { parseBacktestArgs } from './backtest-args.ts';
import { type BacktestSummary, runBacktest } from './backtest-run.ts';

export { runBacktest };

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

/** The summary as the terminal shows it. */
function summaryText(summary: BacktestSummary): string {
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  return [
    `run ${summary.run_id}: ${Number(summary.days.toFixed(2))} days x ${summary.symbols.join(', ')} (${summary.bars} bars, seed ${summary.seed}) in ${summary.wall_seconds.toFixed(2)} s`,
    `return        ${pct(summary.total_return)}`,
    `max drawdown  ${pct(summary.max_drawdown)} (limit ${pct(summary.drawdown_limit)}, action ${summary.drawdown_action}; largest one-bar move ${pct(summary.largest_bar_move)})`,
    `sharpe        ${summary.sharpe.toFixed(2)}`,
    `trades        ${summary.trades} (orders checked ${summary.orders_checked})`,
    `rejections    ${
      Object.entries(summary.rejections_by_guard)
        .map(([g, n]) => `${g} ${n}`)
        .join(', ') || 'none'
    }`,
    `kill switch   ${summary.kill_switch_triggered ? 'TRIGGERED' : 'not triggered'}`,
    `liquidations  ${summary.liquidations}`,
  ].join('\n');
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
  console.log(args.json ? JSON.stringify(summary) : summaryText(summary));
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
