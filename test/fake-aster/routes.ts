// The endpoints of the fake Aster server: each turns validated parameters into engine calls and
// answers in the exchange's JSON (decimals as strings, ids and times as integers), or throws
// ApiError with the exchange's HTTP status, code and message.
import type { SymbolRules } from '../../src/domain/market/symbol-rules.ts';
import {
  type BracketTable,
  MAINTENANCE_BRACKETS,
  maintenanceMarginUsd,
  marginFigures,
} from '../../src/domain/portfolio/margin.ts';
import { ApiError, type Engine, type FakeOrder } from './engine.ts';
import { applyFilters, symbolJson } from './filters.ts';

export type Answer = { status: number; body: unknown; headers?: Record<string, string> };
export interface RouteContext {
  nowMs(): number;
  /** Counts an accepted order; returns the orders of the current minute. */
  countOrder(): number;
  /** The symbol's filters (exchangeInfo and every new order). */
  rulesOf(symbol: string): SymbolRules;
  /** The highest initial leverage of the symbol's first bracket (GET leverageBracket). */
  maxLeverageOf(symbol: string): number;
}

export const PUBLIC = new Set([
  '/fapi/v1/time',
  '/fapi/v1/exchangeInfo',
  '/fapi/v1/premiumIndex',
  '/fapi/v1/klines',
]);

/** V3 endpoints whose V1 twin is not at /fapi/v1/ (V1 docs: balance and positionRisk are v2, the account v4). */
const V3_TWINS: Record<string, string> = {
  '/fapi/v3/balance': '/fapi/v2/balance',
  '/fapi/v3/positionRisk': '/fapi/v2/positionRisk',
  '/fapi/v3/accountWithJoinMargin': '/fapi/v4/account',
};
export const NOOP_PATH = '/fapi/v3/noop';

/** The route serving `path`: a V3 path is served by its V1 twin (same parameters and answers), the noop by itself. */
export const routePath = (path: string): string =>
  path === NOOP_PATH || !path.startsWith('/fapi/v3/')
    ? path
    : (V3_TWINS[path] ?? path.replace('/fapi/v3/', '/fapi/v1/'));
const dec = (x: number) => x.toFixed(8);

/**
 * Notional and Leverage Brackets of a symbol (v3.md: numbers as JSON numbers): the symbol's own
 * maintenance brackets (its rules' `brackets`: the paper exchange's table unless a test sets
 * others, else Binance's BTCUSDT table of src/domain/portfolio/margin.ts) with Binance's initial
 * leverage per bracket (125, 100, 50, 20, 10, then 5, 4, 3, 2, 1).
 */
const BRACKET_LEVERAGE = [125, 100, 50, 20, 10, 5, 4, 3, 2, 1];
export function bracketsJson(
  symbol: string,
  maxLeverage = BRACKET_LEVERAGE[0]!,
  table: BracketTable = MAINTENANCE_BRACKETS,
) {
  let floor = 0;
  return {
    symbol,
    brackets: table.map((b, i) => {
      const row = {
        bracket: i + 1,
        initialLeverage: Math.min(BRACKET_LEVERAGE[i] ?? 1, maxLeverage),
        notionalCap: Number.isFinite(b.upToUsd) ? b.upToUsd : 9_223_372_036_854_775_807,
        notionalFloor: floor,
        maintMarginRatio: b.rate,
        cum: b.cumUsd,
      };
      floor = b.upToUsd;
      return row;
    }),
  };
}

/** Request weights from the API docs (openOrders without symbol 40; klines by limit). */
export function weightOf(method: string, path: string, q: URLSearchParams): number {
  if (
    path === '/fapi/v2/balance' ||
    path === '/fapi/v2/positionRisk' ||
    path === '/fapi/v1/userTrades' ||
    path === '/fapi/v4/account'
  )
    return 5;
  if (path === '/fapi/v1/openOrders') return q.get('symbol') ? 1 : 40;
  if (path === '/fapi/v1/income') return 30;
  if (path === '/fapi/v1/forceOrders') return q.get('symbol') ? 20 : 50;
  if (path === '/fapi/v1/positionSide/dual') return method === 'GET' ? 30 : 1;
  if (path === '/fapi/v1/klines') {
    const limit = Number(q.get('limit') ?? 500);
    return limit < 100 ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10;
  }
  return 1;
}

