// Reconciliation while an order's answer is lost, late or never coming (issue 10): the real
// executor and reconciliation composition (buildTrading, buildReconciliation) over the real Aster
// adapter against the fake Aster server. The exchange holds a position the book does not have yet;
// the symbol is DEFERRED, never a mismatch, and once the order is resolved the run passes and
// trading never stopped.
import { afterEach, describe, expect, it } from 'bun:test';
import { createAsterExchange } from '../../src/adapters/exchange/aster/aster-exchange.ts';
import { buildReconciliation } from '../../src/main/build-reconciliation.ts';
import { buildTrading } from '../../src/main/build-trading.ts';
import { type FakeAster, startFakeAster } from '../fake-aster/server.ts';
import { createTestDeps } from '../helpers/test-deps.ts';

const running: FakeAster[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((f) => f.stop()));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ORDER_PATH = '/fapi/v1/order';

async function setup() {
  const fake = await startFakeAster({ balanceUsd: 100_000, symbols: ['BTCUSDT'] });
  running.push(fake);
  fake.setMark('BTCUSDT', 60_000);
  const t = await createTestDeps({ AIS_INITIAL_BALANCE_USD: '100000', AIS_SYMBOLS: 'BTCUSDT' });
  const aster = createAsterExchange({
    baseUrl: fake.url,
    apiKey: fake.apiKey,
    apiSecret: fake.apiSecret,
    nowMs: Date.now,
    timeoutMs: 300,
    retry: { attempts: 1, baseDelayMs: 5, maxDelayMs: 10 },
    recovery: { attempts: 3, delayMs: 50 },
  });
  const { config, store, metrics, logger, decisionLog, risk, alerts } = { ...t.deps, ...t };
  const trading = buildTrading({
    config,
    risk,
    store,
    metrics,
    logger,
    decisionLog,
    nowMs: Date.now,
    overrides: { exchange: aster },
  });
  const { loop } = buildReconciliation({
    config,
    trading,
    risk,
    store,
    metrics,
    logger,
    alerts,
    nowMs: Date.now,
    timers: { schedule: () => () => {} },
  });
  let seq = 0;
  /** Sends a risk-approved market BUY through the gated executor (as the coordinator does). */
  const buy = (quantity: number) => {
    const orderId = `ais-test-${++seq}`;
    return trading.orders.executor.execute({
      orderId,
      riskToken: risk.tokens.sign(orderId, Date.now()),
      symbol: 'BTCUSDT',
      side: 'BUY',
      quantity,
      price: 60_000,
    });
  };
  const position = () => risk.portfolio.get().positions.BTCUSDT?.quantity ?? 0;
  return {
    fake,
    trading,
    loop,
    buy,
    position,
    store,
    state: () => risk.control.state().tradingState,
  };
}

describe('reconciliation with an order in flight', () => {
  it('defers the symbol while the answer is lost, and passes once the look-up finds the order', async () => {
    const h = await setup();
    h.fake.inject({ kind: 'hang', apply: true }, { method: 'POST', path: ORDER_PATH });
    const sent = h.buy(0.1);
    await sleep(100); // the exchange has filled it; its answer never comes
    const during = await h.loop.runNow();
    expect(during.status).toBe('deferred');
    expect(during.results.find((r) => r.checkType === 'position')).toMatchObject({
      symbol: 'BTCUSDT',
      status: 'DEFERRED',
      internalValue: 0,
      exchangeValue: 0.1,
    });
    await sent; // the executor found the order by its client order id and booked it
    expect(h.position()).toBeCloseTo(0.1, 9);
    expect((await h.loop.runNow()).status).toBe('passed');
    expect(h.state()).toBe('ACTIVE');
  });

  it('defers the symbol while the request arrives late at the exchange', async () => {
    const h = await setup();
    h.fake.inject({ kind: 'late', ms: 700 }, { method: 'POST', path: ORDER_PATH });
    const sent = h.buy(0.2);
    await sleep(900); // the client gave up after 300 ms; the order executed at 700 ms
    expect((await h.loop.runNow()).status).toBe('deferred');
    await sent;
    expect(h.position()).toBeCloseTo(0.2, 9);
    expect((await h.loop.runNow()).status).toBe('passed');
    expect(h.state()).toBe('ACTIVE');
  }, 20_000); // the look-up trusts "never seen" only after the request's recvWindow (5 s) has passed

  it('keeps an order whose answer never comes in flight, then books it once the exchange can be asked', async () => {
    const h = await setup();
    h.fake.inject({ kind: 'hang', apply: true }, { method: 'POST', path: ORDER_PATH });
    // Every look-up by client order id fails too, so the executor cannot learn the outcome.
    h.fake.inject({ kind: 'status', status: 500 }, { method: 'GET', path: ORDER_PATH }, 1_000);
    const failure = await h.buy(0.3).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(failure?.name).toBe('ExchangeError');
    expect(h.trading.orders.inFlight.size).toBe(1);
    expect(h.position()).toBe(0);

    const deferred = await h.loop.runNow(); // its look-up fails again: still in flight
    expect(deferred.status).toBe('deferred');
    expect(h.state()).toBe('ACTIVE');

    h.fake.clearFaults();
    const report = await h.loop.runNow(); // resolves the order first, then judges
    expect(report.status).toBe('passed');
    expect(h.trading.orders.inFlight.size).toBe(0);
    expect(h.position()).toBeCloseTo(0.3, 9);
    const fills = await h.store.query({ type: 'fill', limit: 10 });
    expect(fills.map((e) => (e.payload as { order_id: string }).order_id)).toEqual(['ais-test-1']);
    expect(h.state()).toBe('ACTIVE');
  });

  it('forgets an order the exchange never received once its window has passed', async () => {
    const h = await setup();
    h.fake.inject({ kind: 'hang', apply: false }, { method: 'POST', path: ORDER_PATH });
    h.fake.inject({ kind: 'status', status: 500 }, { method: 'GET', path: ORDER_PATH }, 1_000);
    await h.buy(0.1).catch(() => undefined);
    expect(h.trading.orders.inFlight.size).toBe(1);
    h.fake.clearFaults();
    // Within the window an unknown order may still arrive: it stays in flight.
    expect(await h.trading.orders.executor.resolveInFlight()).toBe(1);
    const f = h.trading.orders.inFlight.list()[0]!;
    f.sentMs -= 61_000;
    expect(await h.trading.orders.executor.resolveInFlight()).toBe(0);
    expect((await h.loop.runNow()).status).toBe('passed');
  });
});
