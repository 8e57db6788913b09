// Settings changed under the worker, on a real worker against the fake Aster server: a symbol's
// leverage changed on the web interface (ACCOUNT_CONFIG_UPDATE), the account switched to hedge mode,
// and an order refused -4061 all lead to a re-read, a critical alert naming the setting, and
// trading stopped where the setting applies, until the settings match again or an operator accepts
// them; never halted for good.
import { expect, it } from 'bun:test';
import { type FakeAster, startFakeAster } from '../fake-aster/server.ts';
import { stoppedAfterAll } from '../helpers/drill.ts';
import { pollUntil, workerApi } from '../helpers/worker-api.ts';
import { asterEnv, startWorker } from '../helpers/worker-process.ts';

const TOKEN = 'aster-settings-token-0123456789';
let fake: FakeAster;
const workers = stoppedAfterAll(() => fake);

async function setup() {
  fake = await startFakeAster({ balanceUsd: 50_000, symbols: ['BTCUSDT', 'ETHUSDT'] });
  fake.setMark('BTCUSDT', 60_000);
  fake.setMark('ETHUSDT', 3_000);
  const w = await startWorker(
    'bun',
    asterEnv(fake, {
      AIS_API_TOKEN: TOKEN,
      AIS_SYMBOLS: 'BTCUSDT,ETHUSDT',
      AIS_LOOP_ENABLED: 'false',
      AIS_ASTER_LEVERAGE: '5',
    }),
  );
  workers.push(w);
  const { get, post } = workerApi(w.url, TOKEN);
  const until = <T>(read: () => Promise<T>, ok: (v: T) => boolean) => pollUntil(read, ok, 60);
  const holds = async () =>
    (await get('/v1/control/symbol-holds')).holds as { symbol: string; cause: string }[];
  const check = (symbol: string, price: number) =>
    post('/v1/orders/check', { symbol, side: 'BUY', quantity: 0.01, price });
  const alerts = async () =>
    (await get('/v1/events?type=alert')).events.filter(
      (e: { stream: string }) => e.stream === 'AccountSettingsChanged',
    );
  await post('/v1/control/trading-state', { state: 'ACTIVE', reason: 'drill' });
  for (let i = 0; i < 50 && fake.stream.connections === 0; i++) await Bun.sleep(100);
  return { w, get, post, until, holds, check, alerts };
}

it('a leverage changed on the web interface: the symbol stops, the others trade, an alert names it; it trades again once the leverage is back', async () => {
  const h = await setup();
  expect(fake.symbolSettings('BTCUSDT').leverage).toBe(5);
  fake.setSymbolSettings('BTCUSDT', { leverage: 20 });
  const held = await h.until(h.holds, (v) => v.length > 0);
  expect(held).toMatchObject([{ symbol: 'BTCUSDT', state: 'HALTED', cause: 'settings' }]);
  const [alert] = await h.alerts();
  expect(alert.payload).toMatchObject({ severity: 'critical', labels: { setting: 'leverage' } });
  expect(alert.payload.summary).toContain('BTCUSDT leverage 5 → 20');
  expect(await h.check('BTCUSDT', 60_000)).toMatchObject({
    approved: false,
    guard: 'trading_state',
  });
  expect(await h.check('ETHUSDT', 3_000)).toMatchObject({ approved: true });
  const health = await (await fetch(`${h.w.url}/health`)).json();
  expect([health.components.symbols.status, health.trading_state]).toEqual(['degraded', 'ACTIVE']);
  // Put back as configured: the next re-read (every reconciliation) lifts the hold.
  fake.setSymbolSettings('BTCUSDT', { leverage: 5 });
  await h.post('/v1/reconciliation/run');
  expect(await h.until(h.holds, (v) => v.length === 0)).toEqual([]);
  expect(await h.check('BTCUSDT', 60_000)).toMatchObject({ approved: true });
}, 60_000);

it('an operator accepts the leverage in force: trading resumes with it', async () => {
  const h = await setup();
  fake.setSymbolSettings('ETHUSDT', { leverage: 3 });
  await h.until(h.holds, (v) => v.length > 0);
  const accepted = await h.post('/v1/control/account-settings/accept', { operator: 'alice' });
  expect(accepted).toMatchObject({ accepted: true, mismatches: [], holds: [] });
  expect(
    accepted.expected.symbols.find((s: { symbol: string }) => s.symbol === 'ETHUSDT').leverage,
  ).toBe(3);
  expect(await h.check('ETHUSDT', 3_000)).toMatchObject({ approved: true });
}, 60_000);

it('hedge mode switched on under the worker: every symbol stops until one-way is back', async () => {
  const h = await setup();
  fake.setHedgeMode(true);
  const held = await h.until(h.holds, (v) => v.length === 2);
  expect(held.map((x) => x.symbol).sort()).toEqual(['BTCUSDT', 'ETHUSDT']);
  expect((await h.alerts())[0].payload.labels.setting).toBe('position_mode');
  // Accepting cannot make hedge mode one the worker trades in.
  expect((await h.post('/v1/control/account-settings/accept')).mismatches).toMatchObject([
    { setting: 'position_mode', expected: 'one_way', actual: 'hedge' },
  ]);
  fake.setHedgeMode(false);
  expect(await h.until(h.holds, (v) => v.length === 0)).toEqual([]);
}, 60_000);

it('an order refused -4061 makes the worker read the settings at once, with no stream event and no reconciliation', async () => {
  const h = await setup();
  fake.setPosition('BTCUSDT', 0.01, 60_000);
  await h.post('/v1/reconciliation/run'); // the worker books the position
  fake.stream.mute = true; // the stream says nothing of the switch
  fake.setHedgeMode(true);
  fake.stream.mute = false;
  expect(await h.holds()).toEqual([]);
  // Flattening sends a closing order through the executor: refused -4061 in hedge mode.
  await h.post('/v1/control/kill-switch', { action: 'trigger', reason: 'drill', flatten: true });
  const held = await h.until(h.holds, (v) => v.length === 2);
  expect(held.map((x) => x.cause)).toEqual(['settings', 'settings']);
  expect((await h.alerts())[0].payload.description).toContain(
    'an order refused for the account settings',
  );
}, 60_000);