/** `withTime`: query and open-orders answers carry `time`; the cancel answer has no `avgPrice` (v3.md, Cancel Order). */
function orderJson(o: FakeOrder, withTime: boolean, withAvgPrice = true) {
  return {
    orderId: o.orderId,
    symbol: o.symbol,
    status: o.status,
    clientOrderId: o.clientOrderId,
    price: dec(o.price),
    ...(withAvgPrice ? { avgPrice: dec(o.avgPrice) } : {}),
    origQty: dec(o.origQty),
    executedQty: dec(o.executedQty),
    cumQty: dec(o.executedQty),
    cumQuote: dec(o.executedQty * o.avgPrice),
    timeInForce: 'GTC',
    type: o.type,
    reduceOnly: o.reduceOnly,
    closePosition: o.closePosition,
    side: o.side,
    positionSide: 'BOTH',
    stopPrice: dec(o.stopPrice),
    workingType: o.workingType,
    priceProtect: false,
    origType: o.type,
    ...(withTime ? { time: o.time } : {}),
    updateTime: o.updateTime,
  };
}

export function route(
  engine: Engine,
  ctx: RouteContext,
  method: string,
  path: string,
  q: URLSearchParams,
): Answer {
  const t = ctx.nowMs();
  /** An isolated position's own wallet: its initial margin at entry. */
  const isolatedWalletOf = (s: string) => {
    const p = engine.positions.get(s);
    return p ? (Math.abs(p.qty) * p.entry) / engine.settings(s).leverage : 0;
  };
  // Margin as the paper exchange models it (src/domain/portfolio/margin.ts: maintenance in each
  // symbol's brackets, the cross-margin one-way liquidation price), and an isolated position's
  // liquidation price by the isolated formula over its own wallet (its initial margin at entry).
  const bracketsOf = (s: string) => ctx.rulesOf(s).brackets ?? MAINTENANCE_BRACKETS;
  const margin = () => {
    const open = [...engine.positions].filter(([, p]) => p.qty !== 0);
    const rows = open.map(([s, p]) => ({
      symbol: s,
      quantity: p.qty,
      entryPrice: p.entry,
      markPrice: engine.marks.get(s) ?? p.entry,
      leverage: engine.settings(s).leverage,
      ...(engine.settings(s).marginType === 'isolated' && {
        isolatedWalletUsd: isolatedWalletOf(s),
      }),
    }));
    return { rows, figures: marginFigures(engine.wallet, rows, bracketsOf) };
  };
  const symbol = q.get('symbol') ?? undefined;
  const need = (name: string) => {
    const v = q.get(name);
    if (!v)
      throw new ApiError(
        400,
        -1102,
        `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`,
      );
    return v;
  };
  const ok = (body: unknown, headers?: Record<string, string>): Answer => ({
    status: 200,
    body,
    headers,
  });
  const markJson = (s: string) => ({
    symbol: s,
    markPrice: dec(engine.marks.get(s) ?? 0),
    indexPrice: dec(engine.marks.get(s) ?? 0),
    estimatedSettlePrice: dec(engine.marks.get(s) ?? 0),
    lastFundingRate: '0.00010000',
    nextFundingTime: t + 3_600_000,
    interestRate: '0.00010000',
    time: t,
  });
  const ref = () =>
    q.get('orderId')
      ? { orderId: Number(q.get('orderId')) }
      : { clientOrderId: need('origClientOrderId') };
  switch (`${method} ${path}`) {
    case `POST ${NOOP_PATH}`:
      // Authentication took the nonce: nothing else signed with it can execute now.
      return ok({ code: 200, msg: 'success' });
    case 'GET /fapi/v1/time':
      return ok({ serverTime: t });
    case 'GET /fapi/v1/exchangeInfo':
      return ok({
        timezone: 'UTC',
        serverTime: t,
        rateLimits: [],
        exchangeFilters: [],
        assets: [],
        symbols: [...engine.symbols].map((s) => symbolJson(ctx.rulesOf(s))),
      });
    case 'GET /fapi/v1/premiumIndex':
      if (!symbol) return ok([...engine.marks.keys()].map(markJson));
      engine.knownSymbol(symbol);
      return ok(markJson(symbol));
    case 'GET /fapi/v1/klines': {
      engine.knownSymbol(need('symbol'));
      if (need('interval') !== '1m') throw new ApiError(400, -1120, 'Invalid interval.');
      const limit = Math.min(Number(q.get('limit') ?? 500), 1500);
      const rows = (engine.candles.get(symbol!) ?? []).slice(-limit);
      return ok(
        rows.map((c) => [
          c.openTime,
          dec(c.open),
          dec(c.high),
          dec(c.low),
          dec(c.close),
          dec(c.volume),
          c.closeTime,
          dec(c.volume * c.close),
          0,
          '0',
          '0',
          '0',
        ]),
      );
    }
    case 'GET /fapi/v2/balance': {
      // `balance` is the whole wallet; crossUnPnl the P&L of cross positions only; an isolated
      // position's margin sits in its own isolated wallet (Binance USD-M semantics, which Aster follows).
      const open = [...engine.positions].filter(([, p]) => p.qty !== 0);
      const crossUpnl = open
        .filter(([k]) => !engine.isolated(k))
        .reduce((s, [k]) => s + engine.unrealized(k), 0);
      const isolatedWallet = open
        .filter(([k]) => engine.isolated(k))
        .reduce((s, [k]) => s + isolatedWalletOf(k), 0);
      const margin = open.reduce(
        (s, [k, p]) =>
          s + (Math.abs(p.qty) * (engine.marks.get(k) ?? p.entry)) / engine.settings(k).leverage,
        0,
      );
      const wallet = engine.wallet;
      return ok([
        {
          accountAlias: 'FakeAlias',
          asset: 'USDT',
          balance: dec(wallet),
          crossWalletBalance: dec(wallet - isolatedWallet),
          crossUnPnl: dec(crossUpnl),
          availableBalance: dec(wallet + crossUpnl - margin),
          maxWithdrawAmount: dec(wallet - margin),
          marginAvailable: true,
          updateTime: t,
        },
      ]);
    }
    case 'GET /fapi/v4/account': {
      // Account Information v3 (v3.md): totals for USDT, one asset row, a row per symbol.
      const { rows, figures: f } = margin();
      const positionRows = [...engine.symbols].map((s) => {
        const r = rows.find((x) => x.symbol === s);
        const notional = r ? Math.abs(r.quantity) * r.markPrice : 0;
        const { leverage, marginType } = engine.settings(s);
        return {
          symbol: s,
          initialMargin: dec(notional / leverage),
          maintMargin: dec(r ? maintenanceMarginUsd(notional, bracketsOf(s)) : 0),
          unrealizedProfit: dec(r ? engine.unrealized(s) : 0),
          positionInitialMargin: dec(notional / leverage),
          openOrderInitialMargin: '0',
          leverage: String(leverage),
          isolated: marginType === 'isolated',
          entryPrice: dec(r?.entryPrice ?? 0),
          maxNotional: '20000000',
          positionSide: 'BOTH',
          positionAmt: dec(r?.quantity ?? 0),
          updateTime: t,
        };
      });
      const totals = {
        totalInitialMargin: dec(f.initialMarginUsd),
        totalMaintMargin: dec(f.maintenanceMarginUsd),
        totalWalletBalance: dec(f.walletUsd),
        totalUnrealizedProfit: dec(f.unrealizedPnlUsd),
        totalMarginBalance: dec(f.marginBalanceUsd),
        totalPositionInitialMargin: dec(f.initialMarginUsd),
        totalOpenOrderInitialMargin: '0',
        totalCrossWalletBalance: dec(f.walletUsd),
        totalCrossUnPnl: dec(f.unrealizedPnlUsd),
        availableBalance: dec(f.availableUsd),
        maxWithdrawAmount: dec(f.availableUsd),
      };
      const asset = {
        asset: 'USDT',
        walletBalance: totals.totalWalletBalance,
        unrealizedProfit: totals.totalUnrealizedProfit,
        marginBalance: totals.totalMarginBalance,
        maintMargin: totals.totalMaintMargin,
        initialMargin: totals.totalInitialMargin,
        positionInitialMargin: totals.totalPositionInitialMargin,
        openOrderInitialMargin: '0',
        crossWalletBalance: totals.totalCrossWalletBalance,
        crossUnPnl: totals.totalCrossUnPnl,
        availableBalance: totals.availableBalance,
        maxWithdrawAmount: totals.maxWithdrawAmount,
        marginAvailable: true,
        updateTime: t,
      };
      return ok({
        feeTier: 0,
        canTrade: true,
        canDeposit: true,
        canWithdraw: true,
        updateTime: t,
        ...totals,
        assets: [asset],
        positions: positionRows,
      });
    }
    case 'GET /fapi/v2/positionRisk':
      if (symbol) engine.knownSymbol(symbol);
      return ok(
        [...engine.symbols]
          .filter((s) => !symbol || s === symbol)
          .flatMap((s) => {
            const p = engine.positions.get(s) ?? { qty: 0, entry: 0 };
            const { leverage, marginType } = engine.settings(s);
            const row = (positionSide: string, qty: number) => ({
              entryPrice: dec(qty === 0 ? 0 : p.entry),
              marginType,
              isAutoAddMargin: 'false',
              isolatedMargin: dec(
                marginType === 'isolated' && qty !== 0
                  ? isolatedWalletOf(s) + engine.unrealized(s)
                  : 0,
              ),
              leverage: String(leverage),
              liquidationPrice: dec(qty === 0 ? 0 : (margin().figures.liquidationPrices[s] ?? 0)),
              markPrice: dec(engine.marks.get(s) ?? 0),
              maxNotionalValue: '20000000',
              positionAmt: dec(qty),
              symbol: s,
              unRealizedProfit: dec(qty === 0 ? 0 : engine.unrealized(s)),
              positionSide,
              updateTime: t,
            });
            // Hedge mode lists a LONG and a SHORT leg per symbol (v3.md, Position Information v3).
            return engine.hedgeMode
              ? [row('LONG', Math.max(p.qty, 0)), row('SHORT', Math.min(p.qty, 0))]
              : [row('BOTH', p.qty)];
          }),
      );
    case 'GET /fapi/v1/leverageBracket':
      // With a symbol: that symbol's object; without: an array of every symbol's (v3.md).
      if (symbol) {
        engine.knownSymbol(symbol);
        return ok(bracketsJson(symbol, ctx.maxLeverageOf(symbol), bracketsOf(symbol)));
      }
      return ok(
        [...engine.symbols].map((s) => bracketsJson(s, ctx.maxLeverageOf(s), bracketsOf(s))),
      );
    case 'GET /fapi/v1/positionSide/dual':
      return ok({ dualSidePosition: engine.hedgeMode });
    case 'POST /fapi/v1/positionSide/dual': {
      const v = need('dualSidePosition');
      if (v !== 'true' && v !== 'false')
        throw new ApiError(400, -1130, "Data sent for parameter 'dualSidePosition' is not valid.");
      engine.setHedgeMode(v === 'true');
      return ok({ code: 200, msg: 'success' });
    }
    case 'POST /fapi/v1/leverage': {
      engine.knownSymbol(need('symbol'));
      const leverage = Number(need('leverage'));
      engine.setLeverage(symbol!, leverage);
      return ok({ leverage, maxNotionalValue: '1000000', symbol });
    }
    case 'POST /fapi/v1/marginType': {
      engine.knownSymbol(need('symbol'));
      const type = need('marginType');
      if (type !== 'ISOLATED' && type !== 'CROSSED')
        throw new ApiError(400, -1130, "Data sent for parameter 'marginType' is not valid.");
      engine.setMarginType(symbol!, type === 'ISOLATED' ? 'isolated' : 'cross');
      return ok({ code: 200, msg: 'success' });
    }
    case 'GET /fapi/v1/userTrades': {
      engine.knownSymbol(need('symbol'));
      const limit = Math.min(Number(q.get('limit') ?? 500), 1000);
      const start = q.get('startTime') ? Number(q.get('startTime')) : undefined;
      const mine = engine.trades.filter(
        (x) =>
          x.symbol === symbol &&
          (start === undefined ? x.time >= t - 7 * 86_400_000 : x.time >= start),
      );
      const rows = start === undefined ? mine.slice(-limit) : mine.slice(0, limit);
      return ok(
        rows.map((x) => ({
          buyer: x.side === 'BUY',
          commission: dec(x.commission),
          commissionAsset: x.commissionAsset,
          id: x.id,
          maker: x.maker,
          orderId: x.orderId,
          price: dec(x.price),
          qty: dec(x.qty),
          quoteQty: dec(x.qty * x.price),
          realizedPnl: dec(x.realizedPnl),
          side: x.side,
          positionSide: 'BOTH',
          symbol: x.symbol,
          time: x.time,
        })),
      );
    }
    case 'GET /fapi/v1/income': {
      // Every row of the history (incomeType, symbol and the window narrow it), oldest first.
      const type = q.get('incomeType');
      const limit = Math.min(Number(q.get('limit') ?? 100), 1000);
      const start = q.get('startTime') ? Number(q.get('startTime')) : t - 7 * 86_400_000;
      const end = q.get('endTime') ? Number(q.get('endTime')) : Infinity;
      const rows = engine
        .incomeRows()
        .filter(
          (r) =>
            (!type || r.incomeType === type) &&
            (!symbol || r.symbol === symbol) &&
            r.time >= start &&
            r.time <= end,
        )
        .slice(0, limit);
      return ok(
        rows.map((r) => ({
          symbol: r.symbol,
          incomeType: r.incomeType,
          income: dec(r.income),
          asset: r.asset,
          info: r.incomeType,
          time: r.time,
          tranId: r.tranId,
          tradeId: r.tradeId,
        })),
      );
    }
    case 'GET /fapi/v1/forceOrders': {
      // The exchange's own orders: liquidations (autoclose-…) and ADLs (adl_autoclose).
      const kind = q.get('autoCloseType');
      if (kind && kind !== 'LIQUIDATION' && kind !== 'ADL')
        throw new ApiError(400, -1130, "Data sent for parameter 'autoCloseType' is not valid.");
      const limit = Math.min(Number(q.get('limit') ?? 50), 100);
      const start = q.get('startTime') ? Number(q.get('startTime')) : t - 7 * 86_400_000;
      const end = q.get('endTime') ? Number(q.get('endTime')) : Infinity;
      const isAdl = (o: FakeOrder) => o.clientOrderId === 'adl_autoclose';
      const rows = engine.orders.filter(
        (o) =>
          (o.clientOrderId.startsWith('autoclose-') || isAdl(o)) &&
          (!kind || (kind === 'ADL') === isAdl(o)) &&
          (!symbol || o.symbol === symbol) &&
          o.time >= start &&
          o.time <= end,
      );
      return ok(rows.slice(0, limit).map((o) => orderJson(o, true)));
    }
    case 'GET /fapi/v1/openOrders':
      if (symbol) engine.knownSymbol(symbol);
      return ok(
        engine.orders
          .filter((o) => engine.isOpen(o) && (!symbol || o.symbol === symbol))
          .map((o) => orderJson(o, true)),
      );
    case 'GET /fapi/v1/order': {
      engine.knownSymbol(need('symbol'));
      const found = engine.find(symbol!, ref());
      if (!found) throw new ApiError(400, -2013, 'Order does not exist.');
      return ok(orderJson(found, true));
    }
    case 'DELETE /fapi/v1/order':
      engine.knownSymbol(need('symbol'));
      return ok(orderJson(engine.cancel(symbol!, ref(), t), false, false));
    case 'POST /fapi/v1/order': {
      engine.knownSymbol(need('symbol'));
      const side = need('side');
      if (side !== 'BUY' && side !== 'SELL') throw new ApiError(400, -1117, 'Invalid side.');
      const type = need('type');
      if (type !== 'MARKET' && type !== 'LIMIT' && type !== 'STOP_MARKET')
        throw new ApiError(400, -1116, 'Invalid orderType.');
      // Close-All (STOP_MARKET only) comes without quantity and reduceOnly (API docs, New Order).
      const closePosition = q.get('closePosition') === 'true';
      if (closePosition && type !== 'STOP_MARKET')
        throw new ApiError(400, -1106, "Parameter 'closePosition' sent when not required.");
      for (const p of ['quantity', 'reduceOnly'])
        if (closePosition && q.has(p))
          throw new ApiError(400, -1106, `Parameter '${p}' sent when not required.`);
      const stopPrice = type === 'STOP_MARKET' ? Number(need('stopPrice')) : 0;
      if (type === 'STOP_MARKET' && !(stopPrice > 0))
        throw new ApiError(400, -4006, 'Stop price less than zero.');
      const workingType = q.get('workingType') ?? 'CONTRACT_PRICE';
      if (workingType !== 'MARK_PRICE' && workingType !== 'CONTRACT_PRICE')
        throw new ApiError(400, -1116, 'Invalid workingType.');
      const qty = closePosition ? 0 : Number(need('quantity'));
      if (!closePosition && !(qty > 0)) throw new ApiError(400, -4003, 'Quantity less than zero.');
      const price = type === 'LIMIT' ? Number(need('price')) : 0;
      if (type === 'LIMIT' && !(price > 0)) throw new ApiError(400, -4001, 'Price less than 0.');
      if (type === 'LIMIT') need('timeInForce');
      const clientOrderId = q.get('newClientOrderId') ?? `fake_${t}_${engine.orders.length}`;
      if (!/^[.A-Z:/a-z0-9_-]{1,36}$/.test(clientOrderId))
        throw new ApiError(400, -4015, 'Client order id is not valid.');
      const mark = engine.marks.get(symbol!);
      const reduceOnly = q.get('reduceOnly') === 'true';
      if (mark !== undefined)
        applyFilters(ctx.rulesOf(symbol!), {
          type,
          side,
          quantity: q.get('quantity') ?? undefined,
          price: q.get('price') ?? undefined,
          stopPrice: q.get('stopPrice') ?? undefined,
          reduceOnly,
          markPrice: mark,
        });
      const ord = engine.place(
        {
          symbol: symbol!,
          side,
          type,
          qty,
          price,
          reduceOnly,
          clientOrderId,
          positionSide: q.get('positionSide') ?? undefined,
          stopPrice,
          closePosition,
          workingType,
        },
        t,
      );
      const orderCount1m = ctx.countOrder();
      // ACK (the default) answers before the fill, so a MARKET order reads NEW with nothing executed.
      const body =
        q.get('newOrderRespType') === 'RESULT'
          ? orderJson(ord, false)
          : orderJson({ ...ord, status: 'NEW', executedQty: 0, avgPrice: 0 }, false);
      return ok(body, { 'X-MBX-ORDER-COUNT-1M': String(orderCount1m) });
    }
    default:
      return { status: 404, body: { code: -1000, msg: `Unknown route ${method} ${path}` } };
  }
}
