// The answers an operator meets in the first week, read by the Aster adapter against the fake
// server: account settings (position mode, leverage, margin type), a cancel answer without
// avgPrice, rebates and commissions in another asset, and a 403 from the web application firewall.
import { afterEach, describe, expect, it } from 'bun:test';
import { createAsterExchange } from '../../../src/adapters/exchange/aster/aster-exchange.ts';
import type { ExchangeError } from '../../../src/ports/exchange.ts';
import { type FakeAster, startFakeAster } from '../../fake-aster/server.ts';

const running: FakeAster[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((f) => f.stop()));
});

async function setup(o: { commissionAsset?: string; scheme?: 'v1' | 'v3' } = {}) {
  const fake = await startFakeAster({
    balanceUsd: 10_000,
    symbols: ['BTCUSDT', 'ETHUSDT'],
    commissionAsset: o.commissionAsset,
  });
  running.push(fake);
  fake.setMark('BTCUSDT', 100);
  fake.setMark('ETHUSDT', 10);
  const auth =
    o.scheme === 'v3'
      ? { wallet: fake.wallet }
      : { apiKey: fake.apiKey, apiSecret: fake.apiSecret };
  const ex = createAsterExchange({
    ...auth,
    baseUrl: fake.url,
    nowMs: Date.now,
    retry: { attempts: 1 },
  });
  return { fake, ex };
}
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as ExchangeError,
  );

describe('account settings', () => {
  it('reads the position mode and each symbol’s leverage and margin type', async () => {
    const { fake, ex } = await setup();
    fake.setSymbolSettings('ETHUSDT', { leverage: 3, marginType: 'isolated' });
    const s = await ex.accountSettings();
    expect(s.hedgeMode).toBe(false);
    expect(s.symbols).toContainEqual({
      symbol: 'ETHUSDT',
      quantity: 0,
      leverage: 3,
      marginType: 'ISOLATED',
      positionSide: 'BOTH',
    });
    expect(s.symbols).toContainEqual({
      symbol: 'BTCUSDT',
      quantity: 0,
      leverage: 10,
      marginType: 'CROSSED',
      positionSide: 'BOTH',
    });
  });

  for (const scheme of ['v1', 'v3'] as const)
    it(`lists a LONG and a SHORT leg per symbol in hedge mode, and switches a flat account to one-way (${scheme})`, async () => {
      const { fake, ex } = await setup({ scheme });
      fake.setHedgeMode(true);
      const s = await ex.accountSettings();
      expect(s.hedgeMode).toBe(true);
      expect(s.symbols.filter((r) => r.symbol === 'BTCUSDT').map((r) => r.positionSide)).toEqual([
        'LONG',
        'SHORT',
      ]);
      await ex.setHedgeMode(false);
      expect(fake.hedgeMode).toBe(false);
      await ex.setHedgeMode(false); // -4059 "no need to change position side" is success
      expect(fake.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(
        Array(2).fill(`/fapi/${scheme}/positionSide/dual`),
      );
    });

  it('refuses to switch the position mode while a position is open (-4068)', async () => {
    const { fake, ex } = await setup();
    fake.setPosition('BTCUSDT', 1, 100);
    fake.setHedgeMode(true);
    expect(await failure(ex.setHedgeMode(false))).toMatchObject({
      kind: 'rejected',
      details: { code: -4068 },
    });
  });

  for (const scheme of ['v1', 'v3'] as const)
    it(`sets leverage and margin type; "no need to change margin type" (-4046) is success (${scheme})`, async () => {
      const { fake, ex } = await setup({ scheme });
      expect(await ex.setLeverage('BTCUSDT', 5)).toBe(5);
      await ex.setMarginType('BTCUSDT', 'ISOLATED');
      await ex.setMarginType('BTCUSDT', 'ISOLATED');
      expect(fake.symbolSettings('BTCUSDT')).toEqual({ leverage: 5, marginType: 'isolated' });
      expect(await failure(ex.setLeverage('BTCUSDT', 200))).toMatchObject({
        kind: 'rejected',
        details: { code: -4028 },
      });
    });
});

describe('answers read correctly', () => {
  it('reads a cancel answer without avgPrice', async () => {
    const { fake, ex } = await setup();
    fake.setMark('BTCUSDT', 1_000); // a BTC price its PRICE_FILTER accepts (min 556.8)
    await ex.placeOrder({
      clientOrderId: 'rest-1',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      quantity: 1,
      price: 900,
    });
    const cancelled = await ex.cancelOrder('BTCUSDT', 'rest-1');
    expect(cancelled).toMatchObject({ status: 'CANCELED', avgPrice: 0, executedQty: 0 });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'DELETE', status: 200 });
  });

  it('reads a negative commission as a rebate (negative fee)', async () => {
    const { fake, ex } = await setup();
    fake.setFees({ rate: -0.0001 });
    const order = await ex.placeOrder({
      clientOrderId: 'rebate-1',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: 2,
    });
    const [fill] = (await ex.userTrades('BTCUSDT')).filter((t) => t.orderId === order.orderId);
    expect(fill!.feeUsd).toBeCloseTo(-0.02, 10);
    expect((await ex.balance()).walletUsd).toBeCloseTo(10_000.02, 8);
  });

  it('keeps a commission in another asset apart: no USD fee against the wallet, the asset and amount recorded', async () => {
    const { ex } = await setup({ commissionAsset: 'BNB' });
    const order = await ex.placeOrder({
      clientOrderId: 'bnb-1',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: 2,
    });
    const [fill] = (await ex.userTrades('BTCUSDT')).filter((t) => t.orderId === order.orderId);
    expect(fill).toMatchObject({ feeUsd: 0, foreignFee: { asset: 'BNB', amount: 0.08 } });
    expect((await ex.balance()).walletUsd).toBe(10_000);
  });

  it('turns a 403 from the web application firewall into rate_limited with its Retry-After, not retried', async () => {
    const { fake, ex } = await setup();
    fake.inject({ kind: 'waf', retryAfterS: 7 }, { path: '/fapi/v2/balance' });
    expect(await failure(ex.balance())).toMatchObject({
      kind: 'rate_limited',
      details: { status: 403, retryAfterMs: 7_000 },
    });
    expect(fake.requests.filter((r) => r.path === '/fapi/v2/balance')).toHaveLength(1);
    expect((await ex.balance()).walletUsd).toBe(10_000);
  });
});
