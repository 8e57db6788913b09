// The paper exchange (default): fills in process against a market feed, with a taker fee, a
// slippage model (a base spread plus impact growing with notional) and Aster-like refusals
// (unknown symbol, duplicate client order id, reduce-only that would add, insufficient margin, and
// the symbol's rules from ./symbol-table.ts with Aster's codes from ./rule-errors.ts).
// Market orders fill at once; limit orders rest until a bar trades through their price, and
// STOP_MARKET orders until the mark reaches their stop price (both checked in `onBar`).
// Its account is its own, kept apart from the worker's internal portfolio, so that reconciliation
// compares two real books.
// The books and fills: ./paper-ledger.ts; the refusals: ./order-checks.ts.
// Margin (src/domain/portfolio/margin.ts): cross margin, one-way, every symbol at `leverage`; an
// order that opens exposure needs its initial margin (notional / leverage) within the available
// balance (-2019); maintenance margin by notional bracket; when the margin balance no longer covers
// the maintenance margin (checked on every bar, at the marks) every position is closed at the mark
// by a MARKET order whose client order id starts `autoclose-` (as Aster names liquidation orders),
// paying the liquidation fee on its notional.
import type { SymbolRules } from '../../../domain/market/symbol-rules.ts';
import { isLiquidatable } from '../../../domain/portfolio/margin.ts';
import type { Portfolio } from '../../../domain/portfolio/portfolio.ts';
import type {
  Exchange,
  ExchangeOrder,
  ExchangePosition,
  ExchangeTrade,
  MarginAccount,
  PlaceOrderRequest,
} from '../../../ports/exchange.ts';
import { tradeOnBar } from './bar-fills.ts';
import { checkOrder, checkStop, rejected } from './order-checks.ts';
import { createPaperLedger, type MarketFeed, type PaperCosts } from './paper-ledger.ts';
import { paperSymbolRules } from './symbol-table.ts';

export type { MarketFeed, PaperCosts };

interface PaperExchangeOptions {
  market: MarketFeed;
  initialBalanceUsd: number;
  nowMs: () => number;
  /** Fees and slippage; Aster's default fees and a small spread when omitted. */
  costs?: PaperCosts;
  /** Initial leverage of every symbol: an opening order needs notional / leverage of available balance. Default 20. */
  leverage?: number;
  /** The account to continue from (a restart); a flat account of initialBalanceUsd when omitted. */
  account?: Portfolio;
  /** The rules of a market symbol; default the built-in table (./symbol-table.ts). */
  rulesOf?: (symbol: string) => SymbolRules;
}

export interface PaperExchange extends Exchange {
  /**
   * Fills resting limit orders that the newest bars traded through, triggers stops, then
   * liquidates the account if its margin no longer covers the maintenance margin; returns the new
   * trades (a liquidation's orders have client order ids starting `autoclose-`).
   */
  onBar(): ExchangeTrade[];
  /** Every trade so far (all symbols), oldest first. */
  allTrades(): readonly ExchangeTrade[];
  /** The liquidation (`autoclose-`) orders executed since the last call, for the worker to book. */
  takeLiquidations(): ExchangeOrder[];
}

