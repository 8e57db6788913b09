// guardExchange over an in-process Exchange: breakers per endpoint group, request weight and order
// budgets in WASM buckets, 429/418 pauses, the used-weight header, exchange metrics.
import { describe, expect, it } from 'bun:test';
import { guardExchange, klinesWeight } from '../../../src/adapters/exchange/guarded.ts';
import {
  type Exchange,
  ExchangeError,
  type ExchangeOrder,
  type PlaceOrderRequest,
} from '../../../src/ports/exchange.ts';
import { createTestResilience } from './helpers.ts';

const order = (r: { clientOrderId: string; symbol: string }): ExchangeOrder => ({
  orderId: '1',
  clientOrderId: r.clientOrderId,
  symbol: r.symbol,
  side: 'BUY',
  type: 'MARKET',
  status: 'FILLED',
  quantity: 1,
  executedQty: 1,
  avgPrice: 100,
  price: 0,
  timeMs: 0,
});

/** An Exchange whose every call is recorded (operation, clock time) and can be made to fail. */
function stubExchange(name: string, clock: { now: number }) {
  const sent: { op: string; atMs: number }[] = [];
  let failWith: ((op: string) => Error | undefined) | undefined;
  const hit = async <T>(op: string, value: T): Promise<T> => {
    const err = failWith?.(op);
    if (err) throw err;
    sent.push({ op, atMs: clock.now });
    return value;
  };
  const exchange: Exchange = {
    name,
    serverNowMs: () => clock.now,
    balance: () => hit('balance', { asset: 'USDT', walletUsd: 1, availableUsd: 1 }),
    positions: () => hit('positions', []),
    userTrades: () => hit('user_trades', []),
    openOrders: () => hit('open_orders', []),
    placeOrder: (r: PlaceOrderRequest) => hit('new_order', order(r)),
    getOrder: (symbol, clientOrderId) => hit('query_order', order({ symbol, clientOrderId })),
    cancelOrder: (symbol, clientOrderId) => hit('cancel_order', order({ symbol, clientOrderId })),
    markPrice: (symbol) => hit('mark_price', { symbol, markPrice: 100, timeMs: clock.now }),
    candles: () => hit('klines', []),
    income: () => hit('income', []),
    forcedOrders: () => hit('forced_orders', []),
    markPrices: () => hit('mark_prices', []),
    marginAccount: () =>
      hit('margin_account', {
        walletUsd: 0,
        marginBalanceUsd: 0,
        maintenanceMarginUsd: 0,
        availableUsd: 0,
        positions: [],
        leverage: {},
        timeMs: clock.now,
      }),
    symbolRules: () => hit('exchange_info', new Map()),
  };
  return { exchange, sent, fail: (f: typeof failWith) => (failWith = f) };
}

const buy: PlaceOrderRequest = {
  clientOrderId: 'c1',
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'MARKET',
  quantity: 1,
};

async function setup(opts: { maxWaitMs?: number; name?: string } = {}) {
  const t = await createTestResilience();
  const stub = stubExchange(opts.name ?? 'aster', t.clock);
  const ex = guardExchange(stub.exchange, t.resilience, {
    metrics: t.metrics,
    maxWaitMs: opts.maxWaitMs ?? 0,
    reserve: 0,
    breaker: { failureThreshold: 3, openMs: 10_000 },
  });
  return { ...t, ...stub, ex };
}

