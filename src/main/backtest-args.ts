// The backtest's command line (`npm run backtest -- …`): its options, their usage text and their
// checks, in one place. A new option goes into OPTIONS, USAGE and BacktestArgs.
import { type TradesFormat, tradesFormatOf } from '../adapters/market/backtest-trades.ts';
import { parseCli } from './cli-args.ts';
import { redactText } from '../domain/redaction/redact.ts';

const OPTIONS = {
  days: { type: 'string', default: '30' },
  seed: { type: 'string', default: '1' },
  symbols: { type: 'string' },
  'run-id': { type: 'string' },
  csv: { type: 'string' },
  json: { type: 'boolean', default: false },
  trades: { type: 'string' },
  chart: { type: 'string' },
} as const;

const USAGE = `usage: npm run backtest -- [options]

The worker's agents, risk engine and paper exchange over synthetic (or recorded) one-minute bars,
on a simulated clock; risk limits from the same AIS_* variables as the worker.

  --days N        days of synthetic bars (default 30, up to 3650)
  --seed N        seed of the synthetic market (default 1)
  --symbols A,B   symbols to trade, comma-separated (default AIS_SYMBOLS)
  --csv FILE      replay recorded bars: a header naming time,symbol,open,high,low,close[,volume]
  --run-id ID     the run's id in the summary and the Pushgateway (default seed<N>-<days>d-<time>)
  --json          print the summary as one JSON line
  --trades FILE   write every fill to FILE, .csv or .json
  --chart FILE    write the equity and drawdown chart to FILE, a self-contained .html page
  -h, --help      this text`;

/** The backtest's command line, checked. */
export interface BacktestArgs {
  days: number;
  seed: number;
  symbols?: string[];
  runId: string;
  /** A CSV file of bars to replay instead of the synthetic market. */
  csv?: string;
  json: boolean;
  /** Where to write every fill, and in which format (by the file's extension). */
  trades?: string;
  tradesFormat?: TradesFormat;
  /** Where to write the equity and drawdown chart (.html). */
  chart?: string;
}

/** One line on stderr naming the bad option, and exit code 2. */
function refuse(message: string): number {
  console.error(`backtest: ${redactText(message)} (see --help)`);
  return 2;
}

/** The checked arguments, or the exit code to end with (0 after `--help`, 2 for a bad line). */
export function parseBacktestArgs(argv: string[]): BacktestArgs | number {
  const cli = parseCli({ name: 'backtest', usage: USAGE, options: OPTIONS }, argv);
  if (!cli.ok) return cli.exitCode;
  const v = cli.values;
  const days = Number(v.days);
  const seed = Number(v.seed);
  if (!(days > 0 && days <= 3_650))
    return refuse(`--days must be a number of days from 0 to 3650 (got ${v.days})`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31)
    return refuse(`--seed must be a whole number from 0 to 2^31 (got ${v.seed})`);
  const symbols = v.symbols
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (symbols?.some((s) => !/^[A-Z0-9]{2,20}$/.test(s)))
    return refuse(`--symbols must be upper-case symbols separated by commas (got ${v.symbols})`);
  const runId = v['run-id'] ?? `seed${seed}-${days}d-${Date.now().toString(36)}`;
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(runId))
    return refuse(`--run-id must be 1-64 letters, digits, _ . or - (got ${runId})`);
  const tradesFormat = v.trades === undefined ? undefined : tradesFormatOf(v.trades);
  if (v.trades !== undefined && !tradesFormat)
    return refuse(`--trades must name a .csv or .json file (got ${v.trades})`);
  if (v.chart !== undefined && !/\.html?$/i.test(v.chart))
    return refuse(`--chart must name an .html file (got ${v.chart})`);
  const { csv, trades, chart } = v;
  return { days, seed, symbols, runId, csv, json: v.json ?? false, trades, tradesFormat, chart };
}
