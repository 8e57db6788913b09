// An `aster` start-up reads the exchange's symbol rules (exchangeInfo) and refuses, with one line,
// to trade a symbol the exchange does not list or that is not TRADING; the rules it read drive the
// exchange_rules guard of POST /v1/orders/check. A real worker process against the fake server.
import { afterEach, expect, it } from 'bun:test';
import { type FakeAster, startFakeAster } from '../fake-aster/server.ts';
import { asterEnv, startWorker, type WorkerProcess } from '../helpers/worker-process.ts';

const TOKEN = 'aster-rules-token-0123456789';
/** What each test started, stopped after it, last started first. */
const started: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const stop of started.splice(0).reverse()) await stop();
});
let fake: FakeAster | undefined;
let worker: WorkerProcess | undefined;

async function start(symbols: string, prepare: (f: FakeAster) => void = () => {}) {
  const f = (fake = await startFakeAster({ balanceUsd: 50_000, symbols: ['BTCUSDT', 'BNBUSDT'] }));
  started.push(() => f.stop());
  fake.setMark('BTCUSDT', 60_000);
  fake.setMark('BNBUSDT', 600);
  prepare(fake);
  return startWorker(
    'bun',
    asterEnv(fake, { AIS_API_TOKEN: TOKEN, AIS_SYMBOLS: symbols, AIS_LOOP_ENABLED: 'false' }),
  ).then(
    (w) => ((worker = w), started.push(() => w.stop('SIGKILL')), undefined),
    (e: Error) => e.message,
  );
}

it('stops start-up with one line for a symbol the exchange does not list', async () => {
  const failure = await start('BTCUSDT,NOSUCHUSDT');
  expect(failure).toContain('exited with 1');
  expect(/exchange: .*/.exec(failure!)?.[0]).toBe(
    'exchange: cannot trade NOSUCHUSDT is not listed by the exchange (or its filters could not be read) (check AIS_SYMBOLS)',
  );
}, 60_000);

// A listed symbol that is not TRADING no longer stops start-up: see aster-delisting.test.ts.

it('checks orders against the rules it read: BNBUSDT 3.333 is refused naming LOT_SIZE', async () => {
  expect(await start('BTCUSDT,BNBUSDT')).toBeUndefined();
  const post = (path: string, body: object) =>
    fetch(`${worker!.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((r) => r.json());
  await post('/v1/control/trading-state', { state: 'ACTIVE', reason: 'rules drill' }); // an aster install starts HALTED
  const refused = await post('/v1/orders/check', {
    symbol: 'BNBUSDT',
    side: 'BUY',
    quantity: 3.333,
    price: 600,
  });
  expect(refused).toMatchObject({
    approved: false,
    guard: 'exchange_rules',
    reason:
      'the exchange would refuse it: quantity 3.333 is not a multiple of the step size 0.01 (LOT_SIZE)',
  });
  expect(refused.checks.find((c: { guard: string }) => c.guard === 'exchange_rules')).toEqual({
    guard: 'exchange_rules',
    value: 3.333,
    limit: 0.01,
    passed: false,
    filter: 'LOT_SIZE.stepSize',
  });
  expect(
    await post('/v1/orders/check', { symbol: 'BNBUSDT', side: 'BUY', quantity: 3.33, price: 600 }),
  ).toMatchObject({ approved: true });
  expect(fake!.requests.some((r) => r.path === '/fapi/v1/exchangeInfo' && r.status === 200)).toBe(
    true,
  );
}, 60_000);
