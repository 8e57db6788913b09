// Exchange time everywhere: with the fake Aster server's clock 8 s behind or ahead of the worker's,
// the real executor (buildTrading) finds an order's fills by its order id from the exchange's own
// timestamp, and reconciliation (buildReconciliation) judges trades against the exchange's clock,
// so a local clock a few seconds off neither hides fills nor flags trades too early nor halts trading.
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

async function setup(skewMs: number) {
  const fake = await startFakeAster({ balanceUsd: 100_000, symbols: ['BTCUSDT'] });
  running.push(fake);
  fake.clockOffsetMs = skewMs;
  fake.setMark('BTCUSDT', 60_000);
  const t = await createTestDeps({ AIS_INITIAL_BALANCE_USD: '100000', AIS_SYMBOLS: 'BTCUSDT' });
  const aster = createAsterExchange({
    baseUrl: fake.url,
    apiKey: fake.apiKey,
    apiSecret: fake.apiSecret,
    nowMs: Date.now,
    timeoutMs: 1_000,
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
  const buy = (quantity: number) => {
    const orderId = `ais-clock-${++seq}`;
    return trading.orders.executor.execute({
      orderId,
      riskToken: risk.tokens.sign(orderId, Date.now()),
      symbol: 'BTCUSDT',
      side: 'BUY',
      quantity,
      price: 60_000,
    });
  };
  return { fake, aster, loop, buy, store, risk };
}

describe('a worker whose clock is off from the exchange’s', () => {
  for (const skewMs of [-8_000, 8_000]) {
    it(`books an order's fills and reconciles cleanly with the exchange ${skewMs > 0 ? 'ahead' : 'behind'} by ${Math.abs(skewMs) / 1000} s`, async () => {
      const h = await setup(skewMs);
      const { fills } = await h.buy(0.1);
      expect(fills).toHaveLength(1);
      expect(h.risk.portfolio.get().positions.BTCUSDT?.quantity).toBeCloseTo(0.1, 9);
      expect(Math.abs(h.aster.serverNowMs() - (Date.now() + skewMs))).toBeLessThan(500);
      const report = await h.loop.runNow();
      expect(report.status).toBe('passed');
      expect(h.risk.control.state().tradingState).toBe('ACTIVE');
      const [fill] = await h.store.query({ type: 'fill' });
      expect(fill?.payload).toMatchObject({ quantity: 0.1, exchange: 'aster' });
    });
  }

  it('waits for a fresh trade by the exchange’s clock before judging it, then flags it when foreign', async () => {
    const h = await setup(-8_000); // the local clock is 8 s ahead: "2 s ago" locally is 6 s in the exchange's future
    h.fake.addForeignTrade({
      symbol: 'BTCUSDT',
      side: 'BUY',
      qty: 0.01,
      price: 60_000,
      applyToPosition: false,
    });
    const first = await h.loop.runNow();
    expect(first.results.filter((r) => r.checkType === 'unauthorized_trade')).toEqual([]);
    await new Promise((r) => setTimeout(r, 2_100)); // past the 2 s settle time, on the exchange's clock too
    const second = await h.loop.runNow();
    expect(second.results.find((r) => r.checkType === 'unauthorized_trade')).toMatchObject({
      symbol: 'BTCUSDT',
      status: 'MISMATCH',
      exchangeValue: 1,
    });
  }, 20_000);
});
