// Funding paid on the exchange while the worker runs: booked before reconciliation compares the
// books, so a real worker on the fake Aster server stays reconciled (and trading) instead of halting
// on a balance gap a few days into a deployment.
import { afterAll, expect, it } from 'bun:test';
import { type FakeAster, startFakeAster } from '../fake-aster/server.ts';
import { asterEnv, startWorker, type WorkerProcess } from '../helpers/worker-process.ts';

const TOKEN = 'aster-funding-token-0123456789';
let fake: FakeAster;
let worker: WorkerProcess;
afterAll(async () => {
  await worker?.stop('SIGKILL');
  await fake?.stop();
});

it('books funding payments and reconciles clean', async () => {
  fake = await startFakeAster({ balanceUsd: 50_000, symbols: ['BTCUSDT'] });
  fake.setMark('BTCUSDT', 60_000);
  fake.setPosition('BTCUSDT', 0.5, 60_000);
  worker = await startWorker(
    'bun',
    asterEnv(fake, {
      AIS_API_TOKEN: TOKEN,
      AIS_SYMBOLS: 'BTCUSDT',
      AIS_LOOP_ENABLED: 'false',
    }),
  );
  const post = (path: string) =>
    fetch(`${worker.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
    }).then((r) => r.json());
  expect((await post('/v1/reconciliation/run')).status).toBe('passed');
  // 120 USD of funding paid: more than the 0.1 % tolerance on 50,000 USD.
  fake.addFunding('BTCUSDT', -120);
  const report = await post('/v1/reconciliation/run');
  expect({
    status: report.status,
    problems: report.results.filter((r: { status: string }) => r.status !== 'MATCH'),
  }).toEqual({ status: 'passed', problems: [] });
  const portfolio = await (
    await fetch(`${worker.url}/v1/portfolio`, { headers: { authorization: `Bearer ${TOKEN}` } })
  ).json();
  expect(portfolio.cash_usd).toBeCloseTo(50_000 - 120, 6);
  const events = await (
    await fetch(`${worker.url}/v1/events?type=funding`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    })
  ).json();
  expect(events.events).toHaveLength(1);
  expect((await (await fetch(`${worker.url}/health`)).json()).trading_state).toBe('HALTED'); // a fresh aster install waits for an operator, not for reconciliation
});
