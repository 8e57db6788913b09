// The console's figures: every card against its limit, and positions with quantities on the
// symbol's step (never 3.9900000000000007), their protective stop and liquidation distance.
// Pure: built from what the risk side holds; the page only lays them out.
import { decimalsOf } from '../../domain/market/decimal-grid.ts';
import type { SymbolRules } from '../../domain/market/symbol-rules.ts';
import { liquidationDistance } from '../../domain/portfolio/margin.ts';
import { type Portfolio, portfolioFigures } from '../../domain/portfolio/portfolio.ts';
import type { RiskLimits } from '../../domain/risk/limits.ts';
import { type MarginAccount, marginRatio } from '../../ports/exchange.ts';

/** ok below 80 % of its limit, warn from 80 %, bad at or past it. */
type Level = 'ok' | 'warn' | 'bad' | 'none';

export interface Card {
  key: string;
  label: string;
  /** The figure as shown (units included). */
  text: string;
  /** The limit as shown, or '' when the figure has none. */
  limitText: string;
  /** |figure| / limit (0 when there is no limit), for the card's bar. */
  used: number;
  level: Level;
  /** A second line: P&L in USD beside its %, the net exposure in USD. */
  sub?: string;
}

const usd = (x: number) =>
  Number.isFinite(x)
    ? x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
    : String(x);
const signedUsd = (x: number) => `${x > 0 ? '+' : ''}${usd(x)}`;
const pct = (x: number, signed = false) =>
  Number.isFinite(x) ? `${signed && x > 0 ? '+' : ''}${(x * 100).toFixed(2)} %` : String(x);
const ratio = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : String(x));

function level(value: number, limit: number): Level {
  if (!(limit > 0)) return 'none';
  const used = Math.abs(value) / limit;
  return used >= 1 ? 'bad' : used >= 0.8 ? 'warn' : 'ok';
}

function card(
  key: string,
  label: string,
  value: number,
  limit: number,
  show: (x: number) => string,
): Card {
  const used = limit > 0 && Number.isFinite(value) ? Math.abs(value) / limit : 0;
  return {
    key,
    label,
    text: show(value),
    limitText: show(limit),
    used,
    level: level(value, limit),
  };
}

/** NAV and P&L, then each guarded figure beside its limit; the net exposure signed. */
export function cardsOf(
  p: Portfolio,
  limits: RiskLimits,
  margin: MarginAccount | undefined,
): Card[] {
  const f = portfolioFigures(p);
  const pnlUsd = f.navUsd - p.initialNavUsd;
  const net = f.navUsd > 0 ? f.netUsd / f.navUsd : 0;
  const positiveOnly = (x: number) => Math.max(0, x);
  return [
    {
      key: 'nav',
      label: 'NAV',
      text: `${usd(f.navUsd)} USD`,
      limitText: '',
      used: 0,
      level: 'none',
      sub: `start ${usd(p.initialNavUsd)} USD`,
    },
    {
      key: 'pnl',
      label: 'P&L',
      text: `${signedUsd(pnlUsd)} USD`,
      limitText: '',
      used: 0,
      level: pnlUsd < 0 ? 'warn' : 'none',
      sub: pct(f.pnlFraction, true),
    },
    card('drawdown', 'Drawdown', positiveOnly(f.drawdown), limits.maxDrawdown, (x) => pct(x)),
    card('daily_loss', 'Daily loss', positiveOnly(f.dailyLoss), limits.maxDailyLoss, (x) => pct(x)),
    card('leverage', 'Leverage', f.leverage, limits.maxLeverage, ratio),
    card('gross_exposure', 'Gross exposure', f.grossExposure, limits.maxGrossExposure, (x) =>
      pct(x),
    ),
    {
      ...card('net_exposure', 'Net exposure', net, limits.maxNetExposure, (x) => pct(x, true)),
      limitText: `±${pct(limits.maxNetExposure)}`,
      sub: `${signedUsd(f.netUsd)} USD ${f.netUsd > 0 ? 'long' : f.netUsd < 0 ? 'short' : ''}`.trim(),
    },
    margin
      ? card('margin_ratio', 'Margin ratio', marginRatio(margin), 1, (x) => pct(x))
      : {
          key: 'margin_ratio',
          label: 'Margin ratio',
          text: '—',
          limitText: '100 %',
          used: 0,
          level: 'none',
          sub: 'not read yet',
        },
  ];
}

export interface PositionRow {
  symbol: string;
  side: 'LONG' | 'SHORT';
  /** On the symbol's step: as many decimals as the step has. */
  quantity: string;
  entry: string;
  mark: string;
  notionalUsd: string;
  unrealisedUsd: string;
  weight: string;
  weightLevel: Level;
  /** The protective stop on the exchange and its distance from the mark, or '—'. */
  stop: string;
  /** The liquidation price and its distance from the mark, or '—' / 'none'. */
  liquidation: string;
}

/** `quantity` printed on the grid of `step` (8 decimals without rules). */
export const onStep = (quantity: number, step: number | undefined): string =>
  quantity.toFixed(step && step > 0 ? Math.min(decimalsOf(step), 12) : 8);

/** Prices printed on the symbol's tick (2 decimals without rules). */
const onTick = (price: number, tick: number | undefined) =>
  price.toLocaleString('en-US', {
    minimumFractionDigits: tick && tick > 0 ? Math.min(decimalsOf(tick), 12) : 2,
    maximumFractionDigits: tick && tick > 0 ? Math.min(decimalsOf(tick), 12) : 2,
  });

/** One row per open position. */
export function positionRows(
  p: Portfolio,
  limits: RiskLimits,
  rules: ReadonlyMap<string, SymbolRules>,
  margin: MarginAccount | undefined,
  stops: ReadonlyMap<string, { stopPrice: number }>,
): PositionRow[] {
  const f = portfolioFigures(p);
  return Object.values(p.positions).map((pos) => {
    const r = rules.get(pos.symbol);
    const weight = f.exposureBySymbol[pos.symbol] ?? 0;
    const stop = stops.get(pos.symbol);
    const liq = margin?.positions.find((m) => m.symbol === pos.symbol);
    const distance = (price: number) => pct(Math.abs(pos.markPrice - price) / pos.markPrice);
    return {
      symbol: pos.symbol,
      side: pos.quantity > 0 ? 'LONG' : 'SHORT',
      quantity: onStep(Math.abs(pos.quantity), r?.stepSize),
      entry: onTick(pos.avgEntryPrice, r?.tickSize),
      mark: onTick(pos.markPrice, r?.tickSize),
      notionalUsd: usd(pos.quantity * pos.markPrice),
      unrealisedUsd: signedUsd(pos.quantity * (pos.markPrice - pos.avgEntryPrice)),
      weight: `${pct(weight, true)} of ${pct(limits.maxPositionWeight)}`,
      weightLevel: level(weight, limits.maxPositionWeight),
      stop: stop ? `${onTick(stop.stopPrice, r?.tickSize)} (${distance(stop.stopPrice)})` : '—',
      liquidation: !liq
        ? '—'
        : liq.liquidationPrice > 0
          ? `${onTick(liq.liquidationPrice, r?.tickSize)} (${pct(liquidationDistance(liq.markPrice, liq.liquidationPrice))})`
          : 'none',
    };
  });
}

export { onTick, usd, signedUsd };
