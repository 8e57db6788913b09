// A worker process with only the V3 (API wallet) variables, pointed at the fake Aster server:
// every request it sends goes to /fapi/v3/* signed by the API wallet (the fake verifies each
// EIP-712 signature and nonce), it trades, reconciles clean, never logs the private key, and after
// a restart (on Node, then on Deno) trades and reconciles clean again (its earlier orders are not foreign).
import { expect, it } from 'bun:test';
import { type FakeAster, startFakeAster } from '../fake-aster/server.ts';
import { seedFlatMarket, stoppedAfterAll, tradeBySignal, workerApi } from '../helpers/drill.ts';
import { asterV3Env, startWorker, tempDir, type WorkerProcess } from '../helpers/worker-process.ts';

const TOKEN = 'aster-v3-token-0123456789';
let fake: FakeAster | undefined;
const workers = stoppedAfterAll(() => fake);

const api = workerApi(TOKEN);
const trade = (w: WorkerProcess, symbol: string, direction: 'LONG' | 'SHORT') =>
  tradeBySignal(api, fake!, w, symbol, direction);

async function reconcilesClean(w: WorkerProcess) {
  await Bun.sleep(2_500); // past the reconciliation's settle time for fresh trades
  const report = (await api(w, '/v1/reconciliation/run', {})) as {
    status: string;
    results: { check_type: string; status: string }[];
  };
  expect(report.status).toBe('passed');
  expect(report.results.filter((r) => r.status !== 'MATCH')).toEqual([]);
}

it('trades, reconciles clean and survives restarts (Bun, Node, Deno) with only the V3 variables', async () => {
  fake = await startFakeAster({ balanceUsd: 100_000, symbols: ['BTCUSDT', 'ETHUSDT'] });
  // Flat markets: the agents see no signal of their own, the drill's signals decide.
  seedFlatMarket(fake, 'BTCUSDT', 60_000);
  seedFlatMarket(fake, 'ETHUSDT', 3_000);
  const env = asterV3Env(fake, {
    AIS_API_TOKEN: TOKEN,
    AIS_SYMBOLS: 'BTCUSDT,ETHUSDT',
    AIS_LOOP_INTERVAL_MS: '100',
    AIS_RECONCILE_INTERVAL_S: '3600',
    AIS_MAX_POSITION_WEIGHT: '0.5',
    AIS_MAX_NET_EXPOSURE: '1',
    AIS_MAX_ORDER_NOTIONAL_USD: '50000',
  });
  expect(Object.keys(env).filter((k) => k.startsWith('ASTER_API'))).toEqual([]);
  const dir = tempDir('ais-aster-v3-');

  // The worker restarts on each runtime in turn, on the same database: Bun, then Node, then Deno.
  const trades: [string, 'LONG' | 'SHORT'][][] = [
    [
      ['BTCUSDT', 'LONG'],
      ['ETHUSDT', 'SHORT'],
    ],
    [['BTCUSDT', 'SHORT']],
    [['ETHUSDT', 'LONG']],
  ];
  const runs: WorkerProcess[] = [];
  for (const [i, runtime] of (['bun', 'node', 'deno'] as const).entries()) {
    const w = await startWorker(runtime, env, { dir });
    workers.push(w);
    runs.push(w);
    expect(
      w.logs.find(
        (l) => l['message'] === 'Aster signing: V3, API wallet acting for the main wallet',
      ),
    ).toMatchObject({
      extra_json: {
        scheme: 'v3',
        user: fake.wallet.user,
        signer: fake.wallet.signer,
        chain_id: 1666,
      },
    });
    if (i === 0) await api(w, '/v1/control/trading-state', { state: 'ACTIVE', reason: 'v3 drill' });
    else {
      expect((await api(w, '/health')).trading_state).toBe('ACTIVE');
      const portfolio = await api(w, '/v1/portfolio');
      expect(portfolio.positions.map((p: { symbol: string }) => p.symbol).sort()).toEqual([
        'BTCUSDT',
        'ETHUSDT',
      ]);
    }
    for (const [symbol, direction] of trades[i]!) await trade(w, symbol, direction);
    await reconcilesClean(w);
    if (i < 2) expect(await w.stop()).toBe(0);
  }

  // Every request went to a V3 path (or was public) and none was refused for its signature or nonce.
  expect(fake.requests.filter((r) => !r.path.startsWith('/fapi/v3/'))).toEqual([]);
  expect(fake.requests.filter((r) => r.status === 400 || r.status === 401)).toEqual([]);
  const metrics = await (await fetch(`${runs[2]!.url}/metrics`)).text();
  expect(metrics).not.toContain('ais_exchange_refusals_total{');
  const everything = runs
    .map((w) => w.logs.map((l) => JSON.stringify(l)).join('\n') + w.stderr())
    .join('\n');
  expect(everything).not.toContain(fake.wallet.privateKey.slice(2));
}, 120_000);

it('stops at start-up with one line saying what to check when the API wallet is not registered for the user', async () => {
  const other = await startFakeAster({ balanceUsd: 1_000 });
  try {
    // A well-formed wallet whose key derives to its signer (config passes), unknown to the exchange.
    const stranger = await startFakeAster();
    await stranger.stop();
    const env = asterV3Env(
      {
        url: other.url,
        stream: other.stream,
        wallet: { ...stranger.wallet, user: other.wallet.user },
      },
      { AIS_SYMBOLS: 'BTCUSDT' },
    );
    const failure = await startWorker('bun', env, {
      dir: tempDir('ais-aster-v3-unregistered-'),
    }).then(
      (w) => {
        workers.push(w);
        return 'started';
      },
      (e: Error) => e.message,
    );
    expect(failure).toContain('exited with 1');
    expect(failure).toContain(`-2015`);
    expect(failure).toContain(
      `API wallet ${stranger.wallet.signer} is not registered for ASTER_USER ${other.wallet.user}`,
    );
    expect(failure).not.toContain(stranger.wallet.privateKey.slice(2));
  } finally {
    await other.stop();
  }
}, 60_000);
