// The kill switch's sweep against the fake Aster server through the guarded adapter (breakers and
// limiters as the worker has them): what it cancels and keeps, a failed cancel retried until it
// succeeds, and one a breaker refuses given up (the kill switch then not effective on the exchange).
import { afterEach, describe, expect, it } from 'bun:test';
import { createAsterExchange } from '../../../src/adapters/exchange/aster/aster-exchange.ts';
import { guardExchange } from '../../../src/adapters/exchange/guarded.ts';
import { componentLogger } from '../../../src/adapters/logging/logger.ts';
import { createExchangeProtection } from '../../../src/domain/trading/exchange-protection.ts';
import { type FakeAster, startFakeAster } from '../../fake-aster/server.ts';
import { createTestDeps } from '../../helpers/test-deps.ts';

const running: FakeAster[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((f) => f.stop()));
});

async function setup() {
  const fake = await startFakeAster({ balanceUsd: 100_000, symbols: ['BTCUSDT'] });
  running.push(fake);
  fake.setMark('BTCUSDT', 60_000);
  const t = await createTestDeps();
  const aster = createAsterExchange({
    baseUrl: fake.url,
    apiKey: fake.apiKey,
    apiSecret: fake.apiSecret,
    nowMs: Date.now,
    timeoutMs: 300,
    retry: { attempts: 1 },
  });
  const exchange = guardExchange(aster, t.deps.resilience, {
    metrics: t.metrics,
    breaker: { failureThreshold: 3, openMs: 60_000 },
  });
  const timers: (() => void)[] = [];
  const protection = createExchangeProtection({
    exchange,
    store: t.store,
    symbols: () => ['BTCUSDT'],
    risk: t.risk.service,
    executor: { execute: () => Promise.reject(new Error('no orders in this test')) },
    log: componentLogger(t.deps.logger, 'ais.risk.kill_switch'),
    nowMs: Date.now,
    schedule: (fn) => (timers.push(fn), () => timers.splice(timers.indexOf(fn), 1)),
  });
  // Resting orders: one that could add exposure, one reduce-only, one Close-All stop.
  await aster.placeOrder({
    clientOrderId: 'limit-1',
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'LIMIT',
    quantity: 0.1,
    price: 55_000,
  });
  fake.setPosition('BTCUSDT', 0.5, 60_000);
  await aster.placeOrder({
    clientOrderId: 'tp-1',
    symbol: 'BTCUSDT',
    side: 'SELL',
    type: 'LIMIT',
    quantity: 0.1,
    price: 65_000,
    reduceOnly: true,
  });
  await aster.placeOrder({
    clientOrderId: 'ais-sl-1',
    symbol: 'BTCUSDT',
    side: 'SELL',
    type: 'STOP_MARKET',
    quantity: 0,
    stopPrice: 58_000,
    closePosition: true,
  });
  const status = (id: string) => fake.orders().find((x) => x.clientOrderId === id)?.status;
  const fireTimer = async () => {
    timers.shift()?.();
    await protection.sweep();
  };
  return { fake, protection, store: t.store, status, timers, fireTimer };
}

describe('the kill switch sweep', () => {
  it('cancels what could add exposure, keeps reduce-only and Close-All orders, and records it', async () => {
    const h = await setup();
    const r = await h.protection.sweep('kill switch: drill');
    expect(r.cancelled.map((x) => x.client_order_id)).toEqual(['limit-1']);
    expect(r.kept.map((x) => x.client_order_id).sort()).toEqual(['ais-sl-1', 'tp-1']);
    expect([h.status('limit-1'), h.status('tp-1'), h.status('ais-sl-1')]).toEqual([
      'CANCELED',
      'NEW',
      'NEW',
    ]);
    expect(h.protection.pending()).toEqual([]);
    expect((await h.store.latest('kill_switch_orders'))?.payload).toMatchObject({
      reason: 'kill switch: drill',
      cancelled: [{ client_order_id: 'limit-1' }],
    });
  });

  it('retries a cancel that failed until it succeeds', async () => {
    const h = await setup();
    h.fake.inject({ kind: 'status', status: 500 }, { method: 'DELETE' }, 2); // the adapter re-sends a cancel once itself
    const first = await h.protection.sweep('kill switch: drill');
    expect(first.failed.map((x) => x.client_order_id)).toEqual(['limit-1']);
    expect(h.protection.pending()).toMatchObject([{ client_order_id: 'limit-1', gaveUp: false }]);
    expect(h.timers).toHaveLength(1); // a retry is scheduled
    await h.fireTimer();
    expect(h.status('limit-1')).toBe('CANCELED');
    expect(h.protection.pending()).toEqual([]);
    expect(h.timers).toHaveLength(0);
  });

  it('gives up once the breaker opens: not effective, and no retry against the open breaker', async () => {
    const h = await setup();
    h.fake.inject({ kind: 'status', status: 500 }, { method: 'DELETE' }, 100);
    await h.protection.sweep('kill switch: drill');
    for (let i = 0; i < 5 && h.timers.length; i++) await h.fireTimer();
    expect(h.protection.pending()).toMatchObject([{ client_order_id: 'limit-1', gaveUp: true }]);
    expect(h.protection.pending()[0]!.error).toContain('circuit');
    expect(h.timers).toHaveLength(0); // no retry against an open breaker
    expect(h.status('limit-1')).toBe('NEW');
  });
});
