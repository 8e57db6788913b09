// `npm start` shows a living system: the real worker on its defaults (paper exchange, synthetic
// market, built-in agents) with a faster loop; after a few seconds every portfolio, agent,
// execution and loop metric has real values, and the store and the decision trail hold decisions.
import { afterAll, expect, it } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWorker, type WorkerProcess } from '../helpers/worker-process.ts';

let worker: WorkerProcess;
afterAll(() => worker?.stop());

const samples = (text: string, name: string) =>
  text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));

it('trades on paper and feeds every portfolio, agent, execution and loop metric', async () => {
  worker = await startWorker('bun', {
    AIS_API_TOKEN: 'living-token-0123456789abcdef',
    AIS_LOOP_INTERVAL_MS: '100',
    AIS_MARKET_BAR_MS: '100',
  });
  let text = '';
  for (let i = 0; i < 100; i++) {
    await Bun.sleep(200);
    text = await (await fetch(`${worker.url}/metrics`)).text();
    const cycles = Number(samples(text, 'ais_loop_cycles_total')[0]?.split(' ')[1] ?? 0);
    if (
      cycles >= 20 &&
      samples(text, 'ais_paper_fills_total').length > 0 &&
      samples(text, 'ais_exposure').length > 0
    )
      break;
  }
  const value = (line: string) => Number(line.slice(line.lastIndexOf(' ') + 1));
  for (const name of [
    'ais_nav',
    'ais_gross_exposure',
    'ais_leverage',
    'ais_loop_cycles_total',
    'ais_loop_heartbeat_epoch',
  ]) {
    expect({ name, positive: samples(text, name).some((l) => value(l) > 0) }).toEqual({
      name,
      positive: true,
    });
  }
  for (const name of [
    'ais_pnl',
    'ais_drawdown',
    'ais_net_exposure',
    'ais_exposure',
    'ais_loop_halted',
    'ais_loop_cycle_seconds_count',
  ]) {
    expect({ name, present: samples(text, name).length > 0 }).toEqual({ name, present: true });
  }
  for (const name of [
    'ais_signals_total',
    'ais_agent_latency_seconds_count',
    'ais_orders_submitted_total',
    'ais_orders_filled_total',
    'ais_paper_fills_total',
    'ais_signals_approved_total',
  ]) {
    expect({ name, counted: samples(text, name).some((l) => value(l) > 0) }).toEqual({
      name,
      counted: true,
    });
  }
  expect(
    samples(text, 'ais_agent_latency_seconds_count')
      .map((l) => /agent_id="([^"]+)"/.exec(l)?.[1])
      .sort(),
  ).toEqual(['mean_reversion', 'momentum', 'volatility_breakout']);
  const auth = { authorization: 'Bearer living-token-0123456789abcdef' };
  for (const type of ['signal', 'risk_decision', 'order', 'fill', 'portfolio', 'reconciliation']) {
    const body = (await (
      await fetch(`${worker.url}/v1/events?type=${type}&limit=1`, { headers: auth })
    ).json()) as { events: unknown[] };
    expect({ type, stored: body.events.length }).toEqual({ type, stored: 1 });
  }
  const lines = readFileSync(join(worker.dir, 'decisions.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(lines.some((l) => l.kind === 'cycle_decision' && l.verdict?.approved === true)).toBe(true);
  // Log lines are buffered by pino: count them once the worker has stopped (and flushed).
  expect(await worker.stop()).toBe(0);
  expect(worker.logs.filter((l) => l.message === 'Cycle completed').length).toBeGreaterThanOrEqual(
    20,
  );
}, 60_000);
