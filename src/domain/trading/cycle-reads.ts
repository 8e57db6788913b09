// The coordinator's reads from the exchange, one function each: candles → the agents' Bars, the
// exchange's mark prices → the book's marks, the account's margin when due. Each read's age goes
// to ais_aster_data_age_seconds{data_type}, measured on the exchange's clock (serverNowMs). The
// only state is the margin's timing, a plain value the runner keeps and passes in.
import {
  type Exchange,
  type MarginAccount,
  marginRatio,
  type MarkPrice,
} from '../../ports/exchange.ts';
import type { Metrics } from '../../ports/metrics.ts';
import { liquidationDistance } from '../portfolio/margin.ts';
import type { Bars } from './agents/agent.ts';
import type { Stage } from './cycle-stage.ts';

/** What the market reads need: the exchange's reads and clock, the age gauge, the guarded stage. */
export interface MarketReads {
  exchange: Pick<Exchange, 'candles' | 'markPrices' | 'serverNowMs'>;
  metrics: Pick<Metrics, 'dataAge'>;
  stage: Stage;
}

/**
 * The newest `count` one-minute candles of every symbol as Bars (closes, highs, lows oldest first;
 * `nowMs` the last candle's close time, ms). A symbol whose candles cannot be read (stage
 * `market_data`) or are empty is skipped this cycle. The newest close time's age (s) on the
 * exchange's clock is the `klines` data age.
 */
export async function readBars(
  { exchange, metrics, stage }: MarketReads,
  symbols: readonly string[],
  count: number,
): Promise<Bars[]> {
  const out: Bars[] = [];
  for (const symbol of symbols) {
    const candles = await stage('market_data', () => exchange.candles(symbol, count));
    if (!candles?.length) continue;
    const last = candles[candles.length - 1]!;
    // The candle's close time is the exchange's: compare it with the exchange's clock.
    metrics.dataAge('klines', Math.max(0, (exchange.serverNowMs() - last.closeTimeMs) / 1000));
    out.push({
      symbol,
      closes: candles.map((c) => c.close),
      highs: candles.map((c) => c.high),
      lows: candles.map((c) => c.low),
      nowMs: last.closeTimeMs,
    });
  }
  return out;
}

/**
 * The mark source of the book, the risk checks, exposure and stop-losses: the exchange's mark
 * price per traded symbol (USD; Aster: premiumIndex, one call for every symbol; paper: its market
 * price), never a candle's close (that is the agents' input). A symbol without a positive mark is
 * left out. The oldest traded mark's age (s) is the `mark_price` data age. When the marks cannot
 * be read (stage `mark_price`) the map is empty: the book keeps the last ones and the age grows.
 */
export async function readMarks(
  { exchange, metrics, stage }: MarketReads,
  symbols: readonly string[],
): Promise<ReadonlyMap<string, number>> {
  const all = await stage('mark_price', () => exchange.markPrices());
  const marks = new Map<string, number>();
  if (!all) return marks;
  const bySymbol = new Map<string, MarkPrice>(all.map((m) => [m.symbol, m]));
  let oldestMs = Infinity;
  for (const symbol of symbols) {
    const m = bySymbol.get(symbol);
    if (!m || !(m.markPrice > 0)) continue;
    marks.set(symbol, m.markPrice);
    if (m.timeMs < oldestMs) oldestMs = m.timeMs;
  }
  if (oldestMs < Infinity)
    metrics.dataAge('mark_price', Math.max(0, (exchange.serverNowMs() - oldestMs) / 1000));
  return marks;
}

/** When the margin was last read (ms, the runner's clock) and whether an order filled since. */
export interface MarginTiming {
  readonly lastReadMs: number;
  readonly filledSinceRead: boolean;
}

/** Before the first read: due at once. */
export const MARGIN_UNREAD: MarginTiming = { lastReadMs: -Infinity, filledSinceRead: true };

/** The timing after a fill: the margin is due in the next cycle whatever `marginEveryMs` says. */
export const afterFill = (timing: MarginTiming): MarginTiming => ({
  ...timing,
  filledSinceRead: true,
});

/**
 * Reads the account's margin when due: after a fill, or once `everyMs` (ms; 0 = every cycle) has
 * passed since the last read at `nowMs` (the monotonic clock: a wall-clock step neither hurries nor
 * stalls the reads). Undefined when not due (no call made); else the account and the timing after
 * this read.
 */
export async function readMarginWhenDue(
  exchange: Pick<Exchange, 'marginAccount'>,
  timing: MarginTiming,
  nowMs: number,
  everyMs: number,
): Promise<{ margin: MarginAccount; timing: MarginTiming } | undefined> {
  if (!timing.filledSinceRead && nowMs - timing.lastReadMs < everyMs) return undefined;
  const margin = await exchange.marginAccount();
  return { margin, timing: { lastReadMs: nowMs, filledSinceRead: false } };
}

/** The margin gauges: the account's margin ratio, each position's liquidation distance (a fraction), the read's age (s) as the `margin` data age. */
export function publishMargin(
  metrics: Pick<Metrics, 'margin' | 'dataAge'>,
  exchange: Pick<Exchange, 'serverNowMs'>,
  margin: MarginAccount,
): void {
  const distances: Record<string, number> = {};
  for (const p of margin.positions) {
    const d = liquidationDistance(p.markPrice, p.liquidationPrice);
    if (!Number.isNaN(d)) distances[p.symbol] = d;
  }
  metrics.margin(marginRatio(margin), distances);
  metrics.dataAge('margin', Math.max(0, (exchange.serverNowMs() - margin.timeMs) / 1000));
}
