// A stream alive or known dead, on a real worker against the fake Aster server: a listen key that
// expires without an event is found by the probe (-1125) and replaced at once; a stream that stays
// connected but carries nothing is found by comparing with the trades reconciliation reads on REST,
// restarted, and /health says degraded until the stream is heard from again.
import { expect, it } from 'bun:test';
import { type FakeAster, startFakeAster } from '../fake-aster/server.ts';
import { stoppedAfterAll } from '../helpers/drill.ts';
import { asterEnv, startWorker } from '../helpers/worker-process.ts';

const TOKEN = 'aster-stream-liveness-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
let fake: FakeAster;
const workers = stoppedAfterAll(() => fake);

async function setup() {
  fake = await startFakeAster({ balanceUsd: 50_000, symbols: ['BTCUSDT'] });
  fake.setMark('BTCUSDT', 60_000);
  fake.setPosition('BTCUSDT', 0.5, 60_000);
  const w = await startWorker(
    'bun',
    asterEnv(fake, {
      AIS_API_TOKEN: TOKEN,
      AIS_SYMBOLS: 'BTCUSDT',
      AIS_LOOP_ENABLED: 'false',
      AIS_STREAM_PROBE_S: '1',
      AIS_STREAM_SILENCE_S: '1',
    }),
  );
  workers.push(w);
  for (let i = 0; i < 50 && fake.stream.connections === 0; i++) await Bun.sleep(100);
  const get = async (path: string) => (await fetch(`${w.url}${path}`, { headers: auth })).json();
  const health = async () => (await fetch(`${w.url}/health`)).json();
  const metrics = async () => (await fetch(`${w.url}/metrics`)).text();
  const until = async <T>(read: () => Promise<T>, ok: (v: T) => boolean) => {
    let v = await read();
    for (let i = 0; i < 60 && !ok(v); i++, await Bun.sleep(100)) v = await read();
    return v;
  };
  return { w, get, health, metrics, until };
}

it('replaces a listen key that expired without an event within one probe, and the stream carries again', async () => {
  const h = await setup();
  fake.stream.expireListenKeySilently();
  const text = await h.until(h.metrics, (m) => m.includes('reason="listen_key_gone"} 1'));
  expect(text).toContain(
    'ais_exchange_stream_silent_total{exchange="aster",reason="listen_key_gone"} 1',
  );
  const keyCalls = fake.requests.filter((r) => r.path.endsWith('/listenKey'));
  const gone = keyCalls.findIndex((r) => r.method === 'PUT' && r.status === 400);
  expect(gone).toBeGreaterThan(-1);
  expect(keyCalls[gone + 1]).toMatchObject({ method: 'POST', status: 200 });
  // The new connection carries: a deposit is booked at once from its ACCOUNT_UPDATE.
  await h.until(
    async () => fake.stream.connections,
    (n) => n >= 1,
  );
  await Bun.sleep(300);
  fake.addIncome({ type: 'TRANSFER', usd: 1_000 });
  const p = await h.until(
    () => h.get('/v1/portfolio'),
    (v) => v.cash_usd === 51_000,
  );
  expect(p.cash_usd).toBe(51_000);
  expect((await h.health()).components.exchange.status).toBe('ok');
}, 60_000);

it('finds a connected stream that carries nothing from the trades REST reads, restarts it, and says degraded until it is heard from', async () => {
  const h = await setup();
  fake.stream.mute = true;
  fake.liquidate('BTCUSDT'); // the stream would have carried it at once
  await Bun.sleep(1_200);
  await fetch(`${h.w.url}/v1/reconciliation/run`, { method: 'POST', headers: auth });
  expect(await h.metrics()).toContain(
    'ais_exchange_stream_silent_total{exchange="aster",reason="no_events"} 1',
  );
  const degraded = await h.until(h.health, (v) => v.components.exchange.status === 'degraded');
  expect(degraded.components.exchange.detail).toContain('user-data stream silent');
  // The book still follows the exchange (REST booked the liquidation before reconciling).
  const p = await h.get('/v1/portfolio');
  expect(p.positions).toEqual([]);
  // Heard from again: healthy.
  fake.stream.mute = false;
  fake.addIncome({ type: 'TRANSFER', usd: 1_000 });
  const ok = await h.until(h.health, (v) => v.components.exchange.status === 'ok');
  expect(ok.components.exchange.status).toBe('ok');
}, 60_000);
