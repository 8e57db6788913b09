// The paper exchange (default): fills in process against a market feed, with a taker fee, a
// slippage model (a base spread plus impact growing with notional) and Aster-like refusals
// (unknown symbol, duplicate client order id, reduce-only that would add, insufficient margin, and
// the symbol's rules from ./symbol-table.ts with Aster's codes from ./rule-errors.ts).
// Market orders fill at once; limit orders rest until a bar trades through their price, and
// STOP_MARKET orders until the mark reaches their stop price (both checked in `onBar`).
// Its account is its own, kept apart from the worker's internal portfolio, so that reconciliation
// compares two real books.
// Margin (src/domain/portfolio/margin.ts): cross margin, one-way, every symbol at `leverage`; an
// order that opens exposure needs its initial margin (notional / leverage) within the available
// balance (-2019); maintenance margin by notional bracket; when the margin balance no longer covers
// the maintenance margin (checked on every bar, at the marks) every position is closed at the mark
// by a MARKET order whose client order id starts `autoclose-` (as Aster names liquidation orders),
// paying the liquidation fee on its notional.
import { snapToScale } from '../../../domain/market/decimal-grid.ts';
import {
  checkMarketOrder,
  checkRules,
  gridsOf,
  type SymbolRules,
} from '../../../domain/market/symbol-rules.ts';
import {
  isLiquidatable,
  type MarginFigures,
  marginFigures,
} from '../../../domain/portfolio/margin.ts';
import {
  applyFill,
  createPortfolio,
  markPrice,
  type Portfolio,
} from '../../../domain/portfolio/portfolio.ts';
import {
  type Candle,
  type Exchange,
  ExchangeError,
  type ExchangeOrder,
  type ExchangePosition,
  type ExchangeTrade,
  type MarginAccount,
  type PlaceOrderRequest,
} from '../../../ports/exchange.ts';
import { asterRefusal } from './rule-errors.ts';
import { paperSymbolRules } from './symbol-table.ts';

/** Where prices come from: the synthetic market, or any feed with the same shape. */
export interface MarketFeed {
  readonly symbols: readonly string[];
  price(symbol: string): number | undefined;
  candles(symbol: string, limit: number): Candle[];
}

