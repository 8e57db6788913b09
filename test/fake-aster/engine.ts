// The trading state behind the fake Aster server: one net position per symbol with average entry
// price (shown as LONG/SHORT legs in hedge mode, which refuses orders without a positionSide),
// leverage and margin type per symbol (cross or isolated), orders by id and client id, trades with
// their order ids and commission asset, mark prices, one-minute candles built from the marks. MARKET orders (and LIMIT orders that cross) fill at the mark price; resting LIMIT
// orders fill at their price when a later mark crosses them. No HTTP here: server.ts speaks the wire.

import { type FakeIncome, incomeRows } from './income.ts';
export type Side = 'BUY' | 'SELL';
export type Status = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED';

export interface FakeOrder {
  orderId: number;
  clientOrderId: string;
  symbol: string;
  side: Side;
  type: OrderType;
  status: Status;
  origQty: number;
  executedQty: number;
  avgPrice: number;
  price: number;
  reduceOnly: boolean;
  /** STOP_MARKET: the trigger price, checked against the mark (workingType MARK_PRICE) or, as Aster's default, the last price (here the mark too). */
  stopPrice: number;
  closePosition: boolean;
  workingType: 'MARK_PRICE' | 'CONTRACT_PRICE';
  time: number;
  updateTime: number;
}

/** LIQUIDATION: the exchange's own closing orders (never sent by a client). */
export type OrderType = 'MARKET' | 'LIMIT' | 'STOP_MARKET' | 'LIQUIDATION';

export interface FakeTrade {
  id: number;
  orderId: number;
  symbol: string;
  side: Side;
  qty: number;
  price: number;
  commission: number;
  commissionAsset: string;
  realizedPnl: number;
  maker: boolean;
  time: number;
}

/** Per-symbol account settings (Change Initial Leverage, Change Margin Type). */
export interface SymbolSettings {
  leverage: number;
  marginType: 'cross' | 'isolated';
}

export interface FakeCandle {
  openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  closeTime: number;
}

/** A refusal with the exchange's HTTP status, code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    msg: string,
  ) {
    super(msg);
  }
}

const round = (x: number) => Number(x.toFixed(10));
const MINUTE_MS = 60_000;
/** Leverage of a symbol nobody changed (Binance's default is 20; any default works here). */
export const DEFAULT_LEVERAGE = 10;

