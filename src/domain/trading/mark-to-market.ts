// The cycle's mark-to-market: the book marked at the exchange's marks, the trading day rolled at
// UTC midnight (the daily-loss reference), the figures published and, on a drawdown at or past the
// limit, the kill switch tripped (`by: coordinator`). The trading day is a plain number the runner
// keeps and passes in.
import type { LogPort } from '../../ports/log.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { PortfolioBook } from '../portfolio/book.ts';
import { markPrice, portfolioFigures, startDay } from '../portfolio/portfolio.ts';
import type { ControlService } from '../risk/control-service.ts';
import { tripOnDrawdown } from '../risk/drawdown-trip.ts';
import type { RiskLimits } from '../risk/limits.ts';

const DAY_MS = 86_400_000;

/** The UTC day number (days since the epoch) of `nowMs` (ms since the epoch). */
export const tradingDay = (nowMs: number): number => Math.floor(nowMs / DAY_MS);

/**
 * Marks every symbol of `marks` (USD) in the book; when `nowMs` falls on a later UTC day than `day`
 * the book starts a new day (its day-start NAV). Returns the trading day of `nowMs`.
 */
export function markBook(
  book: PortfolioBook,
  marks: ReadonlyMap<string, number>,
  day: number,
  nowMs: number,
): number {
  for (const [symbol, mark] of marks) book.update((p) => markPrice(p, symbol, mark));
  const today = tradingDay(nowMs);
  if (today !== day) book.update(startDay);
  return today;
}

/** The book, where its figures go, the kill switch and the drawdown limit (a fraction of peak NAV). */
export interface DrawdownGuard {
  book: PortfolioBook;
  metrics: Pick<Metrics, 'portfolio'>;
  control: ControlService;
  limits: Readonly<Pick<RiskLimits, 'maxDrawdown'>>;
  log: LogPort;
}

/**
 * Publishes the book's figures (NAV, exposure, drawdown…) and trips the kill switch when the
 * drawdown reached `limits.maxDrawdown`, logging 'Drawdown limit breached: kill switch triggered'
 * at ERROR with `{cycle, drawdown, limit}` when this call tripped it.
 */
export async function guardDrawdown(
  { book, metrics, control, limits, log }: DrawdownGuard,
  cycle: number,
): Promise<void> {
  const f = portfolioFigures(book.get());
  metrics.portfolio(f);
  if (await tripOnDrawdown(control, f.drawdown, limits.maxDrawdown, 'coordinator')) {
    log.error(
      { cycle, drawdown: f.drawdown, limit: limits.maxDrawdown },
      'Drawdown limit breached: kill switch triggered',
    );
  }
}