interface PaperExchangeOptions {
  market: MarketFeed;
  initialBalanceUsd: number;
  nowMs: () => number;
  /** Taker fee as a fraction of notional (Aster's default taker fee 0.035 %). */
  takerFee?: number;
  /** Maker fee for resting limit orders. */
  makerFee?: number;
  /** Half-spread paid by every market order, in basis points. */
  slippageBps?: number;
  /** Extra slippage per 100,000 USD of notional, in basis points. */
  impactBpsPer100k?: number;
  /** Initial leverage of every symbol: an opening order needs notional / leverage of available balance. Default 20. */
  leverage?: number;
  /**
   * Fee of a liquidation, a fraction of the liquidated notional. Default 0.005: Aster's docs do not
   * publish one; Binance USDⓈ-M charges a liquidation clearance fee of this order (0.5 % here).
   */
  liquidationFee?: number;
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

const rejected = (code: number, msg: string, operation: string) =>
  new ExchangeError('rejected', `${msg} (${code})`, { status: 400, code, operation });

export function createPaperExchange(o: PaperExchangeOptions): PaperExchange {
  const takerFee = o.takerFee ?? 0.00035;
  const makerFee = o.makerFee ?? 0.0001;
  const slippageBps = o.slippageBps ?? 1;
  const impactBps = o.impactBpsPer100k ?? 0.5;
  const leverage = o.leverage ?? 20;
  const liquidationFee = o.liquidationFee ?? 0.005;
  let liquidations = 0;
  let liquidated: ExchangeOrder[] = [];
  let account: Portfolio = o.account ?? createPortfolio(o.initialBalanceUsd);
  const orders = new Map<string, ExchangeOrder>(); // by client order id
  /** Orders still open (NEW), so bars and listings never walk the whole history. */
  const resting = new Set<ExchangeOrder>();
  const trades: ExchangeTrade[] = [];
  let nextOrderId = 1;
  let nextTradeId = 1;
  const rulesOf = o.rulesOf ?? paperSymbolRules;

  const mark = (symbol: string, operation: string): number => {
    const p = o.market.price(symbol);
    if (p === undefined) throw rejected(-1121, 'Invalid symbol.', operation);
    return p;
  };
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
        leverage,
      })),
    );

  /** A liquidation: every position closed at its mark by an `autoclose-` MARKET order, the liquidation fee charged. */
  function liquidate(): ExchangeTrade[] {
    const out: ExchangeTrade[] = [];
    const n = liquidations++;
    for (const pos of Object.values(marked().positions)) {
      const order: ExchangeOrder = {
        orderId: String(nextOrderId++),
        clientOrderId: `autoclose-${o.nowMs()}-${n}-${pos.symbol}`.slice(0, 36),
        symbol: pos.symbol,
        side: pos.quantity > 0 ? 'SELL' : 'BUY',
        type: 'MARKET',
        status: 'NEW',
        quantity: Math.abs(pos.quantity),
        executedQty: 0,
        avgPrice: 0,
        price: 0,
        timeMs: o.nowMs(),
        reduceOnly: true,
      };
      orders.set(order.clientOrderId, order);
      out.push(fill(order, pos.markPrice, liquidationFee));
      liquidated.push(order);
    }
    return out;
  }

  function fill(order: ExchangeOrder, price: number, feeRate: number): ExchangeTrade {
    const before = account.cashUsd;
    const feeUsd = order.quantity * price * feeRate;
    account = applyFill(account, {
      symbol: order.symbol,
      side: order.side,
      quantity: order.quantity,
      price,
      feeUsd,
    });
    // An exchange's position is a decimal on the symbol's grid; float sums of fills are not (0.1 + 0.2).
    const pos = account.positions[order.symbol];
    const exact = pos && snapToScale(pos.quantity, gridsOf(rulesOf(order.symbol)).qty.scale);
    if (pos && exact !== pos.quantity)
      account = {
        ...account,
        positions: { ...account.positions, [order.symbol]: { ...pos, quantity: exact! } },
      };
    const trade: ExchangeTrade = {
      id: String(nextTradeId++),
      orderId: order.orderId,
      symbol: order.symbol,
      side: order.side,
      quantity: order.quantity,
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

  /** STOP_MARKET as Aster takes it: a positive stopPrice that would not trigger at once (-2021). */
  function placeStop(req: PlaceOrderRequest, price: number): ExchangeOrder {
    const op = 'place_order';
    const stop = req.stopPrice;
    if (!(stop! > 0 && Number.isFinite(stop)))
      throw rejected(-1102, 'Mandatory parameter stopPrice was not sent or was invalid.', op);
    if (req.closePosition && (req.reduceOnly || req.quantity > 0))
      throw rejected(-1106, 'Parameter closePosition sent when not required.', op);
    if (!req.closePosition && !(req.quantity > 0 && Number.isFinite(req.quantity)))
      throw rejected(-1013, 'Invalid quantity.', op);
    if (!req.clientOrderId || req.clientOrderId.length > 36)
      throw rejected(-1102, 'Invalid newClientOrderId.', op);
    if (orders.has(req.clientOrderId)) throw rejected(-4116, 'ClientOrderId is duplicated.', op);
    if (req.side === 'SELL' ? price <= stop! : price >= stop!)
      throw rejected(-2021, 'Order would immediately trigger.', op);
    const order: ExchangeOrder = {
      orderId: String(nextOrderId++),
      clientOrderId: req.clientOrderId,
      symbol: req.symbol,
      side: req.side,
      type: 'STOP_MARKET',
      status: 'NEW',
      quantity: req.closePosition ? 0 : req.quantity,
      executedQty: 0,
      avgPrice: 0,
      price: 0,
      timeMs: o.nowMs(),
      stopPrice: stop,
      reduceOnly: req.closePosition ? false : req.reduceOnly === true,
      closePosition: req.closePosition === true,
    };
    orders.set(order.clientOrderId, order);
    resting.add(order);
    return { ...order };
  }

  /**
   * A resting stop whose trigger the mark has reached executes at market for what it may close:
   * the whole position on its side (Close-All) or, reduce-only, at most the position. With nothing
   * to close it expires.
   */
  function triggerStop(order: ExchangeOrder, price: number): ExchangeTrade | undefined {
    const held = account.positions[order.symbol]?.quantity ?? 0;
    const closable = order.side === 'SELL' ? Math.max(held, 0) : Math.max(-held, 0);
    const quantity = order.closePosition
      ? closable
      : order.reduceOnly
        ? Math.min(order.quantity, closable)
        : order.quantity;
    if (!(quantity > 0)) {
      order.status = 'EXPIRED';
      return undefined;
    }
    order.quantity = quantity;
    return fillAtMarket(order, price);
  }

  return {
    name: 'paper',
    serverNowMs: () => o.nowMs(),
    async balance() {
      const m = margin();
      return { asset: 'USDT', walletUsd: m.walletUsd, availableUsd: m.availableUsd };
    },
    async marginAccount(): Promise<MarginAccount> {
      const p = marked();
      const m = margin(p);
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
    },
    async positions() {
      return Object.values(marked().positions).map((pos): ExchangePosition => ({
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
    async placeOrder(req: PlaceOrderRequest) {
      const op = 'place_order';
      const price = mark(req.symbol, op);
      if (req.type === 'STOP_MARKET') return placeStop(req, price);
      if (!(req.quantity > 0 && Number.isFinite(req.quantity)))
        throw rejected(-1013, 'Invalid quantity.', op);
      if (!req.clientOrderId || req.clientOrderId.length > 36)
        throw rejected(-1102, 'Invalid newClientOrderId.', op);
      if (orders.has(req.clientOrderId)) throw rejected(-4116, 'ClientOrderId is duplicated.', op);
      if (req.type === 'LIMIT' && !(req.price! > 0 && Number.isFinite(req.price)))
        throw rejected(-1102, 'Mandatory parameter price was not sent or was invalid.', op);
      const r = rulesOf(req.symbol);
      const broken =
        req.type === 'MARKET'
          ? checkMarketOrder(r, req.side, req.quantity, price, req.reduceOnly === true)
          : checkRules(r, {
              side: req.side,
              quantity: req.quantity,
              price: req.price!,
              markPrice: price,
              reduceOnly: req.reduceOnly === true,
            });
      if (broken) throw rejected(...asterRefusal(broken), op);
      const signed = req.side === 'BUY' ? req.quantity : -req.quantity;
      const held = account.positions[req.symbol]?.quantity ?? 0;
      if (
        req.reduceOnly &&
        !(Math.sign(signed) === -Math.sign(held) && Math.abs(signed) <= Math.abs(held) + 1e-12)
      ) {
        throw rejected(-2022, 'ReduceOnly Order is rejected.', op);
      }
      // Margin: what the order opens (all of it on the same side, the new side's part of a flip)
      // needs notional / leverage of the available balance, taken at the mark.
      const opening =
        held * signed >= 0
          ? Math.abs(signed)
          : (held + signed) * held < 0
            ? Math.abs(held + signed)
            : 0;
      if (opening > 0 && (opening * price) / leverage > margin().availableUsd)
        throw rejected(-2019, 'Margin is insufficient.', op);

      const order: ExchangeOrder = {
        orderId: String(nextOrderId++),
        clientOrderId: req.clientOrderId,
        symbol: req.symbol,
        side: req.side,
        type: req.type,
        status: 'NEW',
        quantity: req.quantity,
        executedQty: 0,
        avgPrice: 0,
        price: req.type === 'LIMIT' ? req.price! : 0,
        timeMs: o.nowMs(),
      };
      orders.set(order.clientOrderId, order);
      if (req.type === 'MARKET') fillAtMarket(order, price);
      else resting.add(order);
      return { ...order };
    },
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
    onBar() {
      const filled: ExchangeTrade[] = [];
      for (const order of resting) {
        if (order.status !== 'NEW') {
          resting.delete(order);
          continue;
        }
        if (order.type === 'STOP_MARKET') {
          // Triggered by the mark (the feed's current price), as with workingType=MARK_PRICE.
          const price = o.market.price(order.symbol);
          if (
            price === undefined ||
            (order.side === 'SELL' ? price > order.stopPrice! : price < order.stopPrice!)
          )
            continue;
          const trade = triggerStop(order, price);
          if (trade) filled.push(trade);
          resting.delete(order);
          continue;
        }
        const bar = o.market.candles(order.symbol, 1)[0];
        if (!bar) continue;
        const crosses = order.side === 'BUY' ? bar.low <= order.price : bar.high >= order.price;
        if (crosses) {
          filled.push(fill(order, order.price, makerFee));
          resting.delete(order);
        }
      }
      if (Object.keys(account.positions).length > 0 && isLiquidatable(margin()))
        filled.push(...liquidate());
      return filled;
    },
    allTrades: () => trades,
    takeLiquidations() {
      const out = liquidated.map((x) => ({ ...x }));
      liquidated = [];
      return out;
    },
  };
}
