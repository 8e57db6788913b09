// Liquidation and ADL as the exchange's own actions, on a real worker against the fake Aster
// server: both booked at once (from the stream, and from REST when the stream missed them), never
// counted as foreign trades by reconciliation; a liquidation holds its symbol (no exposure added,
// the other symbols trade) until an operator clears it; an ADL is a warning and trading goes on.
import { expect, it } from 'bun:test';
import { type FakeAster, startFakeAster } from '../fake-aster/server.ts';
import { stoppedAfterAll } from '../helpers/drill.ts';
import { pollUntil, workerApi } from '../helpers/worker-api.ts';
import { asterEnv, startWorker, type WorkerProcess } from '../helpers/worker-process.ts';

const TOKEN = 'aster-liquidation-token-0123456789';
let fake: FakeAster;
const workers = stoppedAfterAll(() => fake);

async function setup() {
  fake = await startFakeAster({ balanceUsd: 50_000, symbols: ['BTCUSDT', 'ETHUSDT'] });
  fake.setMark('BTCUSDT', 60_000);
  fake.setMark('ETHUSDT', 3_000);
  fake.setPosition('BTCUSDT', 0.5, 60_000);
  const w = await startWorker(
    'bun',
    asterEnv(fake, {
      AIS_API_TOKEN: TOKEN,
      AIS_SYMBOLS: 'BTCUSDT,ETHUSDT',
      AIS_LOOP_ENABLED: 'false',
    }),
  );
  workers.push(w);
  const api = api_(w);
  await api.post('/v1/control/trading-state', { state: 'ACTIVE', reason: 'drill' });
  for (let i = 0; i < 50 && fake.stream.connections === 0; i++) await Bun.sleep(100);
  return { w, ...api };
}

function api_(w: WorkerProcess) {
  const { get, post } = workerApi(w.url, TOKEN);
  const until = <T>(read: () => Promise<T>, ok: (v: T) => boolean) => pollUntil(read, ok, 50);
  const check = (symbol: string, side: string, quantity: number, price: number) =>
    post('/v1/orders/check', { symbol, side, quantity, price });
  const alerts = async (name: string) =>
    (await get('/v1/events?type=alert')).events.filter(
      (e: { stream: string }) => e.stream === name,
    );
  return { get, post, until, check, alerts };
}

const positionOf = (p: { positions: { symbol: string; quantity: number }[] }, s: string) =>
  p.positions.find((x) => x.symbol === s)?.quantity ?? 0;

it('a liquidation on the stream: booked, the symbol held REDUCING until cleared, the others trade, reconciliation clean', async () => {
  const h = await setup();
  fake.liquidate('BTCUSDT');
  const holds = await h.until(
    () => h.get('/v1/control/symbol-holds'),
    (v) => v.holds.length > 0,
  );
  expect(holds.holds).toMatchObject([
    { symbol: 'BTCUSDT', state: 'REDUCING', cause: 'liquidation', by: 'exchange' },
  ]);
  expect(positionOf(await h.get('/v1/portfolio'), 'BTCUSDT')).toBe(fake.positionOf('BTCUSDT'));
  expect((await h.alerts('PositionLiquidated'))[0].payload.severity).toBe('critical');
  // No exposure added on the liquidated symbol; the others trade.
  expect(await h.check('BTCUSDT', 'BUY', 0.001, 60_000)).toMatchObject({
    approved: false,
    guard: 'trading_state',
  });
  expect(await h.check('ETHUSDT', 'BUY', 0.01, 3_000)).toMatchObject({ approved: true });
  await Bun.sleep(2_100); // trades are judged once settled (2 s): the liquidation's trade included
  const report = await h.post('/v1/reconciliation/run');
  expect(report.status).toBe('passed');
  const health = await (await fetch(`${h.w.url}/health`)).json();
  expect([health.status, health.trading_state, health.components.symbols.status]).toEqual([
    'degraded',
    'ACTIVE',
    'degraded',
  ]);
  expect(await (await fetch(`${h.w.url}/metrics`)).text()).toContain(
    'ais_symbol_hold{symbol="BTCUSDT",cause="liquidation"} 1',
  );
  // The operator clears it.
  expect(
    await h.post('/v1/control/symbol-holds/BTCUSDT/clear', { reason: 'checked the account' }),
  ).toMatchObject({ cleared: true, holds: [] });
  expect(await h.check('BTCUSDT', 'BUY', 0.001, 60_000)).toMatchObject({ approved: true });
  expect((await (await fetch(`${h.w.url}/health`)).json()).components.symbols.status).toBe('ok');
}, 60_000);

it('an ADL: booked, a warning, the book and the exchange agree, nothing held, trading goes on', async () => {
  const h = await setup();
  fake.adl('BTCUSDT', 0.2);
  const p = await h.until(
    () => h.get('/v1/portfolio'),
    (v) => Math.abs(positionOf(v, 'BTCUSDT') - 0.3) < 1e-9,
  );
  expect(positionOf(p, 'BTCUSDT')).toBeCloseTo(fake.positionOf('BTCUSDT'), 9);
  const adl = await h.until(
    () => h.alerts('PositionAutoDeleveraged'),
    (v) => v.length > 0,
  );
  expect(adl[0].payload.severity).toBe('warning');
  expect(await h.alerts('PositionLiquidated')).toEqual([]);
  expect(await h.alerts('ForeignTrade')).toEqual([]);
  expect((await h.get('/v1/control/symbol-holds')).holds).toEqual([]);
  await Bun.sleep(2_100); // trades are judged once settled (2 s): the liquidation's trade included
  const report = await h.post('/v1/reconciliation/run');
  expect(report.status).toBe('passed');
  expect((await (await fetch(`${h.w.url}/health`)).json()).trading_state).toBe('ACTIVE');
}, 60_000);

it('a liquidation the stream missed is found on REST before reconciling: booked as a liquidation, not a foreign trade', async () => {
  const h = await setup();
  fake.stream.refuseConnections = true;
  fake.stream.drop();
  for (let i = 0; i < 50 && fake.stream.connections > 0; i++) await Bun.sleep(50);
  fake.liquidate('BTCUSDT');
  // The first run books it (before reconciling); trades are judged once 2 s old (the settle time).
  expect((await h.post('/v1/reconciliation/run')).status).toBe('passed');
  await Bun.sleep(2_100);
  const report = await h.post('/v1/reconciliation/run');
  expect({
    status: report.status,
    problems: report.results.filter((r: { status: string }) => r.status !== 'MATCH'),
  }).toEqual({ status: 'passed', problems: [] });
  expect(
    report.results.find((r: { check_type: string }) => r.check_type === 'unauthorized_trade')
      .message,
  ).toContain("from the exchange's own liquidation or ADL orders");
  expect((await h.get('/v1/control/symbol-holds')).holds).toMatchObject([
    { symbol: 'BTCUSDT', cause: 'liquidation' },
  ]);
  expect((await h.alerts('PositionLiquidated')).length).toBe(1);
  expect(await h.alerts('ForeignTrade')).toEqual([]);
  expect(positionOf(await h.get('/v1/portfolio'), 'BTCUSDT')).toBe(0);
  expect((await (await fetch(`${h.w.url}/health`)).json()).trading_state).toBe('ACTIVE');
}, 60_000);
