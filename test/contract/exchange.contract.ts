// The contract every Exchange adapter passes (paper and Aster alike): balance, signed positions
// with entry prices after fills, trades that carry their order id, open LIMIT orders, client order
// ids, look-up and cancel by client id, mark price, candles, and a typed rejection of a bad symbol.
// `make` returns a fresh exchange per test, a way to move the mark price, and a cleanup. Where the
// port leaves a detail open, the contract follows Aster/Binance (e.g. the newest trades first cut).
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import {
  accountEquityUsd,
  cannotAddExposure,
  type Exchange,
  ExchangeError,
  type PlaceOrderRequest,
} from '../../src/ports/exchange.ts';

export interface ExchangeUnderTest {
  exchange: Exchange;
  setMark(symbol: string, price: number): Promise<void> | void;
  close(): Promise<void>;
}

/** A real symbol of the Aster-like tables priced around 100 USD here (tick 0.01, step 0.01, min notional 5). */
const SYMBOL = 'SOLUSDT';
/** Paper fills may carry slippage: entries and fill prices are compared within 1 %. */
const near = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.abs(expected) * 0.01);

export interface ContractOptions {
  /** Tests this adapter is known to fail, by title, with the reason: they run as `it.failing`, so
   *  the suite stays green while the gap is open and turns red once it is fixed (remove the entry). */
  knownGaps?: Record<string, string>;
}

