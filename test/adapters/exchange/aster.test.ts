// The Aster adapter against the fake Aster server with injected faults: an order is never placed
// twice (503 after execution, time-outs, late requests), 429/418 become typed errors with
// retryAfterMs, garbled bodies become bad_response, the clock offset is synced and resynced on
// -1021, and the fake itself refuses bad signatures, keys and timestamps.
import { afterEach, describe, expect, it } from 'bun:test';
import {
  type AsterExchangeSettings,
  createAsterExchange,
} from '../../../src/adapters/exchange/aster/aster-exchange.ts';
import { signPayload } from '../../../src/adapters/exchange/aster/sign.ts';
import {
  addressOfPrivateKey,
  recoverV3Signer,
  signV3,
} from '../../../src/adapters/exchange/aster/sign-v3.ts';
import {
  accountEquityUsd,
  ExchangeError,
  type PlaceOrderRequest,
} from '../../../src/ports/exchange.ts';
import { type FakeAster, type Fault, startFakeAster } from '../../fake-aster/server.ts';

const ORDER_PATH = '/fapi/v1/order';
const POST_ORDER = { method: 'POST', path: ORDER_PATH };
type Scheme = 'v1' | 'v3';
/** Where each scheme sends a new order. */
const ORDER_PATHS: Record<Scheme, string> = { v1: ORDER_PATH, v3: '/fapi/v3/order' };
const running: FakeAster[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((f) => f.stop()));
});

async function setup(over: Partial<AsterExchangeSettings> = {}, scheme: Scheme = 'v1') {
  const fake = await startFakeAster({ balanceUsd: 10_000 });
  running.push(fake);
  fake.setMark('BTCUSDT', 100);
  const usage: { usedWeight1m?: number; orderCount1m?: number }[] = [];
  const calls: [string, boolean][] = [];
  const ex = createAsterExchange({
    ...(scheme === 'v3'
      ? { wallet: fake.wallet }
      : { apiKey: fake.apiKey, apiSecret: fake.apiSecret }),
    baseUrl: fake.url,
    nowMs: Date.now,
    // Small numbers so the recovery paths run in well under a second.
    timeoutMs: 200,
    recvWindowMs: 300,
    retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    recovery: { attempts: 4, delayMs: 20, settleMarginMs: 50, maxSends: 3 },
    onUsage: (u) => usage.push(u),
    onCall: (op, seconds, ok) => {
      expect(seconds).toBeGreaterThanOrEqual(0);
      calls.push([op, ok]);
    },
    ...over,
  });
  const count = (method: string, path: string) =>
    fake.requests.filter((r) => r.method === method && r.path === path).length;
  return { fake, ex, usage, calls, count };
}

const buy = (clientOrderId: string, quantity = 1): PlaceOrderRequest => ({
  clientOrderId,
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'MARKET',
  quantity,
});
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as ExchangeError,
  );

