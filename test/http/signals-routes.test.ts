import { describe, expect, test } from 'bun:test';
import { createApp } from '../../src/http/app.ts';
import { tradingPort } from '../../src/main/trading-port.ts';
import { buildTrading } from '../../src/main/build-trading.ts';
import { EventType } from '../../src/ports/event-store.ts';
import { auth, createTestDeps } from '../helpers/test-deps.ts';

async function setup(running = true, maxPending?: number) {
  const t = await createTestDeps();
  const trading = buildTrading({
    config: t.deps.config,
    risk: t.risk,
    store: t.store,
    metrics: t.metrics,
    logger: t.deps.logger,
    decisionLog: t.decisionLog,
    nowMs: Date.now,
  });
  let queued = 0;
  t.deps.trading = {
    symbols: trading.symbols,
    loopRunning: () => running,
    submitSignal: (s) =>
      maxPending !== undefined && queued >= maxPending
        ? false
        : (queued++, trading.coordinator.submitSignal(s)),
    protectiveStops: () => new Map(),
    openOrders: tradingPort(trading).openOrders,
  };
  const app = createApp(t.deps);
  const post = (body: unknown, headers: Record<string, string> = auth()) =>
    app.request('/v1/signals', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  return { ...t, trading, post };
}

const good = {
  agent_id: 'ext-1',
  symbol: 'BTCUSDT',
  direction: 'LONG',
  confidence: 0.8,
  size_hint: 0.02,
  rationale: 'breakout',
};

describe('POST /v1/signals', () => {
  test('queues a valid signal, which the next cycle uses and records', async () => {
    const { post, trading, store } = await setup();
    const res = await post(good);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ queued: true });
    trading.paper!.market.step();
    const summary = await trading.coordinator.runCycle();
    expect(summary.signals_generated).toBeGreaterThanOrEqual(1);
    const signals = await store.query({ type: EventType.signal, limit: 100 });
    expect(signals.some((s) => s.payload.agent_id === 'ext-1')).toBe(true);
  });

  test('refuses bad input with 4xx JSON errors and queues nothing', async () => {
    const { post, trading, store } = await setup();
    const bad: [unknown, Record<string, string> | undefined, number][] = [
      [good, {}, 401],
      [{ ...good, confidence: 2 }, undefined, 400],
      [{ ...good, symbol: 'btc' }, undefined, 400],
      [{ ...good, symbol: 'DOGEUSDT' }, undefined, 400],
      [{ ...good, extra: 1 }, undefined, 400],
      [{ ...good, direction: 'UP' }, undefined, 400],
      ['not an object', undefined, 400],
    ];
    for (const [body, headers, status] of bad) {
      const res = await post(body, headers);
      expect(res.status).toBe(status);
      expect((await res.json()).error.code).toEqual(expect.any(String));
    }
    trading.paper!.market.step();
    await trading.coordinator.runCycle();
    const signals = await store.query({ type: EventType.signal, limit: 1_000 });
    expect(signals.filter((s) => s.payload.agent_id === 'ext-1')).toEqual([]);
  });

  test('503 when the loop is not running, 429 when the queue is full', async () => {
    expect((await (await setup(false)).post(good)).status).toBe(503);
    const { post } = await setup(true, 1);
    expect((await post(good)).status).toBe(202);
    expect((await post(good)).status).toBe(429);
  });
});
