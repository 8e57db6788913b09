// The symbol rules' schedule against the fake Aster server through the real Aster client, on a
// timer the test fires by hand: read at start-up, again every refreshMs (5 minutes by default),
// after a failed read every retryMs (a minute by default), a start-up check that throws leaves
// nothing applied or scheduled, stop() ends the schedule.
import { afterEach, describe, expect, it } from 'bun:test';
import { createAsterExchange } from '../../../src/adapters/exchange/aster/aster-exchange.ts';
import {
  startSymbolRulesSync,
  SYMBOL_RULES_REFRESH_MS,
  SYMBOL_RULES_RETRY_MS,
  type SymbolRulesSyncSetup,
} from '../../../src/domain/market/symbol-rules-sync.ts';
import type { SymbolRules } from '../../../src/domain/market/symbol-rules.ts';
import type { DelayTimer } from '../../../src/domain/time/timers.ts';
import { type FakeAster, startFakeAster } from '../../fake-aster/server.ts';

const running: (() => unknown)[] = [];
afterEach(async () => {
  for (const stop of running.splice(0)) await stop();
});

async function rig(overrides: Partial<SymbolRulesSyncSetup> = {}) {
  const fake: FakeAster = await startFakeAster({ balanceUsd: 10_000, symbols: ['BTCUSDT'] });
  running.push(() => fake.stop());
  const exchange = createAsterExchange({
    baseUrl: fake.url,
    apiKey: fake.apiKey,
    apiSecret: fake.apiSecret,
    nowMs: Date.now,
    retry: { attempts: 1 },
  });
  const jobs = new Map<number, { fn: () => void; ms: number }>();
  let next = 0;
  const timer: DelayTimer = {
    after: (fn, ms) => (jobs.set(++next, { fn, ms }), next),
    cancel: (h) => void jobs.delete(h as number),
  };
  const applied: ReadonlyMap<string, SymbolRules>[] = [];
  const lines: { level: string; msg: string }[] = [];
  const log = {
    info: (_: object, msg: string) => void lines.push({ level: 'info', msg }),
    warn: (_: object, msg: string) => void lines.push({ level: 'warn', msg }),
    error: (_: object, msg: string) => void lines.push({ level: 'error', msg }),
  };
  const start = () =>
    startSymbolRulesSync({
      exchange,
      engine: { setSymbolRules: (r) => void applied.push(r) },
      symbols: ['BTCUSDT'],
      log,
      timer,
      ...overrides,
    });
  /** Fires the one pending read and lets it finish. */
  const fire = async () => {
    const [h, job] = [...jobs.entries()][0]!;
    jobs.delete(h);
    job.fn();
    for (let i = 0; i < 50 && jobs.size === 0; i++) await new Promise((r) => setTimeout(r, 10));
  };
  const rulesReads = () => fake.requests.filter((r) => r.path === '/fapi/v1/exchangeInfo').length;
  return { fake, start, jobs, fire, applied, lines, rulesReads };
}

const pending = (jobs: Map<number, { ms: number }>) => [...jobs.values()].map((j) => j.ms);

describe('symbol rules schedule', () => {
  it('reads at start-up, then every 5 minutes; a failed read is retried after a minute', async () => {
    expect([SYMBOL_RULES_REFRESH_MS, SYMBOL_RULES_RETRY_MS]).toEqual([300_000, 60_000]);
    const r = await rig();
    const sync = await r.start();
    running.push(() => sync.stop());
    expect(r.applied).toHaveLength(1);
    expect(r.applied[0]!.has('BTCUSDT')).toBe(true);
    expect(pending(r.jobs)).toEqual([SYMBOL_RULES_REFRESH_MS]);
    r.fake.inject({ kind: 'status', status: 503 }, { path: '/fapi/v1/exchangeInfo' });
    await r.fire();
    expect(r.applied).toHaveLength(1);
    expect(pending(r.jobs)).toEqual([SYMBOL_RULES_RETRY_MS]);
    expect(r.lines.at(-1)).toEqual({
      level: 'error',
      msg: 'Could not read the exchange symbol rules: orders are refused (exchange_rules) until they can be read',
    });
    await r.fire();
    expect(r.applied).toHaveLength(2);
    expect(pending(r.jobs)).toEqual([SYMBOL_RULES_REFRESH_MS]);
    expect(r.rulesReads()).toBe(3);
    expect(r.lines.at(-1)).toEqual({ level: 'info', msg: 'Symbol rules loaded' });
  });

  it('takes the given intervals; a refresh now replaces the pending read; stop ends the schedule', async () => {
    const r = await rig({ refreshMs: 1_000, retryMs: 500 });
    const sync = await r.start();
    expect(pending(r.jobs)).toEqual([1_000]);
    expect(await sync.refresh()).toBe(true);
    expect(pending(r.jobs)).toEqual([1_000]);
    sync.stop();
    expect(r.jobs.size).toBe(0);
    // A read in flight when stopped schedules nothing after it.
    await sync.refresh();
    expect(r.jobs.size).toBe(0);
  });

  it('a start-up check that throws stops the start before anything is applied or scheduled', async () => {
    const seen: (readonly string[])[] = [];
    const r = await rig({
      symbols: ['BTCUSDT', 'NOPEUSDT'],
      checkStartUp: (unlisted) => {
        seen.push(unlisted);
        if (unlisted.length) throw new Error('cannot trade');
      },
    });
    await expect(r.start()).rejects.toThrow('cannot trade');
    expect(seen).toHaveLength(1);
    expect(seen[0]![0]).toStartWith('NOPEUSDT ');
    expect(r.applied).toHaveLength(0);
    expect(r.jobs.size).toBe(0);
  });
});