describe('guardExchange: budgets', () => {
  it('charges each operation its request weight, and orders their order budget', async () => {
    const { ex } = await setup();
    const ip = () => ex.limiters.ipWeight.tokens();
    expect(ip()).toBe(1_200); // half of 2,400 as burst, the other half refilled over the minute
    await ex.balance();
    await ex.positions();
    await ex.userTrades('BTCUSDT');
    expect(ip()).toBe(1_185);
    await ex.openOrders('BTCUSDT');
    expect(ip()).toBe(1_184);
    await ex.openOrders();
    expect(ip()).toBe(1_144);
    await ex.candles('BTCUSDT', 500);
    await ex.markPrice('BTCUSDT');
    expect(ip()).toBe(1_138);
    await ex.symbolRules();
    expect(ip()).toBe(1_137);
    await ex.placeOrder(buy);
    await ex.getOrder('BTCUSDT', 'c1');
    await ex.cancelOrder('BTCUSDT', 'c1');
    expect(ip()).toBe(1_134);
    expect(ex.limiters.orders.tokens()).toBe(598); // place and cancel, not the lookup
  });

  it('keeps 5 % of each budget in reserve for requests the buckets never see', async () => {
    const t = await createTestResilience();
    const ex = guardExchange(stubExchange('aster', t.clock).exchange, t.resilience, {
      metrics: t.metrics,
    });
    expect(ex.limiters.ipWeight.stats()).toMatchObject({ capacity: 1_140, refillPerSec: 19 });
    expect(ex.limiters.orders.stats()).toMatchObject({ capacity: 570, refillPerSec: 9.5 });
  });

  it('weighs klines by limit as the API docs do', () => {
    expect([1, 99, 100, 499, 500, 1000, 1001, 1500].map(klinesWeight)).toEqual([
      1, 1, 2, 2, 5, 5, 10, 10,
    ]);
  });

  it('fails throttled without sending when the budget is spent, or waits for the refill when allowed to', async () => {
    const { ex, sent } = await setup();
    ex.limiters.ipWeight.setTokens(3);
    await expect(ex.balance()).rejects.toMatchObject({
      kind: 'throttled',
      details: { operation: 'balance' },
    });
    expect(sent).toEqual([]);
    const patient = await setup({ maxWaitMs: 1_000 });
    patient.ex.limiters.ipWeight.setTokens(3);
    await patient.ex.balance(); // 2 tokens short at 20/s: 100 ms
    expect(patient.clock.sleeps).toEqual([100]);
    expect(patient.sent).toHaveLength(1);
  });

  it('gives the order token back when the weight budget refuses an order', async () => {
    const { ex, sent } = await setup();
    ex.limiters.ipWeight.setTokens(0);
    await expect(ex.placeOrder(buy)).rejects.toMatchObject({ kind: 'throttled' });
    expect(ex.limiters.orders.tokens()).toBe(600);
    expect(sent).toEqual([]);
  });

  it('pauses the weight budget for a 429’s Retry-After', async () => {
    const { ex, sent, clock, fail } = await setup();
    fail((op) =>
      op === 'mark_price'
        ? new ExchangeError('rate_limited', 'HTTP 429', { status: 429, retryAfterMs: 3_000 })
        : undefined,
    );
    await expect(ex.markPrice('BTCUSDT')).rejects.toMatchObject({ kind: 'rate_limited' });
    fail(undefined);
    await expect(ex.balance()).rejects.toMatchObject({
      kind: 'throttled',
      details: { retryAfterMs: 3_000 },
    });
    clock.advance(3_000);
    await ex.balance();
    expect(sent.map((s) => s.op)).toEqual(['balance']);
  });

  it('pauses only the order budget for a 429 on an order', async () => {
    const { ex, fail } = await setup();
    fail((op) =>
      op === 'new_order'
        ? new ExchangeError('rate_limited', 'HTTP 429', { status: 429, retryAfterMs: 5_000 })
        : undefined,
    );
    await expect(ex.placeOrder(buy)).rejects.toMatchObject({ kind: 'rate_limited' });
    fail(undefined);
    await expect(ex.placeOrder(buy)).rejects.toMatchObject({ kind: 'throttled' });
    expect((await ex.markPrice('BTCUSDT')).markPrice).toBe(100);
  });

  it('stops every call for a 418’s Retry-After', async () => {
    const { ex, sent, clock, fail } = await setup();
    fail(() => new ExchangeError('banned', 'HTTP 418', { status: 418, retryAfterMs: 120_000 }));
    await expect(ex.balance()).rejects.toMatchObject({ kind: 'banned' });
    fail(undefined);
    for (const call of [
      () => ex.markPrice('BTCUSDT'),
      () => ex.positions(),
      () => ex.placeOrder(buy),
      () => ex.getOrder('BTCUSDT', 'c1'),
    ]) {
      await expect(call()).rejects.toMatchObject({ kind: 'throttled' });
    }
    expect(sent).toEqual([]);
    clock.advance(120_000);
    await ex.placeOrder(buy);
    expect(sent.map((s) => s.op)).toEqual(['new_order']);
  });

  it('lowers the weight budget to what the exchange says is left of the minute, never raises it', async () => {
    const { ex } = await setup();
    ex.onUsage({ usedWeight1m: 1_000 }); // 1,400 left: more than the bucket holds
    expect(ex.limiters.ipWeight.tokens()).toBe(1_200);
    ex.onUsage({ usedWeight1m: 2_000 });
    expect(ex.limiters.ipWeight.tokens()).toBe(400);
    ex.onUsage({ usedWeight1m: 10 });
    expect(ex.limiters.ipWeight.tokens()).toBe(400);
    ex.onUsage({ usedWeight1m: 5_000, orderCount1m: 1_190 });
    expect(ex.limiters.ipWeight.tokens()).toBe(0);
    expect(ex.limiters.orders.tokens()).toBe(10);
  });

  it('never sends more than the weight budget in any 60 s window, whatever the load', async () => {
    const { ex, sent, clock } = await setup();
    const weight: Record<string, number> = {
      balance: 5,
      positions: 5,
      open_orders: 40,
      klines: 2,
      mark_price: 1,
      new_order: 1,
    };
    const calls = [
      () => ex.balance(),
      () => ex.positions(),
      () => ex.openOrders(),
      () => ex.candles('BTCUSDT', 100),
      () => ex.markPrice('BTCUSDT'),
      () => ex.placeOrder(buy),
    ];
    let seed = 7;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    // Five minutes of bursts every 250 ms, far above the budget.
    for (let step = 0; step < 1_200; step++) {
      await Promise.allSettled(
        Array.from({ length: 1 + Math.floor(rand() * 8) }, () =>
          calls[Math.floor(rand() * calls.length)]!(),
        ),
      );
      clock.advance(250);
    }
    let worst = 0;
    for (const s of sent) {
      const inWindow = sent
        .filter((x) => x.atMs >= s.atMs && x.atMs < s.atMs + 60_000)
        .reduce((sum, x) => sum + weight[x.op]!, 0);
      worst = Math.max(worst, inWindow);
    }
    expect(worst).toBeLessThanOrEqual(2_400);
    expect(worst).toBeGreaterThan(2_000); // the budget was actually used, not starved
    expect(ex.limiters.ipWeight.stats().throttled).toBeGreaterThan(0);
  });
});

