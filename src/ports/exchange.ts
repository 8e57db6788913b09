// The exchange as the domain sees it: numbers (converted once at the adapter's edge), signed
// position quantities, client order ids on every order. Adapters: paper (in-process) and Aster
// (REST). Failures are ExchangeError with a kind the callers (retry, breaker, limiter) act on.
import type { BracketTable } from '../domain/portfolio/margin.ts';
import type { SymbolRules } from '../domain/market/symbol-rules.ts';

export {
  ExchangeError,
  type ExchangeErrorKind,
  isExchangeError,
  refusalCode,
} from './exchange-error.ts';

export type Side = 'BUY' | 'SELL';
type OrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED';

/**
 * The margin asset's wallet. No equity here: on Aster the balance answer's unrealised P&L
 * (`crossUnPnl`) covers cross-margin positions only, so the account's equity is the wallet plus
 * every position's unrealised P&L, cross and isolated: accountEquityUsd(balance, positions).
 */
export interface ExchangeBalance {
  asset: string;
  /** Wallet balance: deposits plus realised P&L minus fees (the margin of isolated positions included). */
  walletUsd: number;
  availableUsd: number;
}

export interface ExchangePosition {
  symbol: string;
  /** Signed: positive long, negative short. */
  quantity: number;
  entryPrice: number;
  markPrice: number;
  unrealizedPnlUsd: number;
}

export interface ExchangeTrade {
  /** The exchange's trade id. */
  id: string;
  /** The exchange's order id (reconciliation matches it against the orders we sent). */
  orderId: string;
  symbol: string;
  side: Side;
  quantity: number;
  price: number;
  /**
   * Commission charged to the margin asset, in USD; negative is a rebate (maker rebates). 0 when
   * the commission was paid in another asset: see `foreignFee`.
   */
  feeUsd: number;
  /**
   * A commission paid in an asset other than the margin asset (BNB, ASTER fee discounts), as the
   * exchange reported it. Not converted to USD: it leaves that asset's balance, not the margin
   * wallet the worker's cash mirrors, so booking it against cash would open a reconciliation gap.
   */
  foreignFee?: { asset: string; amount: number };
  realizedPnlUsd: number;
  timeMs: number;
}

/**
 * MARKET and LIMIT as usual; STOP_MARKET rests until the mark price reaches `stopPrice` (SELL: mark
 * ≤ stop, BUY: mark ≥ stop; Aster API "New Order", `workingType=MARK_PRICE`), then executes at market.
 */
export type OrderType = 'MARKET' | 'LIMIT' | 'STOP_MARKET';

export interface PlaceOrderRequest {
  /** Ours, unique per order: a retry after an unknown outcome looks the order up by it. */
  clientOrderId: string;
  symbol: string;
  side: Side;
  type: OrderType;
  /** Ignored (0 by convention) with `closePosition`. */
  quantity: number;
  /** Required for LIMIT. */
  price?: number;
  /** Required for STOP_MARKET: the mark price that triggers it. */
  stopPrice?: number;
  reduceOnly?: boolean;
  /** STOP_MARKET only: when triggered, close the whole position on that side (Aster's Close-All). */
  closePosition?: boolean;
}

export interface ExchangeOrder {
  orderId: string;
  clientOrderId: string;
  symbol: string;
  side: Side;
  type: OrderType;
  status: OrderStatus;
  quantity: number;
  executedQty: number;
  /** Average fill price; 0 when nothing filled. */
  avgPrice: number;
  /** Limit price; 0 for market orders. */
  price: number;
  timeMs: number;
  /** STOP_MARKET: the trigger (mark) price. */
  stopPrice?: number;
  reduceOnly?: boolean;
  closePosition?: boolean;
}

/** An order that can only cut a position (reduce-only or Close-All): the kill switch keeps these. */
export const cannotAddExposure = (
  o: Pick<ExchangeOrder, 'reduceOnly' | 'closePosition'>,
): boolean => o.reduceOnly === true || o.closePosition === true;

/**
 * One row of the account's income history (Aster "Get Income History": every change of the margin
 * wallet with its cause): positive credited, negative debited, in the margin asset (USD).
 */
export interface IncomeRow {
  /** The exchange's transaction id; unique within one income type ("tranId is unique in the same incomeType"). */
  id: string;
  /** The exchange's incomeType: TRANSFER, WELCOME_BONUS, REALIZED_PNL, FUNDING_FEE, COMMISSION, INSURANCE_CLEAR, MARKET_MERCHANT_RETURN_REWARD, or one the docs do not list yet. */
  type: string;
  /** '' when the row belongs to no symbol (a transfer). */
  symbol: string;
  amountUsd: number;
  timeMs: number;
}

/**
 * An order the exchange placed on the account itself (Aster "User's Force Orders"): a liquidation
 * (client order id `autoclose-…`) or an auto-deleverage (`adl_autoclose`). Its trades are the
 * exchange's own action, not a stranger's.
 */
export interface ForcedOrder {
  orderId: string;
  symbol: string;
  kind: 'liquidation' | 'adl';
  side: Side;
  /** Executed quantity. */
  quantity: number;
  timeMs: number;
}

