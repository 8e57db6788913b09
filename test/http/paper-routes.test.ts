import { describe, expect, test } from 'bun:test';
import { createApp } from '../../src/http/app.ts';
import { EventType } from '../../src/ports/event-store.ts';
import { auth, createTestDeps } from '../helpers/test-deps.ts';

async function setup(paper = true) {
  const t = await createTestDeps();
  const trading = t.worker.trading;
  // Outside paper mode the worker hands the HTTP layer no paper door.
  const app = createApp(
    paper ? t.deps : { ...t.deps, trading: { ...t.deps.trading, paper: undefined } },
  );
  const post = (body: unknown) =>
    app.request('/v1/paper/shock', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  return { ...t, trading, post };
}

describe('POST /v1/paper/shock', () => {
  test('moves the next bar of the symbol by the fraction and records who asked', async () => {
    const { post, trading, store } = await setup();
    const before = trading.paper!.market.price('ETHUSDT')!;
    const res = await post({ symbol: 'ETHUSDT', fraction: -0.5, reason: 'drill' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ scheduled: true, symbol: 'ETHUSDT', fraction: -0.5 });
    trading.paper!.market.step();
    const ratio = trading.paper!.market.price('ETHUSDT')! / before;
    expect(ratio).toBeGreaterThan(0.45);
    expect(ratio).toBeLessThan(0.55);
    expect((await store.latest(EventType.controlAction))?.payload).toMatchObject({
      endpoint: 'paper-shock',
      symbol: 'ETHUSDT',
      fraction: -0.5,
      reason: 'drill',
    });
  });

  test('refuses bad shocks, unknown symbols, and any shock outside paper mode', async () => {
    const { post, store } = await setup();
    for (const body of [
      { symbol: 'ETHUSDT', fraction: -1 },
      { symbol: 'ETHUSDT', fraction: 11 },
      { symbol: 'ETHUSDT', fraction: 0 },
      { symbol: 'ETHUSDT' },
      { symbol: 'eth', fraction: 0.1 },
    ]) {
      expect((await post(body)).status).toBe(400);
    }
    expect((await post({ symbol: 'DOGEUSDT', fraction: 0.1 })).status).toBe(400);
    expect((await (await setup(false)).post({ symbol: 'ETHUSDT', fraction: 0.1 })).status).toBe(
      404,
    );
    expect(await store.latest(EventType.controlAction)).toBeUndefined();
  });
});
