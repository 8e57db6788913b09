// Perpetual-futures margin in one margin asset, one-way mode (cross, and isolated positions by
// their own wallet): maintenance margin by
// notional bracket, initial margin at a symbol's leverage, the account's margin figures and each
// position's liquidation price. The paper exchange, the fake Aster server and the risk core's
// liquidation_distance estimate (wasm/assembly/risk.ts `maintenance`, `liquidationAfter`) all use
// these formulas, so paper, fake and guard agree. Pure: positions and marks come in as arguments.
//
// Where the numbers come from: each symbol's own brackets as the exchange serves them (v3.md
// "Notional and Leverage Brackets", GET leverageBracket: notionalCap, maintMarginRatio, cum), read
// with exchangeInfo and carried on its SymbolRules (`brackets`). A symbol without them (not read
// yet, or a paper symbol the docs show none for) falls back to DEFAULT: Binance USDⓈ-M's published
// BTCUSDT brackets (0.4 % up to 50,000 USDT, then 0.5 %, 1 %, 2.5 %, 5 %), with the maintenance
// amount (`cum`) that keeps the margin continuous across bracket edges. The liquidation price is
// Binance's cross-margin, one-way formula:
//   LP = (WB − TMM₁ + UPNL₁ + cum − side × Q × EP) / (Q × MMR − side × Q)
// with WB the wallet balance, TMM₁ and UPNL₁ the maintenance margin and unrealised P&L of every
// other position, Q the position's size, EP its entry price, side +1 long / −1 short, MMR and cum
// of the position's bracket (at its notional at the mark).

/** One maintenance bracket: up to this notional (USD; leverageBracket's notionalCap), the rate (maintMarginRatio) and the maintenance amount (cum). */
export interface MaintenanceBracket {
  upToUsd: number;
  rate: number;
  cumUsd: number;
}

/** Binance USDⓈ-M BTCUSDT brackets (see above); the WASM core holds the same five rows. */
export const MAINTENANCE_BRACKETS: readonly MaintenanceBracket[] = Object.freeze([
  { upToUsd: 50_000, rate: 0.004, cumUsd: 0 },
  { upToUsd: 250_000, rate: 0.005, cumUsd: 50 },
  { upToUsd: 1_000_000, rate: 0.01, cumUsd: 1_300 },
  { upToUsd: 10_000_000, rate: 0.025, cumUsd: 16_300 },
  { upToUsd: Infinity, rate: 0.05, cumUsd: 266_300 },
]);

/** A symbol's brackets, lowest notional first; the last one also covers every notional above its cap. */
export type BracketTable = readonly MaintenanceBracket[];

/** Which brackets a symbol uses; every symbol uses MAINTENANCE_BRACKETS unless told otherwise. */
export type BracketsOf = (symbol: string) => BracketTable | undefined;

/** The bracket of a notional (USD, ≥ 0): the first whose cap it does not pass, else the last. */
function bracketOf(notionalUsd: number, brackets: BracketTable): MaintenanceBracket {
  const table = brackets.length ? brackets : MAINTENANCE_BRACKETS;
  for (let i = 0; i < table.length - 1; i++) if (notionalUsd <= table[i]!.upToUsd) return table[i]!;
  return table[table.length - 1]!;
}

/** Maintenance margin of a position of this notional (USD): notional × rate − cum, in the symbol's brackets. */
export function maintenanceMarginUsd(
  notionalUsd: number,
  brackets: BracketTable = MAINTENANCE_BRACKETS,
): number {
  const b = bracketOf(notionalUsd, brackets);
  return notionalUsd * b.rate - b.cumUsd;
}

/**
 * The liquidation price of a position (the formula above). `othersMaintUsd` and `othersUpnlUsd`:
 * the other positions' maintenance margin and unrealised P&L. 0 for a flat position, and for a long
 * the account can carry to a price of 0 (the exchange shows "0": no liquidation price).
 */
