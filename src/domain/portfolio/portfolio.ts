// The account the risk engine reads: cash, positions, high-water mark and day-start NAV, as a plain
// immutable value. Perpetual-futures accounting: cash holds realised P&L and fees, NAV adds the
// unrealised P&L of every position at its mark. Pure: fills and prices come in as arguments.
import type { PortfolioFigures } from '../../ports/metrics.ts';

export interface Position {
  symbol: string;
  /** Signed: positive long, negative short. */
  quantity: number;
  avgEntryPrice: number;
  markPrice: number;
}

export interface Portfolio {
  initialNavUsd: number;
  cashUsd: number;
  positions: Readonly<Record<string, Position>>;
  /** Highest NAV seen: the drawdown reference. */
  peakNavUsd: number;
  /** NAV at the start of the trading day: the daily-loss reference. */
  dayStartNavUsd: number;
}

export interface Fill {
  symbol: string;
  side: 'BUY' | 'SELL';
  quantity: number;
  price: number;
  feeUsd?: number;
}

interface Figures extends PortfolioFigures {
  grossUsd: number;
  netUsd: number;
  /** Loss since the day start as a fraction of the day-start NAV (negative = gain). */
  dailyLoss: number;
}

/** A flat account holding `initialUsd` cash. */
export function createPortfolio(initialUsd: number): Portfolio {
  return {
    initialNavUsd: initialUsd,
    cashUsd: initialUsd,
    positions: {},
    peakNavUsd: initialUsd,
    dayStartNavUsd: initialUsd,
  };
}

export function navUsd(p: Portfolio): number {
  let nav = p.cashUsd;
  for (const pos of Object.values(p.positions))
    nav += pos.quantity * (pos.markPrice - pos.avgEntryPrice);
  return nav;
}

/** Raises the high-water mark when NAV is above it. */
const withPeak = (p: Portfolio): Portfolio => {
  const nav = navUsd(p);
  return nav > p.peakNavUsd ? { ...p, peakNavUsd: nav } : p;
};

/** Books a fill: realises P&L on the part that closes, averages the entry on the part that opens. */
export function applyFill(p: Portfolio, f: Fill): Portfolio {
  const signed = f.side === 'BUY' ? f.quantity : -f.quantity;
  const old = p.positions[f.symbol] ?? {
    symbol: f.symbol,
    quantity: 0,
    avgEntryPrice: 0,
    markPrice: f.price,
  };
  const closing =
    old.quantity !== 0 && Math.sign(signed) !== Math.sign(old.quantity)
      ? Math.min(Math.abs(signed), Math.abs(old.quantity))
      : 0;
  const realisedUsd = closing * (f.price - old.avgEntryPrice) * Math.sign(old.quantity);
  const quantity = old.quantity + signed;
  const opening = Math.abs(signed) - closing;
  let avgEntryPrice = old.avgEntryPrice;
  if (Math.abs(quantity) < 1e-12) avgEntryPrice = 0;
  else if (closing >= Math.abs(old.quantity))
    avgEntryPrice = f.price; // flat or flipped: a new position
  else if (opening > 0)
    avgEntryPrice =
      (Math.abs(old.quantity) * old.avgEntryPrice + opening * f.price) / Math.abs(quantity);
  const positions = { ...p.positions };
  if (Math.abs(quantity) < 1e-12) delete positions[f.symbol];
  else positions[f.symbol] = { symbol: f.symbol, quantity, avgEntryPrice, markPrice: f.price };
  return withPeak({ ...p, cashUsd: p.cashUsd + realisedUsd - (f.feeUsd ?? 0), positions });
}

/** Moves a symbol's mark price; unknown symbols are left alone. */
export function markPrice(p: Portfolio, symbol: string, price: number): Portfolio {
  const pos = p.positions[symbol];
  if (!pos || !(price > 0 && price < Infinity)) return p;
  return withPeak({ ...p, positions: { ...p.positions, [symbol]: { ...pos, markPrice: price } } });
}

/** A new trading day: the daily loss counts from here. */
export function startDay(p: Portfolio): Portfolio {
  return { ...p, dayStartNavUsd: navUsd(p) };
}

