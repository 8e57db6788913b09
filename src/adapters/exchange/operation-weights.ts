// Request weight of each exchange operation, as guardExchange (guarded.ts) spends it from the IP budget.

/** GET /fapi/v1/klines weight by `limit` (Binance USDⓈ-M docs, "Kline/Candlestick Data"): [1,100) 1, [100,500) 2, [500,1000] 5, > 1000 10. */
export const klinesWeight = (limit: number) =>
  limit < 100 ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10;

/**
 * Request weight of each operation in Binance USDⓈ-M terms, which Aster follows: balance
 * (GET /fapi/v2/balance) 5, positionRisk 5, userTrades 5, openOrders 1 for one symbol and 40 for
 * all, order POST/GET/DELETE 1, premiumIndex 1 per symbol, klines by limit.
 */
export const OPERATION_WEIGHT = {
  balance: () => 5,
  positions: () => 5,
  user_trades: () => 5,
  open_orders: (symbol?: string) => (symbol ? 1 : 40),
  /** GET /fapi/v1/income: weight 30 (v3.md "Get Income History"). */
  income: () => 30,
  /** GET /fapi/v1/forceOrders without a symbol: weight 50 (v3.md "User's Force Orders"). */
  forced_orders: () => 50,
  new_order: () => 1,
  query_order: () => 1,
  cancel_order: () => 1,
  mark_price: () => 1,
  /**
   * GET premiumIndex without a symbol (every symbol's mark): weight 1 as /tmp/aster/v3.md "Mark
   * Price" states for the endpoint whatever the parameters (Binance charges 10 without a symbol;
   * we read Aster's docs as written).
   */
  mark_prices: () => 1,
  /** Account Information v3 (weight 5) plus Position Information v3 (weight 5), v3.md. */
  margin_account: () => 10,
  /** GET exchangeInfo: weight 1 (/tmp/aster/v3.md "Exchange Information"). */
  exchange_info: () => 1,
  /** GET leverageBracket: weight 1 (/tmp/aster/v3.md "Notional and Leverage Brackets"). */
  leverage_brackets: () => 1,
  klines: klinesWeight,
} as const;

/** An operation's name as metrics and budgets know it. */
export type Operation = keyof typeof OPERATION_WEIGHT;