export function createEngine(o: {
  symbols: string[];
  balanceUsd: number;
  feeRate: number;
  commissionAsset?: string;
}) {
  const symbols = new Set(o.symbols);
  const positions = new Map<string, { qty: number; entry: number }>();
  const settingsBySymbol = new Map<string, SymbolSettings>();
  const settings = (symbol: string): SymbolSettings =>
    settingsBySymbol.get(symbol) ?? { leverage: DEFAULT_LEVERAGE, marginType: 'cross' };
  /** Commission rate (negative = a rebate) and the asset it is charged in. */
  const fees = { rate: o.feeRate, asset: o.commissionAsset ?? 'USDT' };
  let hedgeMode = false;
  const marks = new Map<string, number>();
  const candles = new Map<string, FakeCandle[]>();
  const orders: FakeOrder[] = [];
  const trades: FakeTrade[] = [];
  let wallet = o.balanceUsd;
  /** Called after every trade (ours, a foreign one, a liquidation): the user-data stream pushes it. */
  const tradeListeners: ((t: FakeTrade, order: FakeOrder) => void)[] = [];
  let nextOrderId = 1000;
  let nextTradeId = 5000;

  const knownSymbol = (symbol: string) => {
    if (!symbols.has(symbol)) throw new ApiError(400, -1121, 'Invalid symbol.');
  };

  function addVolume(symbol: string, qty: number) {
    const last = candles.get(symbol)?.at(-1);
    if (last) last.volume = round(last.volume + qty);
  }

  /** Applies a fill to the position and the wallet; returns the realised P&L. */
  function applyFill(symbol: string, side: Side, qty: number, price: number, fee: number): number {
    const pos = positions.get(symbol) ?? { qty: 0, entry: 0 };
    const delta = side === 'BUY' ? qty : -qty;
    let realized = 0;
    let entry = pos.entry;
    const next = round(pos.qty + delta);
    if (pos.qty === 0 || Math.sign(pos.qty) === Math.sign(delta)) {
      entry = (Math.abs(pos.qty) * pos.entry + qty * price) / Math.abs(next);
    } else {
      realized = Math.min(qty, Math.abs(pos.qty)) * (price - pos.entry) * Math.sign(pos.qty);
      if (next === 0) entry = 0;
      else if (Math.sign(next) !== Math.sign(pos.qty)) entry = price;
    }
    positions.set(symbol, { qty: next, entry });
    wallet = round(wallet + realized - fee);
    addVolume(symbol, qty);
    return round(realized);
  }

  function fill(order: FakeOrder, price: number, maker: boolean, nowMs: number) {
    const qty = order.origQty;
    const commission = round(qty * price * fees.rate);
    // A commission in another asset (BNB, ASTER) leaves that asset's balance, not the USDT wallet.
    const realizedPnl = applyFill(
      order.symbol,
      order.side,
      qty,
      price,
      fees.asset === 'USDT' ? commission : 0,
    );
    const trade = {
      id: nextTradeId++,
      orderId: order.orderId,
      symbol: order.symbol,
      side: order.side,
      qty,
      price,
      commission,
      commissionAsset: fees.asset,
      realizedPnl,
      maker,
      time: nowMs,
    };
    trades.push(trade);
    Object.assign(order, {
      status: 'FILLED',
      executedQty: qty,
      avgPrice: price,
      updateTime: nowMs,
    });
    for (const l of tradeListeners) l(trade, order);
  }

  /** STOP_MARKET triggers (API docs, New Order): BUY when the price ≥ stopPrice, SELL when ≤. */
  const triggers = (ord: Pick<FakeOrder, 'side' | 'stopPrice'>, mark: number) =>
    ord.side === 'BUY' ? mark >= ord.stopPrice : mark <= ord.stopPrice;

  /** A triggered stop executes at market for what it may close (Close-All: the whole position on its side); nothing to close: EXPIRED. */
  function triggerStop(ord: FakeOrder, mark: number, nowMs: number) {
    const pos = positions.get(ord.symbol)?.qty ?? 0;
    const closable = ord.side === 'SELL' ? Math.max(pos, 0) : Math.max(-pos, 0);
    const qty = ord.closePosition
      ? closable
      : ord.reduceOnly
        ? Math.min(ord.origQty, closable)
        : ord.origQty;
    if (!(qty > 0)) return void Object.assign(ord, { status: 'EXPIRED', updateTime: nowMs });
    ord.origQty = qty;
    fill(ord, mark, false, nowMs);
  }

  const crosses = (ord: FakeOrder, mark: number) =>
    ord.side === 'BUY' ? mark <= ord.price : mark >= ord.price;
  const isOpen = (ord: FakeOrder) => ord.status === 'NEW' || ord.status === 'PARTIALLY_FILLED';

  /** Income rows a test added (funding, transfers, insurance clearance, rebates), applied to the wallet when added. */
  const income: FakeIncome[] = [];
  let nextTranId = 9_000_000;

  /** A liquidation (`autoclose-…`) or an ADL (`adl_autoclose`) of `qty` (default all) at the mark. */
  function forceClose(symbol: string, nowMs: number, clientOrderId: string, qty?: number) {
    const pos = positions.get(symbol)?.qty ?? 0;
    const mark = marks.get(symbol);
    if (pos === 0 || mark === undefined) return undefined;
    const ord: FakeOrder = {
      orderId: nextOrderId++,
      clientOrderId,
      symbol,
      side: pos > 0 ? 'SELL' : 'BUY',
      type: clientOrderId === 'adl_autoclose' ? 'MARKET' : 'LIQUIDATION',
      status: 'NEW',
      origQty: Math.min(qty ?? Math.abs(pos), Math.abs(pos)),
      executedQty: 0,
      avgPrice: 0,
      price: 0,
      reduceOnly: true,
      time: nowMs,
      updateTime: nowMs,
      stopPrice: 0,
      closePosition: false,
      workingType: 'MARK_PRICE',
    };
    orders.push(ord);
    fill(ord, mark, false, nowMs);
    return trades.at(-1);
  }

  const hasOpenOrders = (symbol?: string) =>
    orders.some((x) => isOpen(x) && (symbol === undefined || x.symbol === symbol));
  const isolated = (symbol: string) => settings(symbol).marginType === 'isolated';

  return {
    symbols,
    orders,
    trades,
    /** The income history: the rows added and those of every trade (income.ts). */
    incomeRows: () => incomeRows(income, trades),
    fees,
    settings,
    isolated,
    get hedgeMode() {
      return hedgeMode;
    },
    /** Change Position Mode: refused while any position or open order exists (-4068, -4067), -4059 when already so. */
    setHedgeMode(hedge: boolean) {
      if (hedge === hedgeMode) throw new ApiError(400, -4059, 'No need to change position side.');
      if (hasOpenOrders())
        throw new ApiError(
          400,
          -4067,
          'Position side cannot be changed if there exists open orders.',
        );
      if ([...positions.values()].some((p) => p.qty !== 0))
        throw new ApiError(400, -4068, 'Position side cannot be changed if there exists position.');
      hedgeMode = hedge;
    },
    /** Change Initial Leverage: an integer 1–125 (-4028); lowering an isolated position's leverage is refused (-4161). */
    setLeverage(symbol: string, leverage: number) {
      knownSymbol(symbol);
      if (!(Number.isInteger(leverage) && leverage >= 1 && leverage <= 125))
        throw new ApiError(400, -4028, `Leverage ${leverage} is not valid`);
      const now = settings(symbol);
      if (
        now.marginType === 'isolated' &&
        leverage < now.leverage &&
        (positions.get(symbol)?.qty ?? 0) !== 0
      ) {
        throw new ApiError(
          400,
          -4161,
          'Leverage reduction is not supported in Isolated Margin Mode with open positions',
        );
      }
      settingsBySymbol.set(symbol, { ...now, leverage });
    },
    /** Change Margin Type: -4046 when already so, -4047 with open orders, -4048 with a position. */
    setMarginType(symbol: string, type: 'cross' | 'isolated') {
      knownSymbol(symbol);
      const now = settings(symbol);
      if (now.marginType === type) throw new ApiError(400, -4046, 'No need to change margin type.');
      if (hasOpenOrders(symbol))
        throw new ApiError(
          400,
          -4047,
          'Margin type cannot be changed if there exists open orders.',
        );
      if ((positions.get(symbol)?.qty ?? 0) !== 0)
        throw new ApiError(400, -4048, 'Margin type cannot be changed if there exists position.');
      settingsBySymbol.set(symbol, { ...now, marginType: type });
    },
    /** Test hook: the settings as the exchange would hold them, without the refusals. */
    forceSettings(symbol: string, s: Partial<SymbolSettings>) {
      settingsBySymbol.set(symbol, { ...settings(symbol), ...s });
    },
    forceHedgeMode(hedge: boolean) {
      hedgeMode = hedge;
    },
    /** Adds an income row of `incomeType` ('' symbol for a transfer); a USDT row moves the wallet. */
    addIncome(incomeType: string, symbol: string, amount: number, time: number, asset = 'USDT') {
      if (symbol) knownSymbol(symbol);
      if (asset === 'USDT') wallet = round(wallet + amount);
      const row: FakeIncome = {
        tranId: nextTranId++,
        incomeType,
        symbol,
        income: amount,
        asset,
        time,
        tradeId: '',
      };
      income.push(row);
      return row;
    },
    positions,
    marks,
    candles,
    get wallet() {
      return wallet;
    },
    set wallet(usd: number) {
      wallet = usd;
    },
    knownSymbol,

    unrealized(symbol: string) {
      const p = positions.get(symbol);
      const mark = marks.get(symbol);
      return p && mark !== undefined ? round(p.qty * (mark - p.entry)) : 0;
    },

    /** Sets the mark, extends the current one-minute candle and fills resting LIMIT orders it crosses. */
    setMark(symbol: string, price: number, nowMs: number) {
      symbols.add(symbol);
      marks.set(symbol, price);
      const minute = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
      const list = candles.get(symbol) ?? [];
      candles.set(symbol, list);
      const last = list.at(-1);
      if (last && last.openTime === minute) {
        Object.assign(last, {
          high: Math.max(last.high, price),
          low: Math.min(last.low, price),
          close: price,
        });
      } else {
        list.push({
          openTime: minute,
          open: last?.close ?? price,
          high: Math.max(last?.close ?? price, price),
          low: Math.min(last?.close ?? price, price),
          close: price,
          volume: 0,
          closeTime: minute + MINUTE_MS - 1,
        });
      }
      for (const ord of orders)
        if (ord.symbol === symbol && ord.type === 'LIMIT' && isOpen(ord) && crosses(ord, price))
          fill(ord, ord.price, true, nowMs);
      for (const ord of orders)
        if (
          ord.symbol === symbol &&
          ord.type === 'STOP_MARKET' &&
          isOpen(ord) &&
          triggers(ord, price)
        )
          triggerStop(ord, price, nowMs);
    },

    /** A new order, validated like the exchange does; fills at once when it can. */
    place(
      p: {
        symbol: string;
        side: Side;
        type: OrderType;
        qty: number;
        price: number;
        reduceOnly: boolean;
        clientOrderId: string;
        positionSide?: string;
        stopPrice?: number;
        closePosition?: boolean;
        workingType?: FakeOrder['workingType'];
      },
      nowMs: number,
    ): FakeOrder {
      knownSymbol(p.symbol);
      // Hedge mode needs LONG or SHORT on every order; one-way mode BOTH or nothing (v3.md, New Order: positionSide).
      const sideOk = hedgeMode
        ? p.positionSide === 'LONG' || p.positionSide === 'SHORT'
        : p.positionSide === undefined || p.positionSide === 'BOTH';
      if (!sideOk)
        throw new ApiError(400, -4061, "Order's position side does not match user's setting.");
      // Client ids are unique among OPEN orders only (API docs): a filled order's id can be reused,
      // which is exactly why a blind re-send of a MARKET order would trade twice.
      if (orders.some((x) => x.clientOrderId === p.clientOrderId && isOpen(x)))
        throw new ApiError(400, -4116, 'ClientOrderId is duplicated.');
      const mark = marks.get(p.symbol);
      if (mark === undefined) throw new ApiError(400, -2020, 'Unable to fill.');
      let qty = p.qty;
      const stopPrice = p.stopPrice ?? 0;
      if (p.type === 'STOP_MARKET' && triggers({ side: p.side, stopPrice }, mark))
        throw new ApiError(400, -2021, 'Order would immediately trigger.');
      if (p.reduceOnly && p.type !== 'STOP_MARKET') {
        const pos = positions.get(p.symbol)?.qty ?? 0;
        if (pos === 0 || Math.sign(pos) === (p.side === 'BUY' ? 1 : -1))
          throw new ApiError(400, -2022, 'ReduceOnly Order is rejected.');
        qty = Math.min(qty, Math.abs(pos));
      }
      const ord: FakeOrder = {
        orderId: nextOrderId++,
        clientOrderId: p.clientOrderId,
        symbol: p.symbol,
        side: p.side,
        type: p.type,
        status: 'NEW',
        origQty: qty,
        executedQty: 0,
        avgPrice: 0,
        price: p.type === 'LIMIT' ? p.price : 0,
        reduceOnly: p.reduceOnly,
        time: nowMs,
        updateTime: nowMs,
        stopPrice,
        closePosition: p.closePosition === true,
        workingType: p.workingType ?? 'CONTRACT_PRICE',
      };
      orders.push(ord);
      if (p.type === 'MARKET' || (p.type === 'LIMIT' && crosses(ord, mark)))
        fill(ord, mark, false, nowMs);
      return ord;
    },

    /** The newest order with this client id (or order id). */
    find(symbol: string, ref: { clientOrderId?: string; orderId?: number }) {
      return orders.findLast(
        (x) =>
          x.symbol === symbol &&
          (ref.orderId !== undefined
            ? x.orderId === ref.orderId
            : x.clientOrderId === ref.clientOrderId),
      );
    },

    cancel(
      symbol: string,
      ref: { clientOrderId?: string; orderId?: number },
      nowMs: number,
    ): FakeOrder {
      const ord = orders.findLast(
        (x) =>
          x.symbol === symbol &&
          isOpen(x) &&
          (ref.orderId !== undefined
            ? x.orderId === ref.orderId
            : x.clientOrderId === ref.clientOrderId),
      );
      if (!ord) throw new ApiError(400, -2011, 'Unknown order sent.');
      Object.assign(ord, { status: 'CANCELED', updateTime: nowMs });
      return ord;
    },

    isOpen,

    /** A trade made outside this system (web UI, another bot): a filled order we never sent. */
    foreignTrade(t: {
      symbol: string;
      side: Side;
      qty: number;
      price: number;
      timeMs: number;
      applyToPosition: boolean;
      fee?: number;
      commissionAsset?: string;
    }): FakeTrade {
      symbols.add(t.symbol);
      const ord: FakeOrder = {
        orderId: nextOrderId++,
        clientOrderId: `web_${nextOrderId}`,
        symbol: t.symbol,
        side: t.side,
        type: 'MARKET',
        status: 'FILLED',
        origQty: t.qty,
        executedQty: t.qty,
        avgPrice: t.price,
        price: 0,
        reduceOnly: false,
        time: t.timeMs,
        updateTime: t.timeMs,
        stopPrice: 0,
        closePosition: false,
        workingType: 'CONTRACT_PRICE',
      };
      orders.push(ord);
      const commission = t.fee ?? round(t.qty * t.price * fees.rate);
      const commissionAsset = t.commissionAsset ?? fees.asset;
      const realizedPnl = t.applyToPosition
        ? applyFill(t.symbol, t.side, t.qty, t.price, commissionAsset === 'USDT' ? commission : 0)
        : 0;
      const trade = {
        id: nextTradeId++,
        orderId: ord.orderId,
        symbol: t.symbol,
        side: t.side,
        qty: t.qty,
        price: t.price,
        commission,
        commissionAsset,
        realizedPnl,
        maker: false,
        time: t.timeMs,
      };
      trades.push(trade);
      for (const l of tradeListeners) l(trade, ord);
      return trade;
    },

    /** Observes every trade from now on (the user-data stream). */
    onTrade(listener: (t: FakeTrade, order: FakeOrder) => void) {
      tradeListeners.push(listener);
    },

    /**
     * The exchange liquidates a position: a LIQUIDATION order with client id `autoclose-…` closes it
     * whole at the mark (Aster's documented liquidation orders). Undefined when flat or unmarked.
     */
    liquidate(symbol: string, nowMs: number): FakeTrade | undefined {
      return forceClose(symbol, nowMs, `autoclose-${nowMs}`);
    },

    /**
     * The exchange auto-deleverages the position: an order with client id `adl_autoclose` closes
     * `qty` of it (default all) at the mark. Undefined when flat or unmarked.
     */
    adl(symbol: string, nowMs: number, qty?: number): FakeTrade | undefined {
      return forceClose(symbol, nowMs, 'adl_autoclose', qty);
    },
  };
}

export type Engine = ReturnType<typeof createEngine>;
