// The book as a `portfolio` event stores it (its figures and what a restart needs), and back.
import type { EventPayload } from '../../ports/events.ts';
import { type Portfolio, portfolioFigures, type Position } from './portfolio.ts';

/** The `portfolio` event's payload at `cycle`: the figures plus everything a restart needs to rebuild the book. */
export function portfolioSnapshot(p: Portfolio, cycle: number): EventPayload<'portfolio'> {
  const f = portfolioFigures(p);
  const positions = Object.fromEntries(
    Object.values(p.positions).map((x) => [
      x.symbol,
      {
        symbol: x.symbol,
        quantity: x.quantity,
        avg_entry_price: x.avgEntryPrice,
        mark_price: x.markPrice,
      },
    ]),
  );
  return {
    cycle,
    nav_usd: f.navUsd,
    pnl_fraction: f.pnlFraction,
    drawdown: f.drawdown,
    daily_loss: f.dailyLoss,
    leverage: f.leverage,
    gross_exposure: f.grossExposure,
    net_exposure: f.netExposure,
    gross_usd: f.grossUsd,
    net_usd: f.netUsd,
    exposure_by_symbol: { ...f.exposureBySymbol },
    cash_usd: p.cashUsd,
    initial_nav_usd: p.initialNavUsd,
    peak_nav_usd: p.peakNavUsd,
    day_start_nav_usd: p.dayStartNavUsd,
    positions,
  };
}

/**
 * The book a `portfolio` snapshot describes, or undefined when it cannot be one (a NAV reference
 * not positive, a number not finite, a position filed under another symbol or without a mark).
 */
export function portfolioFromSnapshot(p: EventPayload<'portfolio'>): Portfolio | undefined {
  const ok = (x: number) => Number.isFinite(x);
  if (!ok(p.cash_usd) || !(p.initial_nav_usd > 0 && p.peak_nav_usd > 0 && p.day_start_nav_usd > 0))
    return undefined;
  const positions: Record<string, Position> = {};
  for (const [symbol, x] of Object.entries(p.positions)) {
    if (
      !ok(x.quantity) ||
      !ok(x.avg_entry_price) ||
      !ok(x.mark_price) ||
      !(x.mark_price > 0) ||
      x.symbol !== symbol
    )
      return undefined;
    if (x.quantity !== 0)
      positions[symbol] = {
        symbol,
        quantity: x.quantity,
        avgEntryPrice: x.avg_entry_price,
        markPrice: x.mark_price,
      };
  }
  return {
    initialNavUsd: p.initial_nav_usd,
    cashUsd: p.cash_usd,
    positions,
    peakNavUsd: p.peak_nav_usd,
    dayStartNavUsd: p.day_start_nav_usd,
  };
}
