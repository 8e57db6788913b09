// The trading side's own waits under a wall clock that steps: an injected pair of clocks, the wall
// one stepped an hour forward and back while the monotonic one runs on. Through the real executor
// and trading loop (buildTrading) over the guarded Aster adapter against the fake Aster server, and
// the real coordinator on the paper exchange: a refused order's hold is neither released early nor
// kept late, and the health of the loop and of reconciliation neither hides a stall nor flags a
// loop that runs.
// (The stop-sync interval under the same steps: test/domain/trading/pre-cycle.test.ts.)
import { afterEach, describe, expect, it } from 'bun:test';
import { createAsterExchange } from '../../src/adapters/exchange/aster/aster-exchange.ts';
import { guardExchange } from '../../src/adapters/exchange/guarded.ts';
import { reconciliationHealth } from '../../src/domain/reconciliation/health.ts';
import { createTradingLoop } from '../../src/domain/trading/loop.ts';
import { isOrderRefusal, type OrderRefusal } from '../../src/domain/trading/refusals.ts';
import type { Exchange } from '../../src/ports/exchange.ts';
import { buildReconciliation } from '../../src/main/build-reconciliation.ts';
import { buildTrading } from '../../src/main/build-trading.ts';
import { type FakeAster, startFakeAster } from '../fake-aster/server.ts';
import { createTestDeps } from '../helpers/test-deps.ts';

const HOUR = 3_600_000;
const running: FakeAster[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((f) => f.stop()));
});

/** Two clocks on the epoch scale: `elapse` moves both, `step` only the wall clock. */
function twoClocks() {
  const start = Date.now();
  let elapsed = 0;
  let step = 0;
  return {
    wallMs: () => start + elapsed + step,
    monoMs: () => start + elapsed,
    elapse: (ms: number) => void (elapsed += ms),
    step: (ms: number) => void (step += ms),
  };
}

async function asterTrading(clock: ReturnType<typeof twoClocks>) {
  const fake = await startFakeAster({ balanceUsd: 100_000, symbols: ['BTCUSDT'] });
  running.push(fake);
  fake.setMark('BTCUSDT', 60_000);
  const t = await createTestDeps({ AIS_INITIAL_BALANCE_USD: '100000', AIS_SYMBOLS: 'BTCUSDT' });
  const aster = createAsterExchange({
    baseUrl: fake.url,
    apiKey: fake.apiKey,
    apiSecret: fake.apiSecret,
    nowMs: Date.now, // the exchange's requests are signed with the host's real time
    retry: { attempts: 1 },
  });
  const wrapExchange = (e: Exchange) =>
    guardExchange(e, t.deps.resilience, { metrics: t.metrics, maxWaitMs: 0 });
  const trading = buildTrading({
    config: t.deps.config,
    risk: t.risk,
    store: t.store,
    metrics: t.metrics,
    logger: t.deps.logger,
    decisionLog: t.decisionLog,
    nowMs: clock.wallMs,
    monoMs: clock.monoMs,
    overrides: { exchange: aster, wrapExchange, agents: [] },
  });
  let seq = 0;
  const buy = (quantity: number) => {
    const orderId = `ais-clock-${++seq}`;
    return trading.orders.executor.execute({
      orderId,
      riskToken: t.risk.tokens.sign(orderId, clock.wallMs()),
      symbol: 'BTCUSDT',
      side: 'BUY',
      quantity,
      price: 60_000,
    });
  };
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => {
        throw new Error('expected a refusal');
      },
      (e: unknown) => {
        if (!isOrderRefusal(e)) throw e;
        return e as OrderRefusal;
      },
    );
  const posts = () =>
    fake.requests.filter((r) => r.method === 'POST' && r.path === '/fapi/v1/order').length;
  return { fake, buy, refusal, posts };
}

