// Two worker processes trading one Aster account (the fake Aster server) and sharing one libSQL
// database (the Hrana stand-in for sqld): each one's reconciliation knows the other's orders from
// the stored `order` events, so neither calls the other's trades foreign (issue 10).
import { afterAll, expect, it } from 'bun:test';
import { join } from 'node:path';
import { type FakeAster, startFakeAster } from '../fake-aster/server.ts';
import { startFakeSqld } from '../fake-sqld/server.ts';
import { seedFlatMarket, tradeBySignal, workerApi } from '../helpers/drill.ts';
import { asterEnv, startWorker, tempDir, type WorkerProcess } from '../helpers/worker-process.ts';

const TOKEN = 'one-account-token-0123456789';
const workers: WorkerProcess[] = [];
const sqld = await startFakeSqld(join(tempDir(), 'shared.db'));
let fake: FakeAster | undefined;
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop('SIGKILL')));
  await sqld.stop();
  await fake?.stop();
});

const api = workerApi(TOKEN);

interface Report {
  results: { check_type: string; symbol: string | null; status: string; message: string }[];
}

it("two workers on one account and one database never flag each other's trades as foreign", async () => {
  fake = await startFakeAster({ balanceUsd: 100_000, symbols: ['BTCUSDT', 'ETHUSDT'] });
  // Flat markets: the agents see no signal of their own, the drill's signals decide.
  seedFlatMarket(fake, 'BTCUSDT', 60_000);
  seedFlatMarket(fake, 'ETHUSDT', 3_000);
  const env = asterEnv(fake, {
    AIS_DB_URL: sqld.url,
    AIS_API_TOKEN: TOKEN,
    AIS_SYMBOLS: 'BTCUSDT,ETHUSDT',
    AIS_LOOP_INTERVAL_MS: '100',
    AIS_RECONCILE_INTERVAL_S: '3600',
    AIS_DECISION_LOG_PATH: 'store:',
    AIS_MAX_POSITION_WEIGHT: '0.5',
    AIS_MAX_NET_EXPOSURE: '1',
    AIS_MAX_ORDER_NOTIONAL_USD: '50000',
    AIS_CONTROL_SYNC_MS: '200',
  });
  const a = await startWorker('bun', { ...env, AIS_INSTANCE_ID: 'worker-a' });
  workers.push(a);
  const b = await startWorker('bun', { ...env, AIS_INSTANCE_ID: 'worker-b' });
  workers.push(b);
  // A live install starts HALTED; one operator action resumes both (they share the store).
  await api(a, '/v1/control/trading-state', { state: 'ACTIVE', reason: 'drill' });
  for (let i = 0; i < 50 && (await api(b, '/health')).trading_state !== 'ACTIVE'; i++)
    await Bun.sleep(100);

  // Each worker trades both symbols through external signals (one per cycle: arbitration picks one).
  const steps = [
    [a, 'BTCUSDT', 'LONG'],
    [b, 'ETHUSDT', 'SHORT'],
    [b, 'BTCUSDT', 'SHORT'],
    [a, 'ETHUSDT', 'LONG'],
  ] as const;
  for (const [w, symbol, direction] of steps) await tradeBySignal(api, fake, w, symbol, direction);
  await Bun.sleep(2_500); // past the reconciliation's settle time for fresh trades

  for (const w of [a, b]) {
    const report = (await api(w, '/v1/reconciliation/run', {})) as Report;
    const trades = report.results.filter((r) => r.check_type === 'unauthorized_trade');
    expect(trades.map((r) => `${r.symbol}:${r.status}`).sort()).toEqual([
      'BTCUSDT:MATCH',
      'ETHUSDT:MATCH',
    ]);
  }
}, 60_000);