/** Every figure the risk engine, the metrics and GET /v1/portfolio use. */
export function portfolioFigures(p: Portfolio): Figures {
  const nav = navUsd(p);
  let grossUsd = 0;
  let netUsd = 0;
  const exposureBySymbol: Record<string, number> = {};
  for (const pos of Object.values(p.positions)) {
    const usd = pos.quantity * pos.markPrice;
    grossUsd += Math.abs(usd);
    netUsd += usd;
    exposureBySymbol[pos.symbol] = nav > 0 ? usd / nav : 0;
  }
  const ofNav = (x: number) => (nav > 0 ? x / nav : Infinity);
  return {
    navUsd: nav,
    pnlFraction: (nav - p.initialNavUsd) / p.initialNavUsd,
    drawdown: (p.peakNavUsd - nav) / p.peakNavUsd,
    dailyLoss: (p.dayStartNavUsd - nav) / p.dayStartNavUsd,
    leverage: ofNav(grossUsd),
    grossExposure: ofNav(grossUsd),
    netExposure: ofNav(Math.abs(netUsd)),
    grossUsd,
    netUsd,
    exposureBySymbol,
  };
}

/**
 * The account as the exchange reports it, for a worker that trades a real account: cash is the
 * wallet balance, positions carry the exchange's entry and mark prices, NAV references start here.
 */
export function portfolioFromExchange(
  walletUsd: number,
  positions: readonly { symbol: string; quantity: number; entryPrice: number; markPrice: number }[],
): Portfolio {
  const p: Portfolio = { ...createPortfolio(walletUsd), positions: {} };
  const held: Record<string, Position> = {};
  for (const x of positions) {
    if (x.quantity !== 0)
      held[x.symbol] = {
        symbol: x.symbol,
        quantity: x.quantity,
        avgEntryPrice: x.entryPrice,
        markPrice: x.markPrice,
      };
  }
  const withPositions = { ...p, positions: held };
  const nav = navUsd(withPositions);
  return { ...withPositions, initialNavUsd: nav, peakNavUsd: nav, dayStartNavUsd: nav };
}

/**
 * The book with one symbol's position as the exchange reports it (gone when `theirs` is absent or
 * flat). Cash is untouched: whatever moved the position moved the wallet too, and reconciliation
 * compares that.
 */
export function withExchangePosition(
  p: Portfolio,
  symbol: string,
  theirs: { quantity: number; entryPrice: number; markPrice: number } | undefined,
): Portfolio {
  const positions = { ...p.positions };
  if (theirs && theirs.quantity !== 0)
    positions[symbol] = {
      symbol,
      quantity: theirs.quantity,
      avgEntryPrice: theirs.entryPrice,
      markPrice: theirs.markPrice,
    };
  else delete positions[symbol];
  return { ...p, positions };
}

/** The risk references a portfolio snapshot carries across a restart. */
interface RiskReferences {
  peakNavUsd: number;
  dayStartNavUsd: number;
  /** When the snapshot was taken. */
  timeMs: number;
}

/**
 * A restarted worker keeps its drawdown and daily-loss references: the high-water mark is the higher
 * of the stored one and today's NAV, and the day-start NAV is the stored one when the snapshot is
 * from the same UTC day. Without this a restart would hand out a fresh drawdown budget.
 */
export function withRiskReferences(
  p: Portfolio,
  stored: RiskReferences | undefined,
  nowMs: number,
): Portfolio {
  const ok = (x: unknown): x is number => typeof x === 'number' && x > 0 && Number.isFinite(x);
  if (!stored || !ok(stored.peakNavUsd) || !ok(stored.dayStartNavUsd)) return p;
  const nav = navUsd(p);
  const sameDay = Math.floor(stored.timeMs / 86_400_000) === Math.floor(nowMs / 86_400_000);
  return {
    ...p,
    peakNavUsd: Math.max(stored.peakNavUsd, nav),
    dayStartNavUsd: sameDay ? stored.dayStartNavUsd : nav,
  };
}

/** A funding payment of a perpetual position: cash moves by `amountUsd` (negative = paid). */
export function applyFunding(p: Portfolio, amountUsd: number): Portfolio {
  if (!Number.isFinite(amountUsd) || amountUsd === 0) return p;
  return withPeak({ ...p, cashUsd: p.cashUsd + amountUsd });
}
