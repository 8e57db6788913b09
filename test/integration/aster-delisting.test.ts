// Delisting on a real worker against the fake Aster server: a configured symbol that is not TRADING
// starts REDUCING on its own (its position kept, with its protective stop), the other symbols
// trade; a status change while running is picked up from exchangeInfo on its schedule and alerted;
// back to TRADING, the hold lifts. Never halted for good.
import { expect, it } from 'bun:test';
import { type FakeAster, startFakeAster } from '../fake-aster/server.ts';
import { stoppedAfterAll } from '../helpers/drill.ts';
import { pollUntil, workerApi } from '../helpers/worker-api.ts';
import { asterEnv, startWorker } from '../helpers/worker-process.ts';

const TOKEN = 'aster-delisting-token-0123456789';
let fake: FakeAster;
const workers = stoppedAfterAll(() => fake);

async function setup(prepare: (f: FakeAster) => void = () => {}) {
  fake = await startFakeAster({ balanceUsd: 50_000, symbols: ['BTCUSDT', 'ETHUSDT'] });
  fake.setMark('BTCUSDT', 60_000);
  fake.setMark('ETHUSDT', 3_000);
  prepare(fake);
  const w = await startWorker(
    'bun',
    asterEnv(fake, {
      AIS_API_TOKEN: TOKEN,
      AIS_SYMBOLS: 'BTCUSDT,ETHUSDT',
      AIS_LOOP_ENABLED: 'false',
      AIS_SYMBOL_RULES_REFRESH_S: '1',
    }),
  );
  workers.push(w);
  const { get, post } = workerApi(w.url, TOKEN);
  const until = <T>(read: () => Promise<T>, ok: (v: T) => boolean) => pollUntil(read, ok, 60);
  const holds = async () =>
    (await get('/v1/control/symbol-holds')).holds as {
      symbol: string;
      state: string;
      cause: string;
    }[];
  await post('/v1/control/trading-state', { state: 'ACTIVE', reason: 'drill' });
  return { w, get, post, until, holds };
}

it('starts with a symbol that is SETTLING: that symbol REDUCING with its position protected, the other trades', async () => {
  const h = await setup((f) => {
    f.setPosition('BTCUSDT', 0.01, 60_000);
    f.setSymbolRules('BTCUSDT', { status: 'SETTLING' });
  });
  expect(await h.holds()).toMatchObject([
    { symbol: 'BTCUSDT', state: 'REDUCING', cause: 'delisted' },
  ]);
  const alerts = (await h.get('/v1/events?type=alert')).events.filter(
    (e: { stream: string }) => e.stream === 'SymbolNotTrading',
  );
  expect(alerts[0].payload).toMatchObject({ severity: 'warning' });
  expect(
    await h.post('/v1/orders/check', {
      symbol: 'ETHUSDT',
      side: 'BUY',
      quantity: 0.01,
      price: 3_000,
    }),
  ).toMatchObject({ approved: true });
  expect(
    await h.post('/v1/orders/check', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      quantity: 0.001,
      price: 60_000,
    }),
  ).toMatchObject({ approved: false });
  // Its position is kept and protected: the book holds it, a protective stop sits on the exchange.
  expect((await h.get('/v1/portfolio')).positions).toMatchObject([
    { symbol: 'BTCUSDT', quantity: 0.01 },
  ]);
  await h.post('/v1/reconciliation/run');
  const stops = fake.orders().filter((o) => o.symbol === 'BTCUSDT' && o.type === 'STOP_MARKET');
  expect(stops.some((o) => o.status === 'NEW' && o.closePosition)).toBe(true);
  const health = await (await fetch(`${h.w.url}/health`)).json();
  expect([health.trading_state, health.components.symbols.status]).toEqual(['ACTIVE', 'degraded']);
}, 60_000);

it('picks up a delisting while running from exchangeInfo, and lifts the hold when the symbol trades again', async () => {
  const h = await setup();
  expect(await h.holds()).toEqual([]);
  fake.setSymbolRules('ETHUSDT', { status: 'CLOSE' });
  const held = await h.until(h.holds, (v) => v.length > 0);
  expect(held).toMatchObject([{ symbol: 'ETHUSDT', state: 'REDUCING', cause: 'delisted' }]);
  fake.setSymbolRules('ETHUSDT', { status: 'TRADING' });
  expect(await h.until(h.holds, (v) => v.length === 0)).toEqual([]);
  expect(
    await h.post('/v1/orders/check', {
      symbol: 'ETHUSDT',
      side: 'BUY',
      quantity: 0.01,
      price: 3_000,
    }),
  ).toMatchObject({ approved: true });
}, 60_000);
