// A restart must not hand out a fresh drawdown budget: the worker trading a real (here: fake Aster)
// account keeps its high-water mark across a restart, so a loss made while it was down still
// counts, and the first cycle after the restart trips the kill switch.
import { expect, it } from 'bun:test';
import { type FakeAster, startFakeAster } from '../fake-aster/server.ts';
import { stoppedAfterAll } from '../helpers/drill.ts';
import { asterEnv, startWorker, tempDir } from '../helpers/worker-process.ts';

const TOKEN = 'aster-restart-token-0123456789';
let fake: FakeAster;
const workers = stoppedAfterAll(() => fake);

it('keeps the high-water mark over a restart and trips the kill switch on a loss made while down', async () => {
  fake = await startFakeAster({ balanceUsd: 50_000, symbols: ['BTCUSDT'] });
  fake.setMark('BTCUSDT', 60_000);
  const dir = tempDir('ais-aster-restart-');
  const env = asterEnv(fake, {
    AIS_API_TOKEN: TOKEN,
    AIS_SYMBOLS: 'BTCUSDT',
    AIS_LOOP_INTERVAL_MS: '100',
  });
  const auth = { authorization: `Bearer ${TOKEN}` };
  const first = await startWorker('bun', env, { dir });
  workers.push(first);
  // Wait for a portfolio snapshot (the first cycle writes one), then stop.
  for (let i = 0; i < 100; i++) {
    const body = (await (
      await fetch(`${first.url}/v1/events?type=portfolio&limit=1`, { headers: auth })
    ).json()) as { events: unknown[] };
    if (body.events.length) break;
    await Bun.sleep(100);
  }
  expect(await first.stop()).toBe(0);

  fake.setBalance(47_000); // a 6 % loss while the worker was down
  const second = await startWorker('bun', env, { dir });
  workers.push(second);
  const portfolio = await (await fetch(`${second.url}/v1/portfolio`, { headers: auth })).json();
  expect(portfolio.peak_nav_usd).toBeCloseTo(50_000, 0);
  expect(portfolio.drawdown).toBeCloseTo(0.06, 3);
  for (
    let i = 0;
    i < 50 && !(await (await fetch(`${second.url}/health`)).json()).kill_switch.active;
    i++
  )
    await Bun.sleep(100);
  expect((await (await fetch(`${second.url}/health`)).json()).kill_switch).toMatchObject({
    active: true,
    reason: expect.stringContaining('drawdown'),
  });
}, 60_000);
