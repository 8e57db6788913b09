// One bad read stays one bad read: the real Aster adapter behind guardExchange, against the fake
// server. An answer missing one field the schema requires fails that read (counted, logged) and
// opens no breaker; a real outage of one endpoint opens its own group's breaker and leaves
// positions, open orders (the protective stops) and the trade history readable.
import { afterEach, describe, expect, it } from 'bun:test';
import { createAsterExchange } from '../../../src/adapters/exchange/aster/aster-exchange.ts';
import { guardExchange } from '../../../src/adapters/exchange/guarded.ts';
import { componentLogger, createLogger } from '../../../src/adapters/logging/logger.ts';
import type { ExchangeError } from '../../../src/ports/exchange.ts';
import { captureLogs } from '../../helpers/test-deps.ts';
import { type FakeAster, startFakeAster } from '../../fake-aster/server.ts';
import { createTestResilience } from './helpers.ts';

const running: FakeAster[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((f) => f.stop()));
});

async function setup() {
  const t = await createTestResilience();
  const fake = await startFakeAster({ balanceUsd: 10_000, symbols: ['BTCUSDT'] });
  running.push(fake);
  fake.setMark('BTCUSDT', 100);
  fake.setPosition('BTCUSDT', 0.5, 100);
  const logs = captureLogs();
  const log = componentLogger(
    createLogger({ destination: logs.destination }),
    'ais.exchange.guard',
  );
  const aster = createAsterExchange({
    apiKey: fake.apiKey,
    apiSecret: fake.apiSecret,
    baseUrl: fake.url,
    nowMs: Date.now,
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
  });
  const ex = guardExchange(aster, t.resilience, { metrics: t.metrics, log, maxWaitMs: 0 });
  const states = () =>
    Object.fromEntries(t.resilience.stats().breakers.map((b) => [b.name, b.state]));
  const sent = (path: string) => fake.requests.filter((r) => r.path === path).length;
  return { ...t, fake, ex, states, sent, logLines: logs.lines };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as ExchangeError,
  );

describe('an answer off schema', () => {
  it('fails that read only (after its retries): counted, logged, and no breaker opens', async () => {
    const h = await setup();
    h.fake.inject(
      { kind: 'drop_field', field: 'availableBalance' },
      { path: '/fapi/v2/balance' },
      3 * 8,
    );
    for (let i = 0; i < 8; i++) {
      const e = await failure(h.ex.balance());
      expect([e.kind, e.details.offSchema]).toEqual(['bad_response', true]);
      expect(e.message).toContain('availableBalance');
    }
    expect(h.sent('/fapi/v2/balance')).toBe(3 * 8); // each read tried 3 times
    expect(Object.values(h.states()).every((s) => s === 'closed')).toBe(true);
    expect(
      await h.sample('ais_exchange_schema_failures_total', 'exchange="aster",operation="balance"'),
    ).toBe(8);
    const warned = h.logLines.filter((l) => l.message === 'Exchange answer off schema');
    expect(warned).toHaveLength(8);
    expect(warned[0]).toMatchObject({ level: 'WARNING', extra_json: { operation: 'balance' } });
    // Everything else reads as before, and the balance too once the answer is whole again.
    expect((await h.ex.positions()).map((p) => p.quantity)).toEqual([0.5]);
    expect(await h.ex.openOrders('BTCUSDT')).toEqual([]);
    expect(await h.ex.userTrades('BTCUSDT')).toEqual([]);
    expect((await h.ex.balance()).walletUsd).toBe(10_000);
  });
});

describe('breakers per endpoint group', () => {
  it('an outage of the balance opens aster.account alone: positions, open orders and trades still read', async () => {
    const h = await setup();
    h.fake.inject({ kind: 'status', status: 502 }, { path: '/fapi/v2/balance' }, 100);
    // Retries run inside one guarded call: each read is one failure; five open the breaker.
    for (let i = 0; i < 5; i++) await failure(h.ex.balance());
    expect(await h.ex.balance().catch((e: unknown) => e)).toMatchObject({
      code: 'circuit_open',
      service: 'aster.account',
    });
    expect(h.states()).toMatchObject({
      'aster.account': 'open',
      'aster.positions': 'closed',
      'aster.trades': 'closed',
      'aster.orders': 'closed',
      'aster.market': 'closed',
    });
    expect((await h.ex.positions()).map((p) => p.quantity)).toEqual([0.5]);
    expect(await h.ex.openOrders('BTCUSDT')).toEqual([]);
    expect(await h.ex.income(Date.now() - 60_000)).toEqual([]);
  });
});
