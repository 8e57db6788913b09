// The account ledger on a real worker against the fake Aster server: funding, a deposit, a
// withdrawal larger than the drawdown limit, an insurance clearance and a rebate are booked as what
// they are, reconciliation stays clean, NAV references rebase on the cash movements (an info
// alert each), and a change the exchange does not explain is still a mismatch. A restart after a
// withdrawal made while the worker was down rebases the stored high-water mark instead of tripping
// the kill switch.
import { expect, it } from 'bun:test';
import { type FakeAster, startFakeAster } from '../fake-aster/server.ts';
import { stoppedAfterAll } from '../helpers/drill.ts';
import { asterEnv, startWorker, tempDir } from '../helpers/worker-process.ts';

const TOKEN = 'aster-ledger-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
let fake: FakeAster;
const workers = stoppedAfterAll(() => fake);

const get = async (url: string) => (await fetch(url, { headers: auth })).json();
const post = async (url: string) => (await fetch(url, { method: 'POST', headers: auth })).json();
const problems = (report: { results: { status: string }[] }) =>
  report.results.filter((r) => r.status !== 'MATCH');

it('books every kind of wallet change, reconciles clean, rebases on cash movements, and still catches an unexplained change', async () => {
  fake = await startFakeAster({ balanceUsd: 50_000, symbols: ['BTCUSDT'] });
  fake.setMark('BTCUSDT', 60_000);
  fake.setPosition('BTCUSDT', 0.5, 60_000);
  const w = await startWorker(
    'bun',
    asterEnv(fake, { AIS_API_TOKEN: TOKEN, AIS_SYMBOLS: 'BTCUSDT', AIS_LOOP_ENABLED: 'false' }),
  );
  workers.push(w);
  expect((await post(`${w.url}/v1/reconciliation/run`)).status).toBe('passed');

  // The ledger reads at once when the stream says the wallet moved (a DEPOSIT): no reconciliation needed.
  for (let i = 0; i < 50 && fake.stream.connections === 0; i++) await Bun.sleep(100);
  fake.addIncome({ type: 'TRANSFER', usd: 1_000 });
  let cash = 0;
  for (let i = 0; i < 50 && cash !== 51_000; i++, await Bun.sleep(100))
    cash = (await get(`${w.url}/v1/portfolio`)).cash_usd;
  expect(cash).toBe(51_000);
  fake.addIncome({ type: 'TRANSFER', usd: -1_000 });

  fake.addFunding('BTCUSDT', -120);
  fake.addIncome({ type: 'TRANSFER', usd: 10_000 }); // a deposit
  fake.addIncome({ type: 'TRANSFER', usd: -30_000 }); // a withdrawal: 60 % of the account
  fake.addIncome({ type: 'INSURANCE_CLEAR', symbol: 'BTCUSDT', usd: -50 });
  fake.addIncome({ type: 'MARKET_MERCHANT_RETURN_REWARD', usd: 5 });
  const report = await post(`${w.url}/v1/reconciliation/run`);
  expect({ status: report.status, problems: problems(report) }).toEqual({
    status: 'passed',
    problems: [],
  });

  // The balance check says how the wallet moved, by kind.
  expect(
    report.results.find((r: { check_type: string }) => r.check_type === 'balance').message,
  ).toContain(
    'ledger since start: funding -120.00, transfer -20000.00, insurance_clear -50.00, rebate 5.00 USD',
  );
  const p = await get(`${w.url}/v1/portfolio`);
  expect(p.cash_usd).toBeCloseTo(50_000 - 120 + 10_000 - 30_000 - 50 + 5, 6);
  // The references moved by the 20,000 USD that left; the 165 USD of P&L stays a loss.
  expect(p.peak_nav_usd).toBeCloseTo(30_000, 6);
  expect(p.pnl_usd).toBeCloseTo(-165, 6);
  expect(p.drawdown).toBeCloseTo(165 / 30_000, 9);
  expect(p.ledger_usd).toMatchObject({
    funding: -120,
    transfer: -20_000,
    insurance_clear: -50,
    rebate: 5,
  });
  const ledger = await get(`${w.url}/v1/events?type=ledger`);
  expect(ledger.events.map((e: { payload: { kind: string } }) => e.payload.kind).sort()).toEqual([
    'funding',
    'insurance_clear',
    'rebate',
    'transfer',
    'transfer',
    'transfer',
    'transfer',
  ]);
  const alerts = await get(`${w.url}/v1/events?type=alert`);
  const moved = alerts.events.filter((e: { stream: string }) => e.stream === 'AccountCashMovement');
  expect(moved.map((e: { payload: { severity: string } }) => e.payload.severity)).toEqual([
    'info',
    'info',
    'info',
    'info',
  ]);
  const metrics = await (await fetch(`${w.url}/metrics`)).text();
  expect(metrics).toContain('ais_account_ledger_usd_total{kind="transfer",direction="out"} 31000');
  const health = await (await fetch(`${w.url}/health`)).json();
  expect(health.kill_switch.active).toBe(false);

  fake.moveWalletUnexplained(-500);
  const unexplained = await post(`${w.url}/v1/reconciliation/run`);
  expect(unexplained.status).toBe('failed');
  expect(problems(unexplained)).toMatchObject([{ check_type: 'balance', status: 'MISMATCH' }]);
}, 60_000);

it('rebases the stored high-water mark on a withdrawal made while the worker was down', async () => {
  fake = await startFakeAster({ balanceUsd: 50_000, symbols: ['BTCUSDT'] });
  fake.setMark('BTCUSDT', 60_000);
  const dir = tempDir('ais-aster-ledger-');
  const env = asterEnv(fake, {
    AIS_API_TOKEN: TOKEN,
    AIS_SYMBOLS: 'BTCUSDT',
    AIS_LOOP_INTERVAL_MS: '100',
  });
  const first = await startWorker('bun', env, { dir });
  workers.push(first);
  for (let i = 0; i < 100; i++) {
    if ((await get(`${first.url}/v1/events?type=portfolio&limit=1`)).events.length) break;
    await Bun.sleep(100);
  }
  expect(await first.stop()).toBe(0);

  fake.addIncome({ type: 'TRANSFER', usd: -10_000, silent: true }); // 20 %: four drawdown limits
  const second = await startWorker('bun', env, { dir });
  workers.push(second);
  const p = await get(`${second.url}/v1/portfolio`);
  expect(p.peak_nav_usd).toBeCloseTo(40_000, 0);
  expect(p.drawdown).toBeCloseTo(0, 6);
  await Bun.sleep(1_000); // ten cycles: a drawdown trip would have fired by now
  expect((await (await fetch(`${second.url}/health`)).json()).kill_switch.active).toBe(false);
  // A third start books nothing twice: the withdrawal is in the ledger now.
  expect(await second.stop()).toBe(0);
  const third = await startWorker('bun', env, { dir });
  workers.push(third);
  expect((await get(`${third.url}/v1/portfolio`)).peak_nav_usd).toBeCloseTo(40_000, 0);
}, 90_000);
