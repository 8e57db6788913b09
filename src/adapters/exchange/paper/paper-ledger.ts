// The paper exchange's books: its account (kept apart from the worker's portfolio, so that
// reconciliation compares two real books), its orders (by client order id, the open ones apart),
// its trades, and how an order fills: a taker fill at the mark plus slippage (a base spread and
// impact growing with notional), a maker fill at the limit, a liquidation (every position closed
// at its mark by an `autoclose-` MARKET order, as Aster names them, paying the liquidation fee).
import { snapToScale } from '../../../domain/market/decimal-grid.ts';
import { gridsOf, type SymbolRules } from '../../../domain/market/symbol-rules.ts';
import { type MarginFigures, marginFigures } from '../../../domain/portfolio/margin.ts';
import {
  applyFill,
  createPortfolio,
  markPrice,
  type Portfolio,
} from '../../../domain/portfolio/portfolio.ts';
import type { Candle, ExchangeOrder, ExchangeTrade } from '../../../ports/exchange.ts';

/** Where prices come from: the synthetic market, or any feed with the same shape. */
export interface MarketFeed {
  readonly symbols: readonly string[];
  price(symbol: string): number | undefined;
  candles(symbol: string, limit: number): Candle[];
}

/** What trading costs on the paper exchange; each has a default. */
export interface PaperCosts {
  /** Taker fee as a fraction of notional (Aster's default taker fee 0.035 %). */
  takerFee?: number;
  /** Maker fee for resting limit orders. */
  makerFee?: number;
  /** Half-spread paid by every market order, in basis points. */
  slippageBps?: number;
  /** Extra slippage per 100,000 USD of notional, in basis points. */
  impactBpsPer100k?: number;
  /**
   * Fee of a liquidation, a fraction of the liquidated notional. Default 0.005: Aster's docs do not
   * publish one; Binance USDⓈ-M charges a liquidation clearance fee of this order (0.5 % here).
   */
  liquidationFee?: number;
}

/** What the books need to know. */
export interface PaperLedgerOptions {
  market: MarketFeed;
  nowMs: () => number;
  /** The account to start from. */
  account: Portfolio | number;
  /** Initial leverage of every symbol. */
  leverage: number;
  costs: PaperCosts;
  rulesOf: (symbol: string) => SymbolRules;
}

export type PaperLedger = ReturnType<typeof createPaperLedger>;

export function createPaperLedger(o: PaperLedgerOptions) {
  const takerFee = o.costs.takerFee ?? 0.00035;
  const slippageBps = o.costs.slippageBps ?? 1;
  const impactBps = o.costs.impactBpsPer100k ?? 0.5;
  const liquidationFee = o.costs.liquidationFee ?? 0.005;
  const makerFee = o.costs.makerFee ?? 0.0001;
  let account: Portfolio = typeof o.account === 'number' ? createPortfolio(o.account) : o.account;
  const orders = new Map<string, ExchangeOrder>(); // by client order id
  /** Orders still open (NEW), so bars and listings never walk the whole history. */
  const resting = new Set<ExchangeOrder>();
  const trades: ExchangeTrade[] = [];
  let liquidations = 0;
  let nextOrderId = 1;
  let nextTradeId = 1;

  /** The account with every position marked at the feed's current price. */
  const marked = (): Portfolio => {
    let p = account;
    for (const symbol of Object.keys(p.positions))
      p = markPrice(p, symbol, o.market.price(symbol) ?? p.positions[symbol]!.markPrice);
    return p;
  };

  /** The account's margin at the feed's marks. */
  const margin = (p: Portfolio = marked()): MarginFigures =>
    marginFigures(
      p.cashUsd,
      Object.values(p.positions).map((x) => ({
        symbol: x.symbol,
        quantity: x.quantity,
        entryPrice: x.avgEntryPrice,
        markPrice: x.markPrice,
        leverage: o.leverage,
      })),
      (symbol) => o.rulesOf(symbol).brackets,
    );

  /** An exchange's position is a decimal on the symbol's grid; float sums of fills are not (0.1 + 0.2). */
  function snapPosition(symbol: string) {
    const pos = account.positions[symbol];
    const exact = pos && snapToScale(pos.quantity, gridsOf(o.rulesOf(symbol)).qty.scale);
    if (pos && exact !== pos.quantity)
      account = {
        ...account,
        positions: { ...account.positions, [symbol]: { ...pos, quantity: exact! } },
      };
  }

  function fill(order: ExchangeOrder, price: number, feeRate: number): ExchangeTrade {
    const before = account.cashUsd;
    const feeUsd = order.quantity * price * feeRate;
    const { symbol, side, quantity } = order;
    account = applyFill(account, { symbol, side, quantity, price, feeUsd });
    snapPosition(symbol);
    const trade: ExchangeTrade = {
      id: String(nextTradeId++),
      orderId: order.orderId,
      symbol,
      side,
      quantity,
      price,
      feeUsd,
      realizedPnlUsd: account.cashUsd - before + feeUsd,
      timeMs: o.nowMs(),
    };
    trades.push(trade);
    Object.assign(order, { status: 'FILLED', executedQty: order.quantity, avgPrice: price });
    return trade;
  }

  /** A taker fill at the mark plus slippage (a base spread and impact growing with notional). */
  function fillAtMarket(order: ExchangeOrder, price: number): ExchangeTrade {
    const slip = (slippageBps + (impactBps * order.quantity * price) / 100_000) / 10_000;
    return fill(order, price * (1 + (order.side === 'BUY' ? slip : -slip)), takerFee);
  }

  /** A new order (status NEW, nothing executed) with the next order id, recorded by client id; fields in Aster's order. */
  function record(order: Omit<ExchangeOrder, 'orderId' | 'status' | 'executedQty' | 'avgPrice'>) {
    const { clientOrderId, symbol, side, type, quantity, price, timeMs, ...flags } = order;
    const full: ExchangeOrder = {
      orderId: String(nextOrderId++),
      clientOrderId,
      symbol,
      side,
      type,
      status: 'NEW',
      quantity,
      executedQty: 0,
      avgPrice: 0,
      price,
      timeMs,
      ...flags,
    };
    orders.set(full.clientOrderId, full);
    return full;
  }

  /** A liquidation: every position closed at its mark by an `autoclose-` MARKET order, the liquidation fee charged. */
  function liquidate(): { trades: ExchangeTrade[]; orders: ExchangeOrder[] } {
    const out = { trades: [] as ExchangeTrade[], orders: [] as ExchangeOrder[] };
    const n = liquidations++;
    for (const pos of Object.values(marked().positions)) {
      const order = record({
        clientOrderId: `autoclose-${o.nowMs()}-${n}-${pos.symbol}`.slice(0, 36),
        symbol: pos.symbol,
        side: pos.quantity > 0 ? 'SELL' : 'BUY',
        type: 'MARKET',
        quantity: Math.abs(pos.quantity),
        price: 0,
        timeMs: o.nowMs(),
        reduceOnly: true,
      });
      out.trades.push(fill(order, pos.markPrice, liquidationFee));
      out.orders.push(order);
    }
    return out;
  }

  return {
    orders,
    resting,
    trades,
    makerFee,
    account: () => account,
    marked,
    margin,
    fill,
    fillAtMarket,
    record,
    liquidate,
  };
}
