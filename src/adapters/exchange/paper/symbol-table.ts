// The paper exchange's symbol rules, so that paper refuses what Aster refuses. Aster's futures
// symbols follow Binance USDⓈ-M; the tick sizes, steps, price bounds, lot maxima and PERCENT_PRICE
// multipliers below are Binance USDⓈ-M's published filters for these perpetuals (read from its
// exchangeInfo by hand, not from Aster's: there is no network here), except where the issue or
// Aster's docs say otherwise: BNBUSDT step 0.01 and DOGEUSDT step 1 (issue 9), SOLUSDT step 0.01,
// and MIN_NOTIONAL 5 USDT everywhere (Aster's -4164 text: "Order's notional must be no smaller
// than 5.0"). An `aster` worker never uses this table: it reads exchangeInfo at start-up.
import type { SymbolRules } from '../../../domain/market/symbol-rules.ts';
import { paperBrackets } from './bracket-table.ts';

type Row = Omit<
  SymbolRules,
  'symbol' | 'status' | 'minNotional' | 'multiplierDecimal' | 'brackets'
>;

const ROWS: Record<string, Row> = {
  BTCUSDT: {
    tickSize: 0.1,
    minPrice: 556.8,
    maxPrice: 4_529_764,
    stepSize: 0.001,
    minQty: 0.001,
    maxQty: 1_000,
    marketStepSize: 0.001,
    marketMinQty: 0.001,
    marketMaxQty: 120,
    multiplierUp: 1.05,
    multiplierDown: 0.95,
  },
  ETHUSDT: {
    tickSize: 0.01,
    minPrice: 39.86,
    maxPrice: 306_177,
    stepSize: 0.001,
    minQty: 0.001,
    maxQty: 10_000,
    marketStepSize: 0.001,
    marketMinQty: 0.001,
    marketMaxQty: 2_000,
    multiplierUp: 1.05,
    multiplierDown: 0.95,
  },
  SOLUSDT: {
    tickSize: 0.01,
    minPrice: 0.42,
    maxPrice: 6_857,
    stepSize: 0.01,
    minQty: 0.01,
    maxQty: 1_000_000,
    marketStepSize: 0.01,
    marketMinQty: 0.01,
    marketMaxQty: 5_000,
    multiplierUp: 1.05,
    multiplierDown: 0.95,
  },
  BNBUSDT: {
    tickSize: 0.01,
    minPrice: 6.6,
    maxPrice: 100_000,
    stepSize: 0.01,
    minQty: 0.01,
    maxQty: 100_000,
    marketStepSize: 0.01,
    marketMinQty: 0.01,
    marketMaxQty: 2_000,
    multiplierUp: 1.05,
    multiplierDown: 0.95,
  },
  DOGEUSDT: {
    tickSize: 0.00001,
    minPrice: 0.00244,
    maxPrice: 30,
    stepSize: 1,
    minQty: 1,
    maxQty: 50_000_000,
    marketStepSize: 1,
    marketMinQty: 1,
    marketMaxQty: 30_000_000,
    multiplierUp: 1.05,
    multiplierDown: 0.95,
  },
  XRPUSDT: {
    tickSize: 0.0001,
    minPrice: 0.0143,
    maxPrice: 100_000,
    stepSize: 0.1,
    minQty: 0.1,
    maxQty: 10_000_000,
    marketStepSize: 0.1,
    marketMinQty: 0.1,
    marketMaxQty: 2_000_000,
    multiplierUp: 1.05,
    multiplierDown: 0.95,
  },
};

/**
 * A symbol the table does not list (the synthetic market prices any symbol, from 100 USD): tick
 * 0.01 and step 0.001 with no price bounds, so that such symbols stay tradable on paper. Live, an
 * unlisted symbol stops an `aster` start-up instead.
 */
const GENERIC: Row = {
  tickSize: 0.01,
  minPrice: 0,
  maxPrice: 0,
  stepSize: 0.001,
  minQty: 0.001,
  maxQty: 1_000_000,
  marketStepSize: 0.001,
  marketMinQty: 0.001,
  marketMaxQty: 100_000,
  multiplierUp: 1.05,
  multiplierDown: 0.95,
};

/** The symbols the table lists, with their real-exchange-like filters. */
export const PAPER_LISTED_SYMBOLS = Object.keys(ROWS);

/** Rules of `symbol` on the paper exchange (a listed one's, else the generic rule), with its maintenance brackets (bracket-table.ts). */
export function paperSymbolRules(symbol: string): SymbolRules {
  return {
    symbol,
    status: 'TRADING',
    minNotional: 5,
    multiplierDecimal: 4,
    ...(ROWS[symbol] ?? GENERIC),
    brackets: paperBrackets(symbol),
  };
}