describe('guardExchange: breakers', () => {
  it('opens the breaker of one endpoint group only, and rejects its calls without sending', async () => {
    const { ex, sent, fail, resilience } = await setup();
    fail((op) =>
      op === 'mark_price' || op === 'klines'
        ? new ExchangeError('unavailable', 'HTTP 502', { status: 502 })
        : undefined,
    );
    for (let i = 0; i < 3; i++)
      await expect(ex.markPrice('BTCUSDT')).rejects.toMatchObject({ kind: 'unavailable' });
    fail(undefined);
    await expect(ex.candles('BTCUSDT', 10)).rejects.toMatchObject({
      code: 'circuit_open',
      service: 'aster.market',
    });
    await ex.balance();
    await ex.placeOrder(buy);
    expect(sent.map((s) => s.op)).toEqual(['balance', 'new_order']);
    const states = Object.fromEntries(resilience.stats().breakers.map((b) => [b.name, b.state]));
    expect(states).toEqual({
      'aster.market': 'open',
      'aster.account': 'closed',
      'aster.positions': 'closed',
      'aster.trades': 'closed',
      'aster.orders': 'closed',
    });
  });

  it('does not open on the exchange refusing requests, rate limits or throttling', async () => {
    const { ex, fail, resilience } = await setup();
    fail(
      () =>
        new ExchangeError('rejected', '-2019 Margin is insufficient', { status: 400, code: -2019 }),
    );
    for (let i = 0; i < 5; i++)
      await expect(ex.placeOrder(buy)).rejects.toMatchObject({ kind: 'rejected' });
    fail(() => new ExchangeError('rate_limited', 'HTTP 429', { status: 429, retryAfterMs: 1 }));
    await expect(ex.getOrder('BTCUSDT', 'c1')).rejects.toMatchObject({ kind: 'rate_limited' });
    for (let i = 0; i < 5; i++)
      await expect(ex.getOrder('BTCUSDT', 'c1')).rejects.toMatchObject({ kind: 'throttled' });
    expect(resilience.breaker('aster.orders').stats()).toMatchObject({
      state: 'closed',
      failures: 0,
    });
  });

  it('records latency and errors of sent calls in the exchange metrics', async () => {
    const { ex, fail, sample } = await setup();
    await ex.markPrice('BTCUSDT');
    fail(() => new ExchangeError('timeout', 'no answer'));
    await expect(ex.candles('BTCUSDT', 10)).rejects.toThrow();
    fail(undefined);
    ex.limiters.ipWeight.setTokens(0);
    await expect(ex.markPrice('BTCUSDT')).rejects.toMatchObject({ kind: 'throttled' }); // not sent: not observed
    expect(
      await sample('ais_exchange_latency_seconds_count', 'exchange="aster",operation="mark_price"'),
    ).toBe(1);
    expect(await sample('ais_exchange_errors_total', 'exchange="aster",operation="klines"')).toBe(
      1,
    );
    expect(await sample('ais_aster_errors_total', 'tool="klines"')).toBe(1);
    expect(await sample('ais_aster_latency_seconds_count', 'tool="mark_price"')).toBe(1);
  });
});