describe('placeOrder never places an order twice', () => {
  const executedThenLost: [string, Fault][] = [
    ['a 503 after the order executed', { kind: 'status', status: 503, apply: true }],
    ['a time-out after the order executed', { kind: 'hang', apply: true }],
    ['an answer slower than the time-out', { kind: 'delay', ms: 400 }],
    ['a connection reset after the order executed', { kind: 'reset', apply: true }],
    ['a garbled answer to an executed order', { kind: 'malformed' }],
  ];
  for (const [what, fault] of executedThenLost)
    for (const scheme of ['v1', 'v3'] as const) {
      it(`returns the existing order after ${what}, without sending it again (${scheme})`, async () => {
        const { fake, ex, count } = await setup({}, scheme);
        fake.inject(fault, { method: 'POST', path: ORDER_PATHS[scheme] });
        const placed = await ex.placeOrder(buy('lost-1', 2));
        expect(placed).toMatchObject({ clientOrderId: 'lost-1', status: 'FILLED', executedQty: 2 });
        expect(count('POST', ORDER_PATHS[scheme])).toBe(1);
        expect(count('POST', '/fapi/v3/noop')).toBe(0); // found by its client order id at once
        expect(fake.orders()).toHaveLength(1);
        expect((await ex.positions())[0]?.quantity).toBe(2);
      });
    }

  const neverExecuted: [string, Fault][] = [
    ['a 503 before execution', { kind: 'status', status: 503 }],
    ['a time-out before execution', { kind: 'hang' }],
    ['a 502', { kind: 'status', status: 502 }],
  ];
  for (const [what, fault] of neverExecuted) {
    it(`sends again after ${what} only once the exchange confirms it never saw the order and the first request can no longer execute`, async () => {
      const { fake, ex, count } = await setup();
      fake.inject(fault, POST_ORDER);
      const started = Date.now();
      const placed = await ex.placeOrder(buy('retry-1'));
      expect(placed).toMatchObject({ clientOrderId: 'retry-1', status: 'FILLED' });
      expect(count('POST', ORDER_PATH)).toBe(2);
      expect(fake.orders()).toHaveLength(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(300); // waited out recvWindow
    });
  }

  it('finds a request that arrives late but inside recvWindow instead of sending a second one', async () => {
    const { fake, ex, count } = await setup({ recvWindowMs: 600 });
    fake.inject({ kind: 'late', ms: 300 }, POST_ORDER); // times out at 200 ms, executes at 300 ms
    const placed = await ex.placeOrder(buy('late-1'));
    expect(placed.status).toBe('FILLED');
    expect(count('POST', ORDER_PATH)).toBe(1);
    expect(fake.orders()).toHaveLength(1);
  });

  it('sends again when the late request arrives after recvWindow and the exchange refuses it', async () => {
    const { fake, ex, count } = await setup({ recvWindowMs: 600 });
    fake.inject({ kind: 'late', ms: 1_000 }, POST_ORDER); // refused with -1021 at 1,000 ms
    const placed = await ex.placeOrder(buy('late-2'));
    expect(placed.status).toBe('FILLED');
    expect(count('POST', ORDER_PATH)).toBe(2);
    // The first request reaches the exchange only after the re-send, and is refused as stale.
    const first = fake.requests.find((r) => r.method === 'POST')!;
    for (let waited = 0; first.status === 'none' && waited < 2_000; waited += 20)
      await Bun.sleep(20);
    expect(fake.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([
      400, 200,
    ]);
    expect(fake.orders()).toHaveLength(1);
  });

  it('throws unknown_outcome when the order cannot be looked up, and places nothing more', async () => {
    const { fake, ex, count } = await setup();
    fake.inject({ kind: 'status', status: 503, apply: true }, POST_ORDER);
    fake.inject({ kind: 'status', status: 500 }, { method: 'GET', path: ORDER_PATH }, 100);
    const e = await failure(ex.placeOrder(buy('unknown-1')));
    expect(e).toBeInstanceOf(ExchangeError);
    expect(e.kind).toBe('unknown_outcome');
    expect(e.message).not.toContain('signature');
    expect(count('POST', ORDER_PATH)).toBe(1);
    expect(count('GET', ORDER_PATH)).toBe(4);
    expect(fake.orders()).toHaveLength(1);
  });

  it('gives up after maxSends when every send is lost before execution, with nothing placed', async () => {
    const { fake, ex, count } = await setup({
      recovery: { attempts: 4, delayMs: 20, settleMarginMs: 50, maxSends: 2 },
    });
    fake.inject({ kind: 'status', status: 503 }, POST_ORDER, 5);
    const e = await failure(ex.placeOrder(buy('never-1')));
    expect(e.kind).toBe('unavailable');
    expect(count('POST', ORDER_PATH)).toBe(2);
    expect(fake.orders()).toHaveLength(0);
  });

  it('does not look anything up after a refusal: the order was not placed', async () => {
    const { fake, ex, count } = await setup();
    fake.inject({ kind: 'rate_limit', retryAfterS: 3 }, POST_ORDER);
    const e = await failure(ex.placeOrder(buy('limited-1')));
    expect([e.kind, e.details.retryAfterMs]).toEqual(['rate_limited', 3000]);
    expect(count('GET', ORDER_PATH)).toBe(0);
    expect(fake.orders()).toHaveLength(0);
  });

  it('cancels once even when the cancel answer is lost after the cancel executed', async () => {
    const { fake, ex } = await setup();
    fake.setMark('BTCUSDT', 1_000); // a BTC price its PRICE_FILTER accepts (min 556.8)
    await ex.placeOrder({
      clientOrderId: 'rest-1',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      quantity: 1,
      price: 600,
    });
    fake.inject(
      { kind: 'status', status: 503, apply: true },
      { method: 'DELETE', path: ORDER_PATH },
    );
    expect((await ex.cancelOrder('BTCUSDT', 'rest-1')).status).toBe('CANCELED');
    expect(fake.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1);
  });

  it('sends a cancel again when its request was lost before it executed and the order is still open', async () => {
    const { fake, ex } = await setup();
    fake.setMark('BTCUSDT', 1_000);
    await ex.placeOrder({
      clientOrderId: 'rest-2',
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      quantity: 1,
      price: 1_500,
    });
    fake.inject({ kind: 'hang' }, { method: 'DELETE', path: ORDER_PATH });
    expect((await ex.cancelOrder('BTCUSDT', 'rest-2')).status).toBe('CANCELED');
    expect(fake.requests.filter((r) => r.method === 'DELETE').map((r) => r.status)).toEqual([
      'none',
      200,
    ]);
  });
});

describe('HTTP failures become typed ExchangeErrors', () => {
  it('429 is rate_limited and 418 is banned, each with retryAfterMs from Retry-After, and neither is retried', async () => {
    const { fake, ex, count } = await setup();
    fake.inject({ kind: 'rate_limit', retryAfterS: 7 }, { path: '/fapi/v2/balance' });
    const limited = await failure(ex.balance());
    expect([limited.kind, limited.details.status, limited.details.retryAfterMs]).toEqual([
      'rate_limited',
      429,
      7000,
    ]);
    fake.inject({ kind: 'ban', retryAfterS: 120 }, { path: '/fapi/v2/balance' });
    const banned = await failure(ex.balance());
    expect([banned.kind, banned.details.status, banned.details.retryAfterMs]).toEqual([
      'banned',
      418,
      120_000,
    ]);
    expect(count('GET', '/fapi/v2/balance')).toBe(2);
  });

  it('answers past the weight budget are 429 from the fake itself', async () => {
    const fake = await startFakeAster({ weightLimit1m: 12 });
    running.push(fake);
    const ex = createAsterExchange({
      baseUrl: fake.url,
      apiKey: fake.apiKey,
      apiSecret: fake.apiSecret,
      nowMs: Date.now,
    });
    await ex.balance(); // 1 (time) + 5
    await ex.balance(); // 11
    const e = await failure(ex.balance());
    expect(e.kind).toBe('rate_limited');
    expect(e.details.retryAfterMs).toBeGreaterThan(0);
  });

  for (const [what, fault] of [
    ['a body that is not JSON', { kind: 'malformed' }],
    ['JSON of the wrong shape', { kind: 'off_schema' }],
  ] as [string, Fault][]) {
    it(`turns ${what} into bad_response after the read retries, and succeeds when a retry gets a good answer`, async () => {
      const { fake, ex, count } = await setup();
      fake.inject(fault, { path: '/fapi/v2/positionRisk' }, 3);
      const e = await failure(ex.positions());
      expect(e).toBeInstanceOf(ExchangeError);
      expect(e.kind).toBe('bad_response');
      expect(count('GET', '/fapi/v2/positionRisk')).toBe(3);
      fake.inject(fault, { path: '/fapi/v1/premiumIndex' }, 1);
      expect((await ex.markPrice('BTCUSDT')).markPrice).toBe(100);
    });
  }

  it('rejects a decimal field that is not a decimal string', async () => {
    const { ex } = await setup({
      fetch: (async () =>
        new Response(JSON.stringify({ symbol: 'BTCUSDT', markPrice: 101.5, time: 1 }), {
          status: 200,
        })) as unknown as typeof fetch,
    });
    const e = await failure(ex.markPrice('BTCUSDT'));
    expect([e.kind, e.message]).toEqual(['bad_response', expect.stringContaining('markPrice')]);
  });

  it('maps 503 to unknown_outcome, other 5xx and resets to unavailable, silence to timeout', async () => {
    const { fake, ex } = await setup({ retry: { attempts: 1 } });
    await ex.balance();
    const cases: [Fault, ExchangeError['kind']][] = [
      [{ kind: 'status', status: 503 }, 'unknown_outcome'],
      [{ kind: 'status', status: 500 }, 'unavailable'],
      [{ kind: 'reset' }, 'unavailable'],
      [{ kind: 'hang' }, 'timeout'],
    ];
    for (const [fault, kind] of cases) {
      fake.clearFaults();
      fake.inject(fault, { path: '/fapi/v2/balance' }, 2);
      const e = await failure(ex.balance());
      expect(e.kind).toBe(kind);
      expect(e.isOutage).toBe(true);
    }
  });

  it('retries reads through outages', async () => {
    const { fake, ex, count } = await setup();
    fake.inject({ kind: 'hang' }, { path: '/fapi/v2/balance' });
    fake.inject({ kind: 'status', status: 502 }, { path: '/fapi/v2/balance' });
    expect((await ex.balance()).walletUsd).toBe(10_000);
    expect(fake.requests.filter((r) => r.path === '/fapi/v2/balance').map((r) => r.status)).toEqual(
      ['none', 502, 200],
    );
    expect(count('GET', '/fapi/v2/balance')).toBe(3);
  });

  it('turns {code, msg} 4xx answers into rejected with the code', async () => {
    const { ex } = await setup();
    const e = await failure(ex.userTrades('NOSUCHUSDT'));
    expect([e.kind, e.details.status, e.details.code, e.isOutage]).toEqual([
      'rejected',
      400,
      -1121,
      false,
    ]);
  });
});

describe("the fake server's test hooks", () => {
  it('seeds balance, positions and foreign trades that read back through the adapter', async () => {
    const { fake, ex } = await setup();
    fake.setBalance(2_500);
    fake.setPosition('ETHUSDT', -3, 2_000);
    fake.setMark('ETHUSDT', 1_900);
    const foreign = fake.addForeignTrade({
      symbol: 'ETHUSDT',
      side: 'SELL',
      qty: 1,
      price: 1_900,
      fee: 0,
    });
    // Averaged into the short: (3 × 2,000 + 1 × 1,900) / 4 = 1,975.
    expect(await ex.positions()).toEqual([
      {
        symbol: 'ETHUSDT',
        quantity: -4,
        entryPrice: 1_975,
        markPrice: 1_900,
        unrealizedPnlUsd: 300,
      },
    ]);
    const [trade] = await ex.userTrades('ETHUSDT');
    expect(trade).toMatchObject({
      id: String(foreign.id),
      orderId: String(foreign.orderId),
      side: 'SELL',
      quantity: 1,
      price: 1_900,
      feeUsd: 0,
    });
    expect(await ex.balance()).toMatchObject({ walletUsd: 2_500 });
    expect(accountEquityUsd(await ex.balance(), await ex.positions())).toBe(2_800);
    fake.setMark('ETHUSDT', 2_000);
    expect(accountEquityUsd(await ex.balance(), await ex.positions())).toBe(2_400);
  });
});

describe('clock offset', () => {
  it('syncs from /fapi/v1/time before the first signed request, so a skewed server clock is no problem', async () => {
    const { fake, ex } = await setup();
    fake.clockOffsetMs = 30_000;
    expect((await ex.balance()).walletUsd).toBe(10_000);
    expect(fake.requests.map((r) => `${r.path} ${r.status}`).slice(0, 2)).toEqual([
      '/fapi/v1/time 200',
      '/fapi/v2/balance 200',
    ]);
  });

  it('resyncs on -1021 and sends the request again', async () => {
    const { fake, ex } = await setup();
    await ex.balance();
    fake.clockOffsetMs = -20_000; // our timestamps are now 20 s ahead of the server
    expect((await ex.balance()).walletUsd).toBe(10_000);
    expect(fake.requests.slice(-3).map((r) => `${r.path} ${r.status}`)).toEqual([
      '/fapi/v2/balance 400',
      '/fapi/v1/time 200',
      '/fapi/v2/balance 200',
    ]);
    fake.clockOffsetMs = 25_000;
    await ex.placeOrder(buy('clock-1'));
    expect(fake.orders()).toHaveLength(1);
  });

  it('is measured as server minus local time', async () => {
    const { fake, ex } = await setup();
    fake.clockOffsetMs = 5_000;
    expect(Math.abs((await ex.syncTime()) - 5_000)).toBeLessThan(100);
  });
});

describe('the fake server checks what the real one checks', () => {
  it('refuses a request signed with another secret (-1022) and an unknown API key (-2015)', async () => {
    const { fake } = await setup();
    const wrongSecret = createAsterExchange({
      baseUrl: fake.url,
      apiKey: fake.apiKey,
      apiSecret: 'not-the-secret',
      nowMs: Date.now,
    });
    const e1 = await failure(wrongSecret.balance());
    expect([e1.kind, e1.details.code]).toEqual(['rejected', -1022]);
    const wrongKey = createAsterExchange({
      baseUrl: fake.url,
      apiKey: 'someone-else',
      apiSecret: fake.apiSecret,
      nowMs: Date.now,
    });
    const e2 = await failure(wrongKey.balance());
    expect([e2.kind, e2.details.status, e2.details.code]).toEqual(['rejected', 401, -2015]);
    expect(fake.orders()).toHaveLength(0);
  });

  it('refuses a signed query that was altered after signing, and stale or future timestamps', async () => {
    const { fake } = await setup();
    const send = async (query: string, signedQuery = query) => {
      const res = await fetch(`${fake.url}/fapi/v1/order`, {
        method: 'POST',
        headers: {
          'X-MBX-APIKEY': fake.apiKey,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: `${query}&signature=${signPayload(fake.apiSecret, signedQuery)}`,
      });
      return [res.status, ((await res.json()) as { code?: number }).code];
    };
    const q = (qty: number, ts = Date.now()) =>
      `symbol=BTCUSDT&side=BUY&type=MARKET&quantity=${qty}&newClientOrderId=raw-${qty}-${ts}&recvWindow=5000&timestamp=${ts}`;
    const now = Date.now();
    expect(await send(q(100, now), q(1, now))).toEqual([400, -1022]);
    expect(await send(q(1, Date.now() - 6_000))).toEqual([400, -1021]);
    expect(await send(q(1, Date.now() + 2_000))).toEqual([400, -1021]);
    expect(fake.orders()).toHaveLength(0);
    expect((await send(q(1)))[0]).toBe(200);
    expect(fake.orders()).toHaveLength(1);
  });
});

describe('the fake server checks V3 requests as the V3 docs say', () => {
  /** Sends a raw V3 request (parameters in the body) signed over `signed` (default: what is sent). */
  async function setupRaw() {
    const { fake } = await setup({}, 'v3');
    const w = fake.wallet;
    const send = async (
      query: string,
      o: { signed?: string; key?: string; chainId?: number; path?: string; signer?: string } = {},
    ) => {
      const body = `${query}&user=${w.user}&signer=${o.signer ?? w.signer}`;
      const signedBody =
        o.signed === undefined ? body : `${o.signed}&user=${w.user}&signer=${o.signer ?? w.signer}`;
      const res = await fetch(`${fake.url}${o.path ?? '/fapi/v3/order'}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `${body}&signature=${signV3(signedBody, o.key ?? w.privateKey, o.chainId ?? w.chainId)}`,
      });
      return [res.status, ((await res.json()) as { code?: number }).code];
    };
    let last = Date.now() * 1000;
    const nonce = () => (last = Math.max(last + 1, Date.now() * 1000));
    const order = (qty: number, n = nonce()) =>
      `symbol=BTCUSDT&side=BUY&type=MARKET&quantity=${qty}&newClientOrderId=raw-${n}&nonce=${n}`;
    return { fake, send, nonce, order };
  }

  it('accepts a well-signed order, and refuses the same request sent again: a reused nonce (-4225)', async () => {
    const { fake, send, order } = await setupRaw();
    const q = order(1);
    expect(await send(q)).toEqual([200, undefined]);
    expect(await send(q)).toEqual([400, -4225]);
    expect(fake.orders()).toHaveLength(1);
  });

  it('refuses a tampered request, another chain id and another key (-1022), an unregistered signer (-2015)', async () => {
    const { fake, send, order, nonce } = await setupRaw();
    const n = nonce();
    expect(await send(order(100, n), { signed: order(1, n) })).toEqual([400, -1022]);
    expect(await send(order(1), { chainId: 714 })).toEqual([400, -1022]);
    const other = `0x${'7'.repeat(64)}`;
    expect(await send(order(1), { key: other })).toEqual([400, -1022]);
    expect(await send(order(1), { key: other, signer: addressOfPrivateKey(other) })).toEqual([
      401, -2015,
    ]);
    expect(fake.orders()).toHaveLength(0);
    // None of the refused requests took a nonce: the first of them is still good.
    expect(await send(order(1, n))).toEqual([200, undefined]);
  });

  it('refuses a nonce more than 10 s from its clock, and one below the minimum of the last 100', async () => {
    const { fake, send, order, nonce } = await setupRaw();
    expect(await send(order(1, (Date.now() - 11_000) * 1000))).toEqual([400, -4225]);
    expect(await send(order(1, (Date.now() + 11_000) * 1000))).toEqual([400, -4225]);
    const early = nonce();
    for (let i = 0; i < 100; i++)
      expect(await send(`nonce=${nonce()}`, { path: '/fapi/v3/noop' })).toEqual([200, 200]);
    expect(await send(order(1, early))).toEqual([400, -4225]); // unused, inside the window, but below the last 100
    expect(fake.orders()).toHaveLength(0);
  });

  it('wants user, signer, nonce and signature on V3 paths, and HMAC on V1 paths', async () => {
    const { fake } = await setupRaw();
    const res = await fetch(`${fake.url}/fapi/v3/balance?timestamp=${Date.now()}&signature=00`, {
      headers: { 'X-MBX-APIKEY': fake.apiKey },
    });
    expect([res.status, ((await res.json()) as { code: number }).code]).toEqual([400, -1102]);
    const v1 = await fetch(
      `${fake.url}/fapi/v2/balance?nonce=${Date.now() * 1000}&user=${fake.wallet.user}&signer=${fake.wallet.signer}&signature=00`,
    );
    expect([v1.status, ((await v1.json()) as { code: number }).code]).toEqual([400, -2014]);
  });
});

describe('usage and latency reports', () => {
  it('reports the used-weight and order-count headers and one timing per request', async () => {
    const { ex, usage, calls } = await setup();
    await ex.balance();
    await ex.placeOrder(buy('usage-1'));
    expect(usage.map((u) => u.usedWeight1m)).toEqual([1, 6, 7]);
    expect(usage.at(-1)?.orderCount1m).toBe(1);
    expect(calls).toEqual([
      ['time', true],
      ['balance', true],
      ['new_order', true],
    ]);
  });

  it('counts failed requests, off-schema answers included, as not ok', async () => {
    const { fake, ex, calls } = await setup({ retry: { attempts: 1 } });
    fake.inject({ kind: 'status', status: 500 }, { path: '/fapi/v1/klines' });
    await failure(ex.candles('BTCUSDT', 10));
    fake.inject({ kind: 'off_schema' }, { path: '/fapi/v1/klines' });
    await failure(ex.candles('BTCUSDT', 10));
    expect(calls).toEqual([
      ['klines', false],
      ['klines', false],
    ]);
  });
});

describe('V3: an order whose answer is lost is settled with a noop, never placed twice', () => {
  const V3_ORDER = { method: 'POST', path: ORDER_PATHS.v3 };
  const statuses = (fake: FakeAster, path: string) =>
    fake.requests.filter((r) => r.method === 'POST' && r.path === path).map((r) => r.status);
  const settled = async (fake: FakeAster) => {
    for (
      let waited = 0;
      fake.requests.some((r) => r.status === 'none') && waited < 3_000;
      waited += 20
    )
      await Bun.sleep(20);
  };

  const neverExecuted: [string, Fault][] = [
    ['a 503 before execution', { kind: 'status', status: 503 }],
    ['a time-out before execution', { kind: 'hang' }],
    ['a 502', { kind: 'status', status: 502 }],
  ];
  for (const [what, fault] of neverExecuted) {
    it(`after ${what}: not found, the noop takes the nonce, one re-send, well inside the 10 s nonce window`, async () => {
      const { fake, ex } = await setup({}, 'v3');
      fake.inject(fault, V3_ORDER);
      const started = Date.now();
      const placed = await ex.placeOrder(buy('v3-retry-1'));
      expect(placed).toMatchObject({ clientOrderId: 'v3-retry-1', status: 'FILLED' });
      expect(statuses(fake, '/fapi/v3/noop')).toEqual([200]);
      expect(statuses(fake, ORDER_PATHS.v3)).toHaveLength(2);
      expect(fake.orders()).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(2_000);
    });
  }

  it('refuses the lost request when it arrives after the noop (-4225), so the re-send is the only order', async () => {
    const { fake, ex } = await setup({}, 'v3');
    fake.inject({ kind: 'late', ms: 700 }, V3_ORDER); // times out at 200 ms, arrives at 700 ms
    const placed = await ex.placeOrder(buy('v3-late-1'));
    expect(placed.status).toBe('FILLED');
    await settled(fake);
    expect(statuses(fake, ORDER_PATHS.v3)).toEqual([400, 200]);
    expect(statuses(fake, '/fapi/v3/noop')).toEqual([200]);
    expect(fake.orders()).toHaveLength(1);
  });

  it('finds the lost request when it took its nonce before the noop (noop refused -4225), and sends nothing more', async () => {
    const { fake, ex } = await setup({}, 'v3');
    fake.inject({ kind: 'late', ms: 300 }, V3_ORDER); // times out at 200 ms, executes at 300 ms
    fake.inject({ kind: 'delay', ms: 250 }, { method: 'GET', path: ORDER_PATHS.v3 }); // the look-up answers "unknown" after it
    const placed = await ex.placeOrder(buy('v3-late-2'));
    expect(placed).toMatchObject({ clientOrderId: 'v3-late-2', status: 'FILLED' });
    expect(statuses(fake, '/fapi/v3/noop')).toEqual([400]);
    expect(statuses(fake, ORDER_PATHS.v3)).toHaveLength(1);
    expect(fake.orders()).toHaveLength(1);
  });

  it('looks once more after an accepted noop: an order that executed anyway (the docs promise the noop no success) is returned, not doubled', async () => {
    const { fake, ex } = await setup({}, 'v3');
    fake.inject({ kind: 'late', ms: 300 }, V3_ORDER); // times out at 200 ms, executes at 300 ms
    fake.inject({ kind: 'delay', ms: 250 }, { method: 'GET', path: ORDER_PATHS.v3 }); // the first look-up says "not there"
    fake.inject({ kind: 'noop_unheeded' }, { path: '/fapi/v3/noop' });
    const placed = await ex.placeOrder(buy('v3-unheeded-1'));
    expect(placed).toMatchObject({ clientOrderId: 'v3-unheeded-1', status: 'FILLED' });
    expect(statuses(fake, '/fapi/v3/noop')).toEqual([200]);
    expect(statuses(fake, ORDER_PATHS.v3)).toHaveLength(1);
    expect(fake.orders()).toHaveLength(1);
  });

  it('throws unknown_outcome when neither the look-ups nor the noop get through, and places nothing more', async () => {
    const { fake, ex } = await setup({}, 'v3');
    fake.inject({ kind: 'status', status: 503, apply: true }, V3_ORDER);
    fake.inject({ kind: 'status', status: 500 }, { method: 'GET', path: ORDER_PATHS.v3 }, 100);
    fake.inject({ kind: 'status', status: 500 }, { path: '/fapi/v3/noop' }, 100);
    const e = await failure(ex.placeOrder(buy('v3-unknown-1')));
    expect(e.kind).toBe('unknown_outcome');
    expect(statuses(fake, ORDER_PATHS.v3)).toHaveLength(1);
    expect(fake.orders()).toHaveLength(1);
  });
});

describe('V3: what goes on the wire', () => {
  it('sends an order to /fapi/v3/order with its parameters in key order, nonce, user and signer, and a signature over exactly that body', async () => {
    const seen: { url: string; body: string; headers: Record<string, string> }[] = [];
    const spy = (async (url: string, init: RequestInit) => {
      seen.push({
        url,
        body: String(init.body ?? ''),
        headers: init.headers as Record<string, string>,
      });
      return fetch(url, init);
    }) as typeof fetch;
    const { fake, ex } = await setup({ fetch: spy }, 'v3');
    await ex.placeOrder(buy('wire-1'));
    const post = seen.find((r) => r.url.endsWith('/fapi/v3/order'))!;
    const [unsigned, signature] = post.body.split('&signature=') as [string, string];
    const keys = unsigned.split('&').map((kv) => kv.split('=')[0]!);
    expect(keys).toEqual([...keys].sort());
    expect(keys).toEqual(
      expect.arrayContaining(['nonce', 'user', 'signer', 'symbol', 'newClientOrderId']),
    );
    expect(keys).not.toContain('timestamp');
    expect(keys).not.toContain('recvWindow');
    expect(post.headers['X-MBX-APIKEY']).toBeUndefined();
    expect(recoverV3Signer(unsigned, signature, 1666)).toBe(fake.wallet.signer);
  });
});

describe('V3: nonces and the server clock', () => {
  it('gives concurrent requests of the same millisecond distinct, increasing nonces', async () => {
    const { fake } = await setup({}, 'v3');
    const frozen = Date.now(); // every request of this client is stamped in the same millisecond
    const ex = createAsterExchange({ wallet: fake.wallet, baseUrl: fake.url, nowMs: () => frozen });
    const answers = await Promise.all(Array.from({ length: 20 }, () => ex.balance()));
    expect(answers.every((b) => b.walletUsd === 10_000)).toBe(true);
    expect(statuses(fake)).toEqual(Array(21).fill(200)); // the time sync + 20 balances, none refused as a reused nonce
  });

  it('spreads the first nonces of clients in the same millisecond over its microseconds (nonces are per user, not per process)', async () => {
    const { fake } = await setup({}, 'v3');
    const frozen = Date.now();
    const firstNonces = [];
    for (let i = 0; i < 5; i++) {
      let nonce = '';
      const spy = (async (url: string, init: RequestInit) => {
        nonce ||= /nonce=(\d+)/.exec(String(init.body ?? url))?.[1] ?? '';
        return fetch(url, init);
      }) as typeof fetch;
      await createAsterExchange({
        wallet: fake.wallet,
        baseUrl: fake.url,
        nowMs: () => frozen,
        fetch: spy,
      }).balance();
      firstNonces.push(nonce);
    }
    expect(firstNonces.every((n) => Math.abs(Number(n) / 1000 - frozen) < 10_000)).toBe(true);
    expect(firstNonces.filter((n) => n.endsWith('000'))).not.toHaveLength(5); // a millisecond clock alone would give ms × 1000
    expect(new Set(firstNonces).size).toBe(5);
  });

  it('stamps nonces on the server clock it measured, so a server 30 s ahead is no problem', async () => {
    const { fake, ex } = await setup({}, 'v3');
    fake.clockOffsetMs = 30_000;
    expect((await ex.balance()).walletUsd).toBe(10_000);
    expect(fake.requests.map((r) => `${r.path} ${r.status}`)).toEqual([
      '/fapi/v3/time 200',
      '/fapi/v3/balance 200',
    ]);
  });

  it('turns a nonce the server refuses (-4225) into a typed refusal, resyncs, and does not re-send', async () => {
    const { fake, ex } = await setup({}, 'v3');
    await ex.balance();
    fake.clockOffsetMs = -20_000; // our nonces are now 20 s ahead of the server
    const e = await failure(ex.balance());
    expect([e.kind, e.details.code, e.isOutage]).toEqual(['rejected', -4225, false]);
    expect(fake.requests.slice(-2).map((r) => `${r.path} ${r.status}`)).toEqual([
      '/fapi/v3/balance 400',
      '/fapi/v3/time 200',
    ]);
    expect((await ex.balance()).walletUsd).toBe(10_000); // the next request uses the new offset
  });

  function statuses(fake: FakeAster) {
    return fake.requests.map((r) => r.status);
  }
});
