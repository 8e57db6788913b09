// The start-up checks of an Aster account, with a real worker process against the fake Aster
// server: a flat hedge-mode account is switched to one-way; one with open positions stops start-up
// with the line that says why and how to fix it; leverage and margin type are set as configured
// and shown in /v1/portfolio.
import { afterEach, expect, it } from 'bun:test';
import { type FakeAster, startFakeAster } from '../fake-aster/server.ts';
import {
  asterEnv,
  asterV3Env,
  startWorker,
  type WorkerProcess,
} from '../helpers/worker-process.ts';

const TOKEN = 'aster-account-token-0123456789';
let fake: FakeAster | undefined;
let worker: WorkerProcess | undefined;
afterEach(async () => {
  await worker?.stop('SIGKILL');
  await fake?.stop();
  worker = fake = undefined;
});

async function fakeAccount() {
  fake = await startFakeAster({ balanceUsd: 50_000, symbols: ['BTCUSDT', 'ETHUSDT'] });
  fake.setMark('BTCUSDT', 60_000);
  fake.setMark('ETHUSDT', 3_000);
  return fake;
}
const env = (f: FakeAster, extra: Record<string, string> = {}, scheme: 'v1' | 'v3' = 'v1') =>
  (scheme === 'v3' ? asterV3Env : asterEnv)(f, {
    AIS_API_TOKEN: TOKEN,
    AIS_SYMBOLS: 'BTCUSDT,ETHUSDT',
    AIS_LOOP_ENABLED: 'false',
    ...extra,
  });

for (const scheme of ['v1', 'v3'] as const)
  it(`switches a flat hedge-mode account to one-way, sets leverage and margin type, and shows them in /v1/portfolio (${scheme})`, async () => {
    const f = await fakeAccount();
    f.setHedgeMode(true);
    worker = await startWorker(
      'bun',
      env(
        f,
        { AIS_ASTER_LEVERAGE: '3,ETHUSDT:2', AIS_ASTER_MARGIN_TYPE: 'BTCUSDT:ISOLATED' },
        scheme,
      ),
    );
    expect(f.hedgeMode).toBe(false);
    expect(worker.logs).toContainEqual(
      expect.objectContaining({
        level: 'WARNING',
        message: expect.stringContaining('Account switched from hedge mode to one-way mode'),
      }),
    );
    expect(f.symbolSettings('BTCUSDT')).toEqual({ leverage: 3, marginType: 'isolated' });
    expect(f.symbolSettings('ETHUSDT')).toEqual({ leverage: 2, marginType: 'cross' });
    const portfolio = await (
      await fetch(`${worker.url}/v1/portfolio`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).json();
    expect(portfolio.exchange_account).toEqual({
      position_mode: 'one_way',
      symbols: [
        { symbol: 'BTCUSDT', leverage: 3, margin_type: 'ISOLATED' },
        { symbol: 'ETHUSDT', leverage: 2, margin_type: 'CROSSED' },
      ],
    });
  }, 60_000);

it('refuses to start on a hedge-mode account with open positions, with one line saying why and how to fix it', async () => {
  const f = await fakeAccount();
  f.setPosition('BTCUSDT', 0.5, 60_000);
  f.setHedgeMode(true);
  const failure = await startWorker('bun', env(f)).then(
    (w) => ((worker = w), undefined),
    (e: Error) => e.message,
  );
  expect(failure).toContain('exited with 1');
  const line = /account: .*/.exec(failure!)?.[0];
  expect(line).toContain('hedge mode with open positions (BTCUSDT LONG 0.5)');
  expect(line).toContain('switch it on asterdex.com');
  expect(f.hedgeMode).toBe(true);
  expect(f.requests.filter((r) => r.method === 'POST')).toEqual([]);
}, 60_000);

it('refuses to start when the margin type cannot change under an open position', async () => {
  const f = await fakeAccount();
  f.setPosition('ETHUSDT', -2, 3_000);
  const failure = await startWorker('bun', env(f, { AIS_ASTER_MARGIN_TYPE: 'ISOLATED' })).then(
    (w) => ((worker = w), undefined),
    (e: Error) => e.message,
  );
  expect(failure).toContain(
    'config: AIS_ASTER_MARGIN_TYPE asks ISOLATED for ETHUSDT, which is CROSSED with an open position (-2)',
  );
  expect(f.symbolSettings('ETHUSDT').marginType).toBe('cross');
}, 60_000);