describe('the trading side under a wall clock that steps an hour', () => {
  it('a refused order stays held across a step forward and back, and is released by monotonic time', async () => {
    const clock = twoClocks();
    const h = await asterTrading(clock);
    h.fake.inject({ kind: 'reject', code: -2019 }, { method: 'POST', path: '/fapi/v1/order' });
    expect(await h.refusal(h.buy(0.01))).toMatchObject({ held: false });
    clock.step(+HOUR); // on the wall clock the 5-minute hold would be long over
    expect(await h.refusal(h.buy(0.01))).toMatchObject({ held: true });
    clock.step(-2 * HOUR); // an hour behind: on the wall clock the hold would last 65 minutes
    clock.elapse(5 * 60_000 - 1);
    expect(await h.refusal(h.buy(0.01))).toMatchObject({ held: true });
    expect(h.posts()).toBe(1);
    clock.elapse(1);
    expect((await h.buy(0.01)).fills).toHaveLength(1);
    expect(h.posts()).toBe(2);
  });

  it("the loop's health follows monotonic time: a step forward does not flag it, a step back does not hide a stall", async () => {
    const clock = twoClocks();
    const t = await createTestDeps({ AIS_MARKET_BAR_MS: '60000' });
    const trading = buildTrading({
      config: t.deps.config,
      risk: t.risk,
      store: t.store,
      metrics: t.metrics,
      logger: t.deps.logger,
      decisionLog: t.decisionLog,
      nowMs: clock.wallMs,
      monoMs: clock.monoMs,
      overrides: { agents: [] },
    });
    const timers: (() => void)[] = [];
    const loop = createTradingLoop({
      coordinator: trading.coordinator,
      intervalMs: 1_000,
      metrics: t.metrics,
      log: t.deps.logger,
      monoMs: clock.monoMs,
      setTimer: (fn) => timers.push(fn),
      clearTimer: () => undefined,
    });
    const cycle = async () => {
      timers.shift()!();
      for (let i = 0; i < 500 && timers.length === 0; i++) await Bun.sleep(5);
      expect(timers).toHaveLength(1); // the cycle ended and the next one is scheduled
    };
    loop.start();
    await cycle();
    expect(trading.coordinator.cycles).toBe(1);
    expect(loop.health().status).toBe('ok');
    clock.step(+HOUR); // on the wall clock the last cycle would be an hour old
    expect(loop.health().status).toBe('ok');
    clock.step(-2 * HOUR); // an hour behind: on the wall clock no stall would show for an hour
    clock.elapse(3 * 1_000 + 5_001); // past three intervals and the 5 s grace
    expect(loop.health()).toMatchObject({ status: 'degraded', detail: 'last cycle 8 s ago' });
    await cycle();
    expect(loop.health().status).toBe('ok');
    await loop.stop();
  });

  it("reconciliation's age in /health follows monotonic time", async () => {
    const clock = twoClocks();
    const t = await createTestDeps({});
    const { config, store, metrics, logger, decisionLog, risk, alerts } = { ...t.deps, ...t };
    const nowMs = clock.wallMs;
    const trading = buildTrading({ config, risk, store, metrics, logger, decisionLog, nowMs });
    const { reconciler, loop } = buildReconciliation({
      ...{ config, trading, risk, store, metrics, logger, alerts, nowMs },
      timers: {
        sleep: async (ms) => clock.elapse(ms),
        schedule: () => () => {},
        monoMs: clock.monoMs,
      },
    });
    const intervalMs = config.reconciliation.intervalMs;
    const health = () =>
      reconciliationHealth(reconciler.latest(), reconciler.latestAgeMs()!, intervalMs);
    expect((await loop.start()).status).toBe('passed');
    expect(health().status).toBe('ok');
    clock.step(+HOUR); // on the wall clock the last run would be an hour old
    expect(health().status).toBe('ok');
    clock.step(-2 * HOUR); // an hour behind: on the wall clock the last run would be in the future
    clock.elapse(3 * intervalMs + 1);
    expect(health()).toMatchObject({ status: 'degraded' });
    expect(health().detail).toStartWith('no run for ');
    await loop.runNow();
    expect(health().status).toBe('ok');
  });
});
