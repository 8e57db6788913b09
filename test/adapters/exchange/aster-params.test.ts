// Parameters typed as the docs type them: the adapter never sends a LONG or INT that is not an
// unsigned integer (a clock estimate ending in .5 once went out as startTime=1733400000000.5 and a
// Binance-style server refuses it, -1100), and the fake server refuses what the exchange refuses.
import { afterEach, describe, expect, it } from 'bun:test';
import { createAsterExchange } from '../../../src/adapters/exchange/aster/aster-exchange.ts';
import {
  checkParamTypes,
  isIntegerParam,
} from '../../../src/adapters/exchange/aster/param-types.ts';
import { encodeParams, signPayload } from '../../../src/adapters/exchange/aster/sign.ts';
import { type ExchangeError, isExchangeError } from '../../../src/ports/exchange.ts';
import { type FakeAster, startFakeAster } from '../../fake-aster/server.ts';

const running: FakeAster[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((f) => f.stop()));
});

async function setup(scheme: 'v1' | 'v3' = 'v1') {
  const fake = await startFakeAster({ balanceUsd: 10_000, symbols: ['BTCUSDT'] });
  running.push(fake);
  fake.setMark('BTCUSDT', 100);
  const auth =
    scheme === 'v3' ? { wallet: fake.wallet } : { apiKey: fake.apiKey, apiSecret: fake.apiSecret };
  const ex = createAsterExchange({
    ...auth,
    baseUrl: fake.url,
    nowMs: Date.now,
    retry: { attempts: 1 },
  });
  return { fake, ex };
}

/** A V1-signed request sent by hand (the adapter would refuse to send these). */
async function rawSigned(
  fake: FakeAster,
  method: string,
  path: string,
  params: Record<string, string>,
) {
  const payload = `${encodeParams(params)}&timestamp=${Date.now()}`;
  const res = await fetch(
    `${fake.url}${path}?${payload}&signature=${signPayload(fake.apiSecret, payload)}`,
    { method, headers: { 'X-MBX-APIKEY': fake.apiKey } },
  );
  return { status: res.status, body: (await res.json()) as { code?: number; msg?: string } };
}

describe('checkParamTypes (the adapter side)', () => {
  it('accepts unsigned integers as numbers or digit strings', () => {
    for (const v of [0, 1, 1_733_400_000_000, '1733400000000', 2 ** 31 - 1])
      expect(isIntegerParam('INT', v) || isIntegerParam('LONG', v)).toBe(true);
    expect(() => checkParamTypes('x', { startTime: 1_733_400_000_000, limit: 1000 })).not.toThrow();
  });

  it('refuses fractions, negatives, NaN, exponents, booleans, and an INT past 2^31 - 1', () => {
    for (const v of [1_733_400_000_000.5, -1, Number.NaN, 1e21, '1e3', '12a', true])
      expect(isIntegerParam('LONG', v)).toBe(false);
    expect(isIntegerParam('INT', 2 ** 31)).toBe(false);
    expect(isIntegerParam('LONG', 2 ** 31)).toBe(true);
    let caught: unknown;
    try {
      checkParamTypes('user_trades', { symbol: 'BTCUSDT', startTime: 1_733_400_000_000.5 });
    } catch (e) {
      caught = e;
    }
    expect(isExchangeError(caught) && caught.kind).toBe('rejected');
    expect((caught as ExchangeError).message).toContain("parameter 'startTime' is a LONG");
  });

  it('leaves non-integer parameters alone (quantity is a DECIMAL, type an ENUM)', () => {
    expect(() => checkParamTypes('new_order', { quantity: 0.5, type: 'MARKET' })).not.toThrow();
  });
});

describe('the adapter sends integers where the docs say LONG or INT', () => {
  for (const scheme of ['v1', 'v3'] as const) {
    it(`floors a fractional window start of userTrades and income, so rows at that millisecond are read (${scheme})`, async () => {
      const { fake, ex } = await setup(scheme);
      const t = Date.now() - 5_000;
      fake.addForeignTrade({ symbol: 'BTCUSDT', side: 'BUY', qty: 0.01, price: 100, timeMs: t });
      fake.addFunding('BTCUSDT', -0.25, t);
      expect((await ex.userTrades('BTCUSDT', t + 0.5, 100)).map((x) => x.timeMs)).toEqual([t]);
      expect(
        (await ex.income(t + 0.5)).filter((x) => x.type === 'FUNDING_FEE').map((x) => x.amountUsd),
      ).toEqual([-0.25]);
      expect(fake.requests.filter((r) => r.status !== 200)).toEqual([]);
    });
  }

  it('refuses a fractional leverage without sending anything', async () => {
    const { fake, ex } = await setup();
    const e = await ex.setLeverage('BTCUSDT', 2.5).then(
      () => undefined,
      (err: unknown) => err as ExchangeError,
    );
    expect(e?.kind).toBe('rejected');
    expect(fake.requests.some((r) => r.path.endsWith('/leverage'))).toBe(false);
  });
});

describe('the fake server types parameters as the exchange does', () => {
  it('answers -1100 with the legal range for a fractional or negative LONG, V1 and V3 paths alike', async () => {
    const { fake } = await setup();
    const a = await rawSigned(fake, 'GET', '/fapi/v1/userTrades', {
      symbol: 'BTCUSDT',
      startTime: '1733400000000.5',
    });
    expect(a).toEqual({
      status: 400,
      body: {
        code: -1100,
        msg: "Illegal characters found in parameter 'startTime'; legal range is '^[0-9]{1,20}$'.",
      },
    });
    const b = await rawSigned(fake, 'GET', '/fapi/v1/income', { startTime: '-5' });
    expect(b.body.code).toBe(-1100);
    const c = await fetch(`${fake.url}/fapi/v3/income?startTime=1.5&nonce=1&user=u&signer=s`);
    expect([c.status, ((await c.json()) as { code: number }).code]).toEqual([400, -1100]);
  });

  it('answers -1100 for an INT limit past 2^31 - 1 and for a DECIMAL with an exponent', async () => {
    const { fake } = await setup();
    const limit = await fetch(
      `${fake.url}/fapi/v1/klines?symbol=BTCUSDT&interval=1m&limit=2147483648`,
    );
    expect(((await limit.json()) as { code: number }).code).toBe(-1100);
    const order = await rawSigned(fake, 'POST', '/fapi/v1/order', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '1e-3',
    });
    expect(order.body).toEqual({
      code: -1100,
      msg: "Illegal characters found in parameter 'quantity'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'.",
    });
    expect(fake.orders()).toEqual([]);
  });

  it('answers -1105 for an empty parameter and -1104 for one the endpoint does not take', async () => {
    const { fake } = await setup();
    const empty = await rawSigned(fake, 'GET', '/fapi/v1/userTrades', {
      symbol: 'BTCUSDT',
      limit: '',
    });
    expect(empty.body).toEqual({ code: -1105, msg: "Parameter 'limit' was empty." });
    const extra = await rawSigned(fake, 'GET', '/fapi/v2/balance', { asset: 'USDT' });
    expect(extra.body.code).toBe(-1104);
  });

  it('a timestamp that is not an integer is refused (-1100), not authenticated', async () => {
    const { fake } = await setup();
    const payload = `timestamp=${Date.now()}.5`;
    const res = await fetch(
      `${fake.url}/fapi/v2/balance?${payload}&signature=${signPayload(fake.apiSecret, payload)}`,
      { headers: { 'X-MBX-APIKEY': fake.apiKey } },
    );
    expect(((await res.json()) as { code: number }).code).toBe(-1100);
  });
});
