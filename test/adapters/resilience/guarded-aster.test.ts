// guardExchange over the real Aster adapter and the fake Aster server (real HTTP on 127.0.0.1):
// the decorated exchange still passes the Exchange contract; over a simulated minute of heavy load
// the server never sees more than its 2,400 weight (and never answers 429); a 418 stops every call
// for its Retry-After. The registry runs on a clock the test moves; the adapter signs with real time.
import { afterEach, describe, expect, it } from 'bun:test';
import {
  type AsterExchangeOptions,
  type AsterExchangeSettings,
  createAsterExchange,
} from '../../../src/adapters/exchange/aster/aster-exchange.ts';
import type { AsterWallet } from '../../../src/adapters/exchange/aster/sign-v3.ts';
import { type GuardedExchange, guardExchange } from '../../../src/adapters/exchange/guarded.ts';
import type { ExchangeError } from '../../../src/ports/exchange.ts';
import { exchangeContract } from '../../contract/exchange.contract.ts';
import { type FakeAster, startFakeAster } from '../../fake-aster/server.ts';
import { createTestResilience } from './helpers.ts';

async function guardedAster(
  maxWaitMs = 0,
  settings: Partial<AsterExchangeOptions> & { v3?: (fake: FakeAster) => AsterWallet } = {},
) {
  const t = await createTestResilience();
  const fake = await startFakeAster({ balanceUsd: 1_000_000 });
  let guarded: GuardedExchange | undefined;
  const { v3, ...rest } = settings;
  const aster = createAsterExchange({
    ...(v3 ? { wallet: v3(fake) } : { apiKey: fake.apiKey, apiSecret: fake.apiSecret }),
    baseUrl: fake.url,
    nowMs: Date.now,
    onUsage: (u) => guarded?.onUsage(u),
    ...(rest as Partial<AsterExchangeSettings>),
  });
  guarded = guardExchange(aster, t.resilience, { metrics: t.metrics, maxWaitMs });
  return { ...t, fake, ex: guarded };
}

exchangeContract('aster behind guardExchange (fake server)', async () => {
  const { fake, ex } = await guardedAster(5_000);
  return {
    exchange: ex,
    setMark: (symbol, price) => fake.setMark(symbol, price),
    close: () => fake.stop(),
  };
});

/** Request weights as the fake server charges them, for the calls this test makes (klines limit 50, openOrders with a symbol). */
const WEIGHT: Record<string, number> = {
  '/fapi/v1/time': 1,
  '/fapi/v1/premiumIndex': 1,
  '/fapi/v1/klines': 1,
  '/fapi/v2/balance': 5,
  '/fapi/v2/positionRisk': 5,
  '/fapi/v1/userTrades': 5,
  '/fapi/v1/openOrders': 1,
  '/fapi/v1/order': 1,
};

describe('guardExchange over the fake Aster server', () => {
  let fake: FakeAster | undefined;
  afterEach(async () => {
    await fake?.stop();
    fake = undefined;
  });

  it('keeps a simulated minute of heavy load within the 2,400 weight budget', async () => {
    const t = await guardedAster();
    fake = t.fake;
    const { ex, clock } = t;
    fake.setMark('BTCUSDT', 60_000);
    let n = 0;
    const calls = [
      () => ex.balance(),
      () => ex.positions(),
      () => ex.userTrades('BTCUSDT'),
      () => ex.openOrders('BTCUSDT'),
      () => ex.markPrice('BTCUSDT'),
      () => ex.candles('BTCUSDT', 50),
      () =>
        ex.placeOrder({
          clientOrderId: `load-${++n}`,
          symbol: 'BTCUSDT',
          side: n % 2 ? 'BUY' : 'SELL',
          type: 'MARKET',
          quantity: 0.001,
        }),
    ];
    const outcomes: Record<string, number> = {};
    // 60 s in 500 ms steps, 20 calls a step (about 3× the budget).
    for (let step = 0; step < 120; step++) {
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => calls[(step * 20 + i) % calls.length]!()),
      );
      for (const r of results) {
        const key =
          r.status === 'fulfilled'
            ? 'ok'
            : String((r.reason as { kind?: string }).kind ?? r.reason);
        outcomes[key] = (outcomes[key] ?? 0) + 1;
      }
      clock.advance(500);
    }
    const answered = fake.requests.filter((r) => r.status !== 'none');
    const weight = answered.reduce((sum, r) => sum + WEIGHT[r.path]!, 0);
    expect(answered.filter((r) => r.status === 429 || r.status === 418)).toEqual([]);
    expect(weight).toBeLessThanOrEqual(2_400);
    expect(weight).toBeGreaterThan(2_100); // the budget was used, not starved (5 % is kept in reserve)
    expect(outcomes['throttled']).toBeGreaterThan(0);
    expect(Object.keys(outcomes).sort()).toEqual(['ok', 'throttled']);
    expect(fake.usedWeight1m).toBeLessThanOrEqual(2_400);
  }, 60_000);

  it('stops every call to the exchange for a 418’s Retry-After', async () => {
    const t = await guardedAster();
    fake = t.fake;
    const { ex, clock } = t;
    fake.setMark('BTCUSDT', 60_000);
    await ex.markPrice('BTCUSDT');
    fake.inject({ kind: 'ban', retryAfterS: 30 });
    await expect(ex.balance()).rejects.toMatchObject({
      kind: 'banned',
      details: { retryAfterMs: 30_000 },
    });
    const before = fake.requests.length;
    const all = [
      () => ex.markPrice('BTCUSDT'),
      () => ex.candles('BTCUSDT', 50),
      () => ex.positions(),
      () => ex.openOrders('BTCUSDT'),
      () =>
        ex.placeOrder({
          clientOrderId: 'after-ban',
          symbol: 'BTCUSDT',
          side: 'BUY',
          type: 'MARKET',
          quantity: 0.001,
        }),
      () => ex.getOrder('BTCUSDT', 'after-ban'),
    ];
    clock.advance(29_999);
    for (const call of all)
      await expect(call()).rejects.toMatchObject({
        kind: 'throttled',
        details: { retryAfterMs: 1 },
      });
    expect(fake.requests.length).toBe(before); // nothing was sent
    expect(t.resilience.stats().breakers.every((b) => b.state === 'closed')).toBe(true);
    clock.advance(1);
    for (const call of all) await call();
    expect(fake.requests.length).toBeGreaterThan(before);
    expect(fake.orders().map((o) => o.clientOrderId)).toContain('after-ban');
  });
});