export function createPaperExchange(o: PaperExchangeOptions): PaperExchange {
  const leverage = o.leverage ?? 20;
  const rulesOf = o.rulesOf ?? paperSymbolRules;
  const ledger = createPaperLedger({
    market: o.market,
    nowMs: o.nowMs,
    account: o.account ?? o.initialBalanceUsd,
    leverage,
    costs: o.costs ?? {},
    rulesOf,
  });
  const { orders, resting, trades } = ledger;
  let liquidated: ExchangeOrder[] = [];

  const mark = (symbol: string, operation: string): number => {
    const p = o.market.price(symbol);
    if (p === undefined) throw rejected(-1121, 'Invalid symbol.', operation);
    return p;
  };
  const known = (id: string) => orders.has(id);

  function placeStop(req: PlaceOrderRequest, price: number): ExchangeOrder {
    checkStop(req, price, known);
    const order = ledger.record({
      clientOrderId: req.clientOrderId,
      symbol: req.symbol,
      side: req.side,
      type: 'STOP_MARKET',
      quantity: req.closePosition ? 0 : req.quantity,
      price: 0,
      timeMs: o.nowMs(),
      stopPrice: req.stopPrice,
      reduceOnly: req.closePosition ? false : req.reduceOnly === true,
      closePosition: req.closePosition === true,
    });
    resting.add(order);
    return { ...order };
  }

  async function placeOrder(req: PlaceOrderRequest) {
    const price = mark(req.symbol, 'place_order');
    if (req.type === 'STOP_MARKET') return placeStop(req, price);
    checkOrder(req, {
      markPrice: price,
      rules: rulesOf(req.symbol),
      held: ledger.account().positions[req.symbol]?.quantity ?? 0,
      availableUsd: () => ledger.margin().availableUsd,
      leverage,
      known,
    });
    const order = ledger.record({
      clientOrderId: req.clientOrderId,
      symbol: req.symbol,
      side: req.side,
      type: req.type,
      quantity: req.quantity,
      price: req.type === 'LIMIT' ? req.price! : 0,
      timeMs: o.nowMs(),
    });
    if (req.type === 'MARKET') ledger.fillAtMarket(order, price);
    else resting.add(order);
    return { ...order };
  }

  function onBar() {
    const filled: ExchangeTrade[] = [];
    for (const order of resting) {
      const { done, trade } =
        order.status !== 'NEW'
          ? { done: true, trade: undefined }
          : tradeOnBar(ledger, o.market, order);
      if (trade) filled.push(trade);
      if (done) resting.delete(order);
    }
    if (Object.keys(ledger.account().positions).length > 0 && isLiquidatable(ledger.margin())) {
      const l = ledger.liquidate();
      filled.push(...l.trades);
      liquidated.push(...l.orders);
    }
    return filled;
  }

  async function marginAccount(): Promise<MarginAccount> {
    const p = ledger.marked();
    const m = ledger.margin(p);
    return {
      walletUsd: m.walletUsd,
      marginBalanceUsd: m.marginBalanceUsd,
      maintenanceMarginUsd: m.maintenanceMarginUsd,
      availableUsd: m.availableUsd,
      positions: Object.values(p.positions).map((x) => ({
        symbol: x.symbol,
        quantity: x.quantity,
        entryPrice: x.avgEntryPrice,
        markPrice: x.markPrice,
        liquidationPrice: m.liquidationPrices[x.symbol] ?? 0,
        leverage,
      })),
      leverage: Object.fromEntries(o.market.symbols.map((s) => [s, leverage])),
      timeMs: o.nowMs(),
    };
  }

  return {
    name: 'paper',
    serverNowMs: () => o.nowMs(),
    async balance() {
      const m = ledger.margin();
      return { asset: 'USDT', walletUsd: m.walletUsd, availableUsd: m.availableUsd };
    },
    marginAccount,
    async positions() {
      return Object.values(ledger.marked().positions).map((pos): ExchangePosition => ({
        symbol: pos.symbol,
        quantity: pos.quantity,
        entryPrice: pos.avgEntryPrice,
        markPrice: pos.markPrice,
        unrealizedPnlUsd: pos.quantity * (pos.markPrice - pos.avgEntryPrice),
      }));
    },
    // As Aster/Binance: from `sinceMs` forward when given, else the newest `limit`; oldest first.
    async userTrades(symbol, sinceMs, limit = 500) {
      const n = Math.max(0, limit);
      const out = trades.filter(
        (t) => t.symbol === symbol && (sinceMs === undefined || t.timeMs >= sinceMs),
      );
      return sinceMs === undefined ? out.slice(Math.max(0, out.length - n)) : out.slice(0, n);
    },
    async openOrders(symbol) {
      return [...resting]
        .filter((x) => symbol === undefined || x.symbol === symbol)
        .map((x) => ({ ...x }));
    },
    placeOrder,
    async getOrder(symbol, clientOrderId) {
      const order = orders.get(clientOrderId);
      return order && order.symbol === symbol ? { ...order } : undefined;
    },
    async cancelOrder(symbol, clientOrderId) {
      const order = orders.get(clientOrderId);
      if (!order || order.symbol !== symbol || order.status !== 'NEW')
        throw rejected(-2011, 'Unknown order sent.', 'cancel_order');
      order.status = 'CANCELED';
      resting.delete(order);
      return { ...order };
    },
    async markPrice(symbol) {
      return { symbol, markPrice: mark(symbol, 'mark_price'), timeMs: o.nowMs() };
    },
    // The paper mark is the market's current price: no index, no premium.
    async markPrices() {
      const t = o.nowMs();
      return o.market.symbols.flatMap((symbol) => {
        const p = o.market.price(symbol);
        return p === undefined ? [] : [{ symbol, markPrice: p, timeMs: t }];
      });
    },
    async candles(symbol, limit) {
      mark(symbol, 'candles');
      return o.market.candles(symbol, limit);
    },
    // The synthetic market has no funding rate: paper positions pay and receive none.
    // The paper market charges no funding and takes no transfers: nothing moves its wallet but fills.
    income: async () => [],
    // The paper account's liquidations are booked where they happen (paper-liquidations.ts).
    forcedOrders: async () => [],
    symbolRules: async () => new Map(o.market.symbols.map((symbol) => [symbol, rulesOf(symbol)])),
    onBar,
    allTrades: () => trades,
    takeLiquidations() {
      const out = liquidated.map((x) => ({ ...x }));
      liquidated = [];
      return out;
    },
  };
}
