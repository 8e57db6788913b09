// The risk side as the worker builds it, under clocks the test controls: the order_rate bucket
// refills on the monotonic clock, so a wall clock stepped back does not stop orders.
import { describe, expect, it } from 'bun:test';
import { Writable } from 'node:stream';
import { createClocks } from '../../src/adapters/clock/clocks.ts';
import { paperSymbolRules } from '../../src/adapters/exchange/paper/symbol-table.ts';
import { createLogger } from '../../src/adapters/logging/logger.ts';
import { createPrometheusMetrics } from '../../src/adapters/metrics/prometheus.ts';
import { createLibsqlEventStore } from '../../src/adapters/store/libsql/event-store.ts';
import { loadWasmCore } from '../../src/adapters/wasm/load.ts';
import { loadConfig } from '../../src/config/config.ts';
import { buildRisk } from '../../src/main/build-risk.ts';

const T0 = Date.UTC(2026, 11, 1, 12);
let seq = 0;
const order = () => ({
  orderId: `o-${++seq}`,
  symbol: 'BTCUSDT',
  side: 'BUY' as const,
  quantity: 0.001,
  price: 60_000,
});

async function riskUnder(t: { wall: number; perf: number }) {
  const clocks = createClocks(
    () => t.wall,
    () => t.perf,
  );
  const config = loadConfig({ AIS_DB_URL: ':memory:', AIS_MAX_ORDERS_PER_MINUTE: '2' });
  const store = await createLibsqlEventStore({ url: ':memory:', nowMs: clocks.wallMs });
  const risk = await buildRisk({
    config,
    core: await loadWasmCore(),
    store,
    metrics: createPrometheusMetrics({ version: 't', runtime: 'bun', instance: 't' }),
    logger: createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) }),
    nowMs: clocks.wallMs,
    monoMs: clocks.monoMs,
  });
  risk.engine.setSymbolRules(new Map([['BTCUSDT', paperSymbolRules('BTCUSDT')]]));
  const check = async () => (await risk.service.check([order()], 'test'))[0]!;
  return { check, store };
}

describe('buildRisk under a wall clock that steps', () => {
  it('refills order_rate on the monotonic clock: a 1-hour step back does not stop orders', async () => {
    const t = { wall: T0, perf: 0 };
    const { check, store } = await riskUnder(t);
    expect((await check()).approved).toBe(true);
    expect((await check()).approved).toBe(true);
    const third = await check();
    expect([third.approved, third.guard]).toEqual([false, 'order_rate']);
    // A minute passes (the bucket refills 2 a minute) while the wall clock steps back one hour.
    t.perf += 60_000;
    t.wall += 60_000 - 3_600_000;
    expect((await check()).approved).toBe(true);
    expect((await check()).approved).toBe(true);
    // The decisions are records: stamped with the wall clock as it is.
    const stored = await store.query({ type: 'risk_decision', newestFirst: true, limit: 1 });
    expect(stored[0]!.timeMs).toBe(t.wall);
  });

  it('does not refill early on a step forward either', async () => {
    const t = { wall: T0, perf: 0 };
    const { check } = await riskUnder(t);
    await check();
    await check();
    t.wall += 40 * 86_400_000;
    expect((await check()).guard).toBe('order_rate');
  });
});