export function exchangeContract(
  name: string,
  make: () => Promise<ExchangeUnderTest>,
  options: ContractOptions = {},
) {
  const gaps = options.knownGaps ?? {};
  const it = (title: string, fn: () => Promise<void>) => {
    const gap = gaps[title];
    return gap === undefined ? test(title, fn) : test.failing(`${title} [known gap: ${gap}]`, fn);
  };
  describe(`Exchange contract: ${name}`, () => {
    let t: ExchangeUnderTest;
    let ex: Exchange;
    let seq = 0;
    const cid = () => `ct-${Date.now().toString(36)}-${++seq}`;
    const market = (side: 'BUY' | 'SELL', quantity: number) =>
      ex.placeOrder({ clientOrderId: cid(), symbol: SYMBOL, side, type: 'MARKET', quantity });

    beforeEach(async () => {
      t = await make();
      ex = t.exchange;
      await t.setMark(SYMBOL, 100);
    });
    afterEach(() => t.close());

    it('reports a positive wallet balance and the available balance', async () => {
      const b = await ex.balance();
      expect(b.asset.length).toBeGreaterThan(0);
      expect(b.walletUsd).toBeGreaterThan(0);
      expect(Number.isFinite(b.availableUsd)).toBe(true);
    });

    it('shows a signed long after a buy, with its entry price, and a short after selling through zero', async () => {
      expect((await ex.positions()).find((p) => p.symbol === SYMBOL)).toBeUndefined();
      await market('BUY', 2);
      const long = (await ex.positions()).find((p) => p.symbol === SYMBOL)!;
      expect(long.quantity).toBe(2);
      near(long.entryPrice, 100);

      await t.setMark(SYMBOL, 110);
      const marked = (await ex.positions()).find((p) => p.symbol === SYMBOL)!;
      near(marked.markPrice, 110);
      expect(marked.unrealizedPnlUsd).toBeCloseTo(2 * (marked.markPrice - marked.entryPrice), 6);
      expect(accountEquityUsd(await ex.balance(), await ex.positions())).toBeGreaterThan(
        (await ex.balance()).walletUsd,
      );

      await market('SELL', 3);
      const short = (await ex.positions()).find((p) => p.symbol === SYMBOL)!;
      expect(short.quantity).toBe(-1);
      near(short.entryPrice, 110);
      await market('BUY', 1);
      expect((await ex.positions()).find((p) => p.symbol === SYMBOL)).toBeUndefined();
    });

    it('lists user trades oldest first, each with the id of the order that made it', async () => {
      const buy = await market('BUY', 1);
      const sell = await market('SELL', 1);
      const trades = await ex.userTrades(SYMBOL);
      const ours = trades.filter((x) => x.orderId === buy.orderId || x.orderId === sell.orderId);
      expect(ours.map((x) => [x.orderId, x.side, x.quantity])).toEqual([
        [buy.orderId, 'BUY', 1],
        [sell.orderId, 'SELL', 1],
      ]);
      for (const x of ours) {
        near(x.price, 100);
        expect(x.symbol).toBe(SYMBOL);
        expect(x.feeUsd).toBeGreaterThanOrEqual(0);
      }
      expect(trades.map((x) => x.timeMs)).toEqual(
        [...trades.map((x) => x.timeMs)].sort((a, b) => a - b),
      );
      expect(new Set(trades.map((x) => x.id)).size).toBe(trades.length);
    });

    it('keeps a LIMIT order away from the market open and lists it, with and without a symbol', async () => {
      const placed = await ex.placeOrder({
        clientOrderId: cid(),
        symbol: SYMBOL,
        side: 'BUY',
        type: 'LIMIT',
        quantity: 1,
        price: 50,
      });
      expect(placed).toMatchObject({
        status: 'NEW',
        type: 'LIMIT',
        price: 50,
        quantity: 1,
        executedQty: 0,
      });
      for (const open of [await ex.openOrders(SYMBOL), await ex.openOrders()]) {
        expect(open.find((o) => o.orderId === placed.orderId)).toMatchObject({
          clientOrderId: placed.clientOrderId,
          status: 'NEW',
          side: 'BUY',
          price: 50,
        });
      }
      expect((await ex.positions()).find((p) => p.symbol === SYMBOL)).toBeUndefined();
    });

    it('lists a resting Close-All STOP_MARKET (a protective stop) among the open orders, with and without a symbol', async () => {
      await market('BUY', 1);
      const placed = await ex.placeOrder({
        clientOrderId: cid(),
        symbol: SYMBOL,
        side: 'SELL',
        type: 'STOP_MARKET',
        quantity: 0,
        stopPrice: 90,
        closePosition: true,
      });
      for (const open of [await ex.openOrders(SYMBOL), await ex.openOrders()]) {
        const stop = open.find((o) => o.orderId === placed.orderId);
        expect(stop).toMatchObject({
          clientOrderId: placed.clientOrderId,
          symbol: SYMBOL,
          side: 'SELL',
          type: 'STOP_MARKET',
          status: 'NEW',
          stopPrice: 90,
          closePosition: true,
        });
        expect(cannotAddExposure(stop!)).toBe(true);
      }
    });

    it('fills a resting LIMIT order at its price once the market trades through it', async () => {
      const placed = await ex.placeOrder({
        clientOrderId: cid(),
        symbol: SYMBOL,
        side: 'BUY',
        type: 'LIMIT',
        quantity: 1,
        price: 95,
      });
      await t.setMark(SYMBOL, 94);
      expect(await ex.getOrder(SYMBOL, placed.clientOrderId)).toMatchObject({
        status: 'FILLED',
        executedQty: 1,
        avgPrice: 95,
      });
      expect((await ex.positions()).find((p) => p.symbol === SYMBOL)).toMatchObject({
        quantity: 1,
        entryPrice: 95,
      });
      expect((await ex.userTrades(SYMBOL)).find((x) => x.orderId === placed.orderId)).toMatchObject(
        { side: 'BUY', quantity: 1, price: 95 },
      );
      expect(await ex.openOrders(SYMBOL)).toEqual([]);
    });

    it('refuses a reduce-only order that would add to the position', async () => {
      await market('BUY', 1);
      const e = await ex
        .placeOrder({
          clientOrderId: cid(),
          symbol: SYMBOL,
          side: 'BUY',
          type: 'MARKET',
          quantity: 1,
          reduceOnly: true,
        })
        .catch((x: unknown) => x);
      expect((e as ExchangeError).kind).toBe('rejected');
      const closed = await ex.placeOrder({
        clientOrderId: cid(),
        symbol: SYMBOL,
        side: 'SELL',
        type: 'MARKET',
        quantity: 1,
        reduceOnly: true,
      });
      expect(closed.status).toBe('FILLED');
      expect((await ex.positions()).find((p) => p.symbol === SYMBOL)).toBeUndefined();
    });

    it('gives the newest `limit` trades, oldest first, when no start time is given', async () => {
      const placed = [];
      for (const side of ['BUY', 'SELL', 'BUY'] as const) placed.push(await market(side, 1));
      const newest = await ex.userTrades(SYMBOL, undefined, 2);
      expect(newest.map((x) => x.orderId)).toEqual([placed[1]!.orderId, placed[2]!.orderId]);
      const since = await ex.userTrades(SYMBOL, newest[0]!.timeMs);
      expect(since.map((x) => x.orderId)).toContain(placed[2]!.orderId);
    });

    it('places an order under our client order id and finds it again by that id', async () => {
      const id = cid();
      const placed = await ex.placeOrder({
        clientOrderId: id,
        symbol: SYMBOL,
        side: 'SELL',
        type: 'MARKET',
        quantity: 0.5,
      });
      expect(placed).toMatchObject({
        clientOrderId: id,
        symbol: SYMBOL,
        side: 'SELL',
        type: 'MARKET',
        status: 'FILLED',
        quantity: 0.5,
        executedQty: 0.5,
      });
      near(placed.avgPrice, 100);
      const found = await ex.getOrder(SYMBOL, id);
      expect(found).toMatchObject({ orderId: placed.orderId, clientOrderId: id, status: 'FILLED' });
      expect(await ex.getOrder(SYMBOL, cid())).toBeUndefined();
    });

    it('cancels an open order by client id', async () => {
      const id = cid();
      const placed = await ex.placeOrder({
        clientOrderId: id,
        symbol: SYMBOL,
        side: 'SELL',
        type: 'LIMIT',
        quantity: 1,
        price: 200,
      });
      const cancelled = await ex.cancelOrder(SYMBOL, id);
      expect(cancelled).toMatchObject({
        orderId: placed.orderId,
        clientOrderId: id,
        status: 'CANCELED',
        executedQty: 0,
      });
      expect(
        (await ex.openOrders(SYMBOL)).find((o) => o.orderId === placed.orderId),
      ).toBeUndefined();
      expect((await ex.getOrder(SYMBOL, id))?.status).toBe('CANCELED');
    });

    it('reports the mark price', async () => {
      await t.setMark(SYMBOL, 123.5);
      const m = await ex.markPrice(SYMBOL);
      expect(m).toMatchObject({ symbol: SYMBOL, markPrice: 123.5 });
      expect(m.timeMs).toBeGreaterThan(0);
    });

    it('returns at most `limit` one-minute candles, oldest first, that end at the latest mark', async () => {
      for (const p of [104, 97, 101]) await t.setMark(SYMBOL, p);
      const candles = await ex.candles(SYMBOL, 5);
      expect(candles.length).toBeGreaterThan(0);
      expect(candles.length).toBeLessThanOrEqual(5);
      for (const [i, c] of candles.entries()) {
        expect(c.low).toBeLessThanOrEqual(Math.min(c.open, c.close));
        expect(c.high).toBeGreaterThanOrEqual(Math.max(c.open, c.close));
        expect(c.closeTimeMs).toBeGreaterThan(c.openTimeMs);
        if (i > 0) expect(c.openTimeMs).toBeGreaterThan(candles[i - 1]!.openTimeMs);
      }
      expect(candles.at(-1)!.close).toBe(101);
      expect(Math.max(...candles.map((c) => c.high))).toBeGreaterThanOrEqual(104);
    });

    it("lists the symbol's rules and refuses what they forbid with Aster's codes", async () => {
      const rules = (await ex.symbolRules()).get(SYMBOL)!;
      expect(rules).toMatchObject({
        symbol: SYMBOL,
        status: 'TRADING',
        tickSize: 0.01,
        stepSize: 0.01,
        marketStepSize: 0.01,
        minNotional: 5,
      });
      const code = async (o: Partial<PlaceOrderRequest>) =>
        (
          (await ex
            .placeOrder({
              clientOrderId: cid(),
              symbol: SYMBOL,
              side: 'BUY',
              type: 'MARKET',
              quantity: 1,
              ...o,
            })
            .catch((x: unknown) => x)) as ExchangeError
        ).details?.code;
      expect(await code({ quantity: 1.234 })).toBe(-1111); // more decimals than the 0.01 step
      expect(await code({ quantity: 0.04 })).toBe(-4164); // 4 USD of notional at 100
      expect(await code({ type: 'LIMIT', price: 95.001 })).toBe(-1111);
      expect(await code({ type: 'LIMIT', price: 120 })).toBe(-4016); // above mark × 1.05
      expect(await code({ side: 'SELL', type: 'LIMIT', price: 90 })).toBe(-4024); // below mark × 0.95
      expect((await ex.openOrders(SYMBOL)).length).toBe(0);
      expect((await market('BUY', 0.05)).status).toBe('FILLED'); // 5 USD: the minimum notional
    });

    it('refuses an unknown symbol with ExchangeError("rejected")', async () => {
      const e = await ex
        .placeOrder({
          clientOrderId: cid(),
          symbol: 'NOSUCHUSDT',
          side: 'BUY',
          type: 'MARKET',
          quantity: 1,
        })
        .catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ExchangeError);
      expect((e as ExchangeError).kind).toBe('rejected');
      expect(await ex.getOrder(SYMBOL, 'never-sent')).toBeUndefined();
    });
  });
}