export function liquidationPrice(
  walletUsd: number,
  othersMaintUsd: number,
  othersUpnlUsd: number,
  quantity: number,
  entryPrice: number,
  markPrice: number,
  brackets: BracketTable = MAINTENANCE_BRACKETS,
): number {
  if (quantity === 0) return 0;
  const q = Math.abs(quantity);
  const side = quantity > 0 ? 1 : -1;
  const b = bracketOf(q * markPrice, brackets);
  const lp =
    (walletUsd - othersMaintUsd + othersUpnlUsd + b.cumUsd - side * q * entryPrice) /
    (q * b.rate - side * q);
  return lp > 0 ? lp : 0;
}

/** A position as the margin figures need it; `leverage` is the symbol's initial leverage. */
interface MarginPosition {
  symbol: string;
  /** Signed: positive long, negative short. */
  quantity: number;
  entryPrice: number;
  markPrice: number;
  leverage: number;
  /** An isolated position's own wallet (USD); absent: cross margin. */
  isolatedWalletUsd?: number;
}

/** The account's margin, as Aster's Account Information v3 reports it (USD). */
export interface MarginFigures {
  walletUsd: number;
  unrealizedPnlUsd: number;
  /** Wallet plus unrealised P&L: what maintenance margin is compared with. */
  marginBalanceUsd: number;
  maintenanceMarginUsd: number;
  /** Σ |quantity| × mark / leverage. */
  initialMarginUsd: number;
  /** Margin balance minus initial margin, at least 0: what a new order's initial margin must fit. */
  availableUsd: number;
  /** Per open position, the liquidation price (0: none). */
  liquidationPrices: Record<string, number>;
}

/** The account's margin figures at the positions' marks, each in its symbol's brackets. */
export function marginFigures(
  walletUsd: number,
  positions: readonly MarginPosition[],
  bracketsOf: BracketsOf = () => undefined,
): MarginFigures {
  let upnl = 0;
  let maint = 0;
  let initial = 0;
  const table = (symbol: string) => bracketsOf(symbol) ?? MAINTENANCE_BRACKETS;
  const mm = positions.map((p) =>
    maintenanceMarginUsd(Math.abs(p.quantity) * p.markPrice, table(p.symbol)),
  );
  const pnl = positions.map((p) => p.quantity * (p.markPrice - p.entryPrice));
  positions.forEach((p, i) => {
    upnl += pnl[i]!;
    maint += mm[i]!;
    initial += (Math.abs(p.quantity) * p.markPrice) / Math.max(1, p.leverage);
  });
  const liquidationPrices: Record<string, number> = {};
  // Isolated: Binance's isolated formula, the cross one over the position's own wallet alone.
  positions.forEach((p, i) => {
    const iso = p.isolatedWalletUsd;
    liquidationPrices[p.symbol] = liquidationPrice(
      iso ?? walletUsd,
      iso === undefined ? maint - mm[i]! : 0,
      iso === undefined ? upnl - pnl[i]! : 0,
      p.quantity,
      p.entryPrice,
      p.markPrice,
      table(p.symbol),
    );
  });
  const marginBalanceUsd = walletUsd + upnl;
  return {
    walletUsd,
    unrealizedPnlUsd: upnl,
    marginBalanceUsd,
    maintenanceMarginUsd: maint,
    initialMarginUsd: initial,
    availableUsd: Math.max(0, marginBalanceUsd - initial),
    liquidationPrices,
  };
}

/** The exchange liquidates the account when its margin balance no longer covers maintenance margin. */
export const isLiquidatable = (
  f: Pick<MarginFigures, 'marginBalanceUsd' | 'maintenanceMarginUsd'>,
): boolean => f.maintenanceMarginUsd > 0 && f.marginBalanceUsd <= f.maintenanceMarginUsd;

/**
 * |mark − liquidation price| / mark: how far the mark may move before liquidation. Without a
 * liquidation price (the exchange's "0") that is |mark − 0| / mark = 1: the mark would have to
 * reach 0. NaN without a usable mark.
 */
export const liquidationDistance = (markPrice: number, liquidation: number): number =>
  markPrice > 0 ? Math.abs(markPrice - (liquidation > 0 ? liquidation : 0)) / markPrice : NaN;
