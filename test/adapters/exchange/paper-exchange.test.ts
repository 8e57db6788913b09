import { describe, expect, test } from 'bun:test';
import { createPaperExchange } from '../../../src/adapters/exchange/paper/paper-exchange.ts';
import { createSyntheticMarket } from '../../../src/domain/market/synthetic.ts';
import { accountEquityUsd, ExchangeError } from '../../../src/ports/exchange.ts';

function setup(initial = 100_000) {
  const market = createSyntheticMarket({ seed: 11, startMs: 0, barMs: 60_000 });
  for (let i = 0; i < 10; i++) market.step();
  let now = 1_000_000;
  const ex = createPaperExchange({ market, initialBalanceUsd: initial, nowMs: () => now });
  return { market, ex, tick: (ms: number) => (now += ms) };
}

const refusal = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ExchangeError);
  return e as ExchangeError;
};

describe('paper exchange', () => {
  test('a market buy fills above the mark (slippage), charges the taker fee and opens a position', async () => {
    const { market, ex } = setup();
    const mark = market.price('BTCUSDT')!;
    const order = await ex.placeOrder({
      clientOrderId: 'c1',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: 0.5,
    });
    expect(order.status).toBe('FILLED');
    expect(order.avgPrice).toBeGreaterThan(mark);
    expect(order.avgPrice).toBeLessThan(mark * 1.001);
    const [pos] = await ex.positions();
    expect(pos).toMatchObject({ symbol: 'BTCUSDT', quantity: 0.5, entryPrice: order.avgPrice });
    const [trade] = await ex.userTrades('BTCUSDT');
    expect(trade).toMatchObject({ orderId: order.orderId, side: 'BUY', quantity: 0.5 });
    expect(trade!.feeUsd).toBeCloseTo(0.5 * order.avgPrice * 0.00035, 6);
    const bal = await ex.balance();
    expect(bal.walletUsd).toBeCloseTo(100_000 - trade!.feeUsd, 6);
    expect(accountEquityUsd(bal, await ex.positions())).toBeCloseTo(
      bal.walletUsd + pos!.unrealizedPnlUsd,
      6,
    );
  });

  test('closing realises P&L into the wallet and removes the position', async () => {
    const { market, ex } = setup();
    await ex.placeOrder({
      clientOrderId: 'o',
      symbol: 'ETHUSDT',
      side: 'SELL',
      type: 'MARKET',
      quantity: 2,
    });
    market.shock('ETHUSDT', -0.1);
    market.step();
    const close = await ex.placeOrder({
      clientOrderId: 'c',
      symbol: 'ETHUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: 2,
      reduceOnly: true,
    });
    expect(await ex.positions()).toEqual([]);
    const trades = await ex.userTrades('ETHUSDT');
    expect(trades[1]!.orderId).toBe(close.orderId);
    expect(trades[1]!.realizedPnlUsd).toBeGreaterThan(0);
    const bal = await ex.balance();
    expect(bal.walletUsd).toBeGreaterThan(100_000);
    expect(accountEquityUsd(bal, await ex.positions())).toBe(bal.walletUsd);
  });

  test('limit orders rest, show as open, fill when a bar trades through, and cancel', async () => {
    const { market, ex } = setup();
    const price = market.price('SOLUSDT')!;
    await ex.placeOrder({
      clientOrderId: 'far',
      symbol: 'SOLUSDT',
      side: 'BUY',
      type: 'LIMIT',
      quantity: 1,
      price: Math.round(price * 50) / 100,
    }); // on SOLUSDT's 0.01 tick;
    await ex.placeOrder({
      clientOrderId: 'near',
      symbol: 'SOLUSDT',
      side: 'BUY',
      type: 'LIMIT',
      quantity: 1,
      price: Math.round(price * 99) / 100,
    });
    expect((await ex.openOrders('SOLUSDT')).map((x) => x.clientOrderId)).toEqual(['far', 'near']);
    market.shock('SOLUSDT', -0.05);
    market.step();
    expect(ex.onBar()).toHaveLength(1);
    expect((await ex.getOrder('SOLUSDT', 'near'))!.status).toBe('FILLED');
    expect((await ex.cancelOrder('SOLUSDT', 'far')).status).toBe('CANCELED');
    expect(await ex.openOrders()).toEqual([]);
    expect((await refusal(ex.cancelOrder('SOLUSDT', 'far'))).details.code).toBe(-2011);
    expect(await ex.getOrder('SOLUSDT', 'never')).toBeUndefined();
    // An order is found under its own symbol only, as on Aster.
    expect(await ex.getOrder('BTCUSDT', 'near')).toBeUndefined();
  });

  test('refuses what Aster refuses, as typed errors, and changes nothing', async () => {
    const { ex } = setup(1_000);
    const base = { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: 0.01 } as const;
    await ex.placeOrder({ ...base, clientOrderId: 'dup' });
    const codes = [
      (await refusal(ex.placeOrder({ ...base, clientOrderId: 'dup' }))).details.code,
      (await refusal(ex.placeOrder({ ...base, clientOrderId: 'x1', symbol: 'NOPEUSDT' }))).details
        .code,
      (await refusal(ex.placeOrder({ ...base, clientOrderId: 'x2', quantity: Number.NaN }))).details
        .code,
      (await refusal(ex.placeOrder({ ...base, clientOrderId: 'x3', quantity: 10 }))).details.code,
      (await refusal(ex.placeOrder({ ...base, clientOrderId: 'x4', reduceOnly: true }))).details
        .code,
    ];
    expect(codes).toEqual([-4116, -1121, -1013, -2019, -2022]);
    expect(await ex.userTrades('BTCUSDT')).toHaveLength(1);
    expect((await refusal(ex.markPrice('NOPEUSDT'))).kind).toBe('rejected');
  });
});

describe('paper exchange positions', () => {
  test("are decimals on the symbol's grid, as an exchange's are, whatever float sums the fills make", async () => {
    const { ex } = setup();
    for (const [i, quantity] of [0.1, 0.2].entries())
      await ex.placeOrder({
        clientOrderId: `f${i}`,
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'MARKET',
        quantity,
      });
    const [pos] = await ex.positions();
    expect(pos!.quantity).toBe(0.3); // not 0.30000000000000004
    // So closing it is an order the exchange accepts.
    await ex.placeOrder({
      clientOrderId: 'close',
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'MARKET',
      quantity: pos!.quantity,
      reduceOnly: true,
    });
    expect(await ex.positions()).toEqual([]);
  });
});
