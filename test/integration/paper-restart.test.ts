// The paper account survives a restart: the real worker trades, stops, starts again on the same
// data directory, and shows the same cash and positions; its paper exchange holds the same account
// (reconciliation passes) and the synthetic market continues from the last marks.
import { afterAll, expect, it } from 'bun:test';
import { startWorker, tempDir, type WorkerProcess } from '../helpers/worker-process.ts';

const TOKEN = 'paper-restart-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
const workers: WorkerProcess[] = [];
afterAll(() => Promise.all(workers.map((w) => w.stop('SIGKILL'))));

type Portfolio = {
  cash_usd: number;
  nav_usd: number;
  peak_nav_usd: number;
  positions: { symbol: string; quantity: number; avg_entry_price: number; mark_price: number }[];
};
const portfolio = async (w: WorkerProcess) =>
  (await (await fetch(`${w.url}/v1/portfolio`, { headers: auth })).json()) as Portfolio;

it('continues the paper account where it stopped', async () => {
  const dir = tempDir('ais-paper-restart-');
  const env = { AIS_API_TOKEN: TOKEN, AIS_LOOP_INTERVAL_MS: '100', AIS_MARKET_BAR_MS: '100' };
  const first = await startWorker('bun', env, { dir });
  workers.push(first);
  let before: Portfolio | undefined;
  for (let i = 0; i < 100; i++) {
    await Bun.sleep(100);
    const p = await portfolio(first);
    if (p.positions.length >= 2) {
      before = p;
      break;
    }
  }
  expect(before).toBeDefined();
  // Stop the loop's trading first (HALTED), so the last snapshot is the account we compare against.
  await fetch(`${first.url}/v1/control/trading-state`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ state: 'HALTED' }),
  });
  await Bun.sleep(1_500); // a few cycles: the next snapshot (every 10 cycles) carries the final account
  before = await portfolio(first);
  expect(await first.stop()).toBe(0);

  const second = await startWorker('bun', env, { dir });
  workers.push(second);
  const after = await portfolio(second);
  expect(after.cash_usd).toBeCloseTo(before.cash_usd, 6);
  expect(after.positions.map((p) => [p.symbol, p.quantity, p.avg_entry_price])).toEqual(
    before.positions.map((p) => [p.symbol, p.quantity, p.avg_entry_price]),
  );
  for (const p of after.positions)
    expect(
      p.mark_price / before.positions.find((b) => b.symbol === p.symbol)!.mark_price,
    ).toBeCloseTo(1, 1);
  expect(after.peak_nav_usd).toBeGreaterThanOrEqual(before.peak_nav_usd - 1e-6);
  expect(
    second.logs.some(
      (l) => l.message === 'Paper account restored from the last portfolio snapshot',
    ),
  ).toBe(true);
  const report = await (
    await fetch(`${second.url}/v1/reconciliation/run`, { method: 'POST', headers: auth })
  ).json();
  expect({
    status: report.status,
    problems: report.results.filter((r: { status: string }) => r.status !== 'MATCH'),
  }).toEqual({ status: 'passed', problems: [] });
}, 60_000);