/** One open position's margin data, as the exchange reports it. */
interface MarginPositionInfo {
  symbol: string;
  /** Signed: positive long, negative short. */
  quantity: number;
  entryPrice: number;
  markPrice: number;
  /** The price at which the exchange liquidates it; 0 when it has none (Aster shows "0"). */
  liquidationPrice: number;
  leverage: number;
  /** Isolated margin only: the position's own wallet (isolatedMargin − unRealizedProfit, USD). */
  isolatedWalletUsd?: number;
}

/**
 * The account's margin in the margin asset (USD), as Aster's Account Information v3 reports it
 * (`totalWalletBalance`, `totalMarginBalance`, `totalMaintMargin`, `availableBalance`), with every
 * open position's liquidation price and leverage (Position Information v3) and the initial leverage
 * of every symbol the exchange reports (flat ones too).
 */
export interface MarginAccount {
  walletUsd: number;
  /** Wallet plus unrealised P&L. */
  marginBalanceUsd: number;
  maintenanceMarginUsd: number;
  /** What a new order's initial margin must fit. */
  availableUsd: number;
  positions: MarginPositionInfo[];
  /** Initial leverage by symbol. */
  leverage: Record<string, number>;
  /** The symbols in isolated margin (positionRisk marginType), flat ones too; absent: all cross. */
  isolated?: Record<string, boolean>;
  /** When the exchange produced these figures (its clock, epoch ms). */
  timeMs: number;
}

/** Maintenance margin / margin balance: 1 or more means liquidation (Infinity for a margin balance of 0 or less with margin due, 0 with none due). */
export const marginRatio = (
  m: Pick<MarginAccount, 'maintenanceMarginUsd' | 'marginBalanceUsd'>,
): number =>
  m.maintenanceMarginUsd <= 0
    ? 0
    : m.marginBalanceUsd > 0
      ? m.maintenanceMarginUsd / m.marginBalanceUsd
      : Infinity;

export interface MarkPrice {
  symbol: string;
  markPrice: number;
  timeMs: number;
}

export interface Candle {
  openTimeMs: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  closeTimeMs: number;
}

export interface Exchange {
  /** 'paper' or 'aster': the `exchange` label of the exchange metrics. */
  readonly name: string;
  /**
   * The exchange's clock as this process estimates it, epoch ms (Aster: the local clock plus the
   * offset measured against GET time). Every time window sent to the exchange (trades since,
   * income since) and every comparison with the exchange's timestamps uses this clock, so a local
   * clock a few seconds off neither hides fills nor flags fresh trades.
   */
  serverNowMs(): number;
  balance(): Promise<ExchangeBalance>;
  /** Open positions only (non-zero quantity). */
  positions(): Promise<ExchangePosition[]>;
  /** Trades of one symbol, oldest first, from `sinceMs` (the exchange's clock) when given. */
  userTrades(symbol: string, sinceMs?: number, limit?: number): Promise<ExchangeTrade[]>;
  openOrders(symbol?: string): Promise<ExchangeOrder[]>;
  placeOrder(order: PlaceOrderRequest): Promise<ExchangeOrder>;
  /** The order with this client order id, or undefined when the exchange never saw it. */
  getOrder(symbol: string, clientOrderId: string): Promise<ExchangeOrder | undefined>;
  cancelOrder(symbol: string, clientOrderId: string): Promise<ExchangeOrder>;
  markPrice(symbol: string): Promise<MarkPrice>;
  /** Every listed symbol's mark price in one call (Aster: GET premiumIndex without a symbol). */
  markPrices(): Promise<MarkPrice[]>;
  /** The account's margin figures and every open position's liquidation price and leverage. */
  marginAccount(): Promise<MarginAccount>;
  /** The newest `limit` one-minute candles, oldest first. */
  candles(symbol: string, limit: number): Promise<Candle[]>;
  /**
   * The margin asset's income rows of every type from `sinceMs` (inclusive, the exchange's clock),
   * oldest first, at most `limit` (Aster: 1,000). Rows in other assets are left out: they do not
   * move the margin wallet.
   */
  income(sinceMs: number, limit?: number): Promise<IncomeRow[]>;
  /** Liquidation and ADL orders from `sinceMs` (inclusive, the exchange's clock), at most 100 (Aster's maximum). */
  forcedOrders(sinceMs: number): Promise<ForcedOrder[]>;
  /** The trading rules (status, PRICE_FILTER, LOT_SIZE, MARKET_LOT_SIZE, MIN_NOTIONAL, PERCENT_PRICE) of every symbol the exchange lists, by symbol. */
  symbolRules(): Promise<Map<string, SymbolRules>>;
  /** Maintenance brackets by symbol, lowest notional first (Aster GET leverageBracket); optional: without it, the default table (portfolio/margin.ts). */
  leverageBrackets?(): Promise<Map<string, BracketTable>>;
}

/** Wallet plus the unrealised P&L of every open position (cross and isolated): what reconciliation compares with the internal NAV. */
export const accountEquityUsd = (
  balance: Pick<ExchangeBalance, 'walletUsd'>,
  open: readonly Pick<ExchangePosition, 'unrealizedPnlUsd'>[],
): number => open.reduce((sum, p) => sum + p.unrealizedPnlUsd, balance.walletUsd);