describe('V3 refusals over guardExchange: typed, counted by code, not retried, not outages', () => {
  let fake: FakeAster | undefined;
  afterEach(async () => {
    await fake?.stop();
    fake = undefined;
  });
  const refused = async (p: Promise<unknown>) =>
    p.then(
      () => {
        throw new Error('expected a refusal');
      },
      (e: unknown) => e as ExchangeError,
    );
  const sent = (path: string) => fake!.requests.filter((r) => r.path === path).length;

  it('a wrong chain id is refused -1022 and counted under code="-1022"', async () => {
    const t = await guardedAster(0, { v3: (f) => ({ ...f.wallet, chainId: 714 }) });
    fake = t.fake;
    const e = await refused(t.ex.balance());
    expect([e.kind, e.details.code, e.isOutage]).toEqual(['rejected', -1022, false]);
    expect(sent('/fapi/v3/balance')).toBe(1);
    const text = await t.metrics.render();
    expect(text).toContain(
      'ais_exchange_refusals_total{exchange="aster",operation="balance",code="-1022"} 1',
    );
    expect(
      t.resilience.stats().breakers.every((b) => b.state === 'closed' && b.failures === 0),
    ).toBe(true);
  });

  it('a request altered after signing (a tampering proxy) is refused -1022, and the order is not sent again', async () => {
    const tamper = (async (url: string, init: RequestInit) =>
      fetch(url, {
        ...init,
        body:
          typeof init.body === 'string'
            ? init.body.replace('quantity=1&', 'quantity=9&')
            : init.body,
      })) as typeof fetch;
    const t = await guardedAster(0, { v3: (f) => f.wallet, fetch: tamper });
    fake = t.fake;
    t.fake.setMark('BTCUSDT', 100);
    const e = await refused(
      t.ex.placeOrder({
        clientOrderId: 'tamper-1',
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'MARKET',
        quantity: 1,
      }),
    );
    expect([e.kind, e.details.code]).toEqual(['rejected', -1022]);
    expect(sent('/fapi/v3/order')).toBe(1);
    expect(t.fake.orders()).toHaveLength(0);
    expect(await t.metrics.render()).toContain(
      'ais_exchange_refusals_total{exchange="aster",operation="new_order",code="-1022"} 1',
    );
  });

  it('a reused nonce (a proxy that delivers the signed request twice, answering the copy) is refused -4225 and counted', async () => {
    const twice = (async (url: string, init: RequestInit) => {
      await fetch(url, init);
      return fetch(url, init);
    }) as typeof fetch;
    const t = await guardedAster(0, { v3: (f) => f.wallet, fetch: twice });
    fake = t.fake;
    const e = await refused(t.ex.positions());
    expect([e.kind, e.details.code]).toEqual(['rejected', -4225]);
    expect(
      t.fake.requests.filter((r) => r.path === '/fapi/v3/positionRisk').map((r) => r.status),
    ).toEqual([200, 400]); // not re-sent
    expect(await t.metrics.render()).toContain(
      'ais_exchange_refusals_total{exchange="aster",operation="positions",code="-4225"} 1',
    );
  });
});
