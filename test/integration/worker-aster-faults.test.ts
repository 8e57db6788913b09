// The worker in aster mode against the fake Aster server (the real client, breakers and budgets,
// reconciliation and loop, as a real process): it boots HALTED with the account loaded from the
// exchange, and through an outage, a slow exchange, a 418 ban and a 429 storm it stays up, says
// `degraded` on /health while a breaker is open, places no order twice, and recovers by itself.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { type FakeAster, startFakeAster } from '../fake-aster/server.ts';
import { waitFor } from '../monitoring/processes.ts';
import { asterEnv, startWorker, type WorkerProcess } from '../helpers/worker-process.ts';

const TOKEN = 'aster-faults-token-0123456789';
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
let fake: FakeAster;
let worker: WorkerProcess;

const health = async () => (await fetch(`${worker.url}/health`)).json();

beforeAll(async () => {
  fake = await startFakeAster({ balanceUsd: 50_000, symbols: ['BTCUSDT', 'ETHUSDT'] });
  fake.setMark('BTCUSDT', 60_000);
  fake.setMark('ETHUSDT', 3_000);
  fake.setPosition('ETHUSDT', 2, 2_900);
  worker = await startWorker(
    'bun',
    asterEnv(fake, {
      AIS_API_TOKEN: TOKEN,
      AIS_SYMBOLS: 'BTCUSDT,ETHUSDT',
      AIS_LOOP_INTERVAL_MS: '100',
      AIS_EXCHANGE_TIMEOUT_MS: '500',
      AIS_BREAKER_COOLDOWN_MS: '1000',
      AIS_RECONCILE_INTERVAL_S: '1',
    }),
  );
});
afterAll(async () => {
  await worker?.stop('SIGKILL');
  await fake?.stop();
});

describe('aster mode under exchange faults', () => {
  it('boots HALTED with the account as the exchange reports it, and reconciles clean', async () => {
    const h = await health();
    expect(h).toMatchObject({
      trading_state: 'HALTED',
      components: {
        exchange: { status: 'ok', detail: expect.stringMatching(/^aster/) },
        reconciliation: { status: 'ok' },
      },
    });
    const p = await (await fetch(`${worker.url}/v1/portfolio`, { headers })).json();
    expect(p.positions).toMatchObject([{ symbol: 'ETHUSDT', quantity: 2, avg_entry_price: 2_900 }]);
    expect(p.nav_usd).toBeCloseTo(50_000 + 2 * 100, 0);
    const r = await (
      await fetch(`${worker.url}/v1/reconciliation/run`, { method: 'POST', headers })
    ).json();
    expect(r).toMatchObject({ status: 'passed' });
    expect(
      (
        await fetch(`${worker.url}/v1/control/trading-state`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ state: 'ACTIVE' }),
        })
      ).status,
    ).toBe(200);
  });

  it('an outage opens the breakers: /health says degraded, the worker answers, and recovers by itself', async () => {
    fake.inject({ kind: 'status', status: 502 }, {}, 1_000_000);
    await waitFor(
      'exchange degraded',
      async () => (await health()).components.exchange.status === 'degraded',
      15_000,
    );
    const res = await fetch(`${worker.url}/health`);
    expect(res.status).toBe(503);
    const resilience = await (await fetch(`${worker.url}/v1/resilience`, { headers })).json();
    expect(
      resilience.breakers.some(
        (b: { name: string; state: string }) => b.name.startsWith('aster.') && b.state === 'open',
      ),
    ).toBe(true);
    // Answers keep coming while the exchange is down.
    expect(
      (
        await fetch(`${worker.url}/v1/orders/check`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ symbol: 'BTCUSDT', side: 'BUY', quantity: 0.001, price: 60_000 }),
        })
      ).status,
    ).toBe(200);
    const metrics = await (await fetch(`${worker.url}/metrics`)).text();
    expect(metrics).toMatch(
      /ais_circuit_breaker_rejections_total\{breaker="aster\.[a-z]+"\} [1-9]/,
    );
    expect(metrics).toMatch(
      /ais_exchange_errors_total\{exchange="aster",operation="[a-z_]+"\} [1-9]/,
    );

    fake.clearFaults();
    await waitFor(
      'exchange ok again',
      async () => (await health()).components.exchange.status === 'ok',
      20_000,
    );
  });

  it('a slow exchange times out (typed, counted), and nothing is placed twice', async () => {
    const klinesErrors = async () => {
      const m = /ais_exchange_errors_total\{exchange="aster",operation="klines"\} (\d+)/.exec(
        await (await fetch(`${worker.url}/metrics`)).text(),
      );
      return m ? Number(m[1]) : 0;
    };
    const errorsBefore = await klinesErrors();
    fake.inject({ kind: 'delay', ms: 1_500 }, { path: '/fapi/v1/klines' }, 20);
    await waitFor(
      'klines time-outs counted',
      async () => (await klinesErrors()) > errorsBefore,
      10_000,
    );
    fake.clearFaults();
    const orders = fake.orders();
    const ids = orders.map((o) => (o as { clientOrderId: string }).clientOrderId);
    expect(new Set(ids).size).toBe(ids.length);
    await waitFor(
      'exchange ok after the slow period',
      async () => (await health()).components.exchange.status === 'ok',
      20_000,
    );
  });

  it('a 418 ban pauses every call for its Retry-After, then calls resume', async () => {
    const normalStart = fake.requests.length;
    await Bun.sleep(1_200);
    const normal = fake.requests.length - normalStart;
    expect(normal).toBeGreaterThan(10);
    fake.inject({ kind: 'ban', retryAfterS: 2 }, {}, 1);
    await Bun.sleep(300);
    const before = fake.requests.length;
    await Bun.sleep(1_200);
    // Paused: next to nothing reaches the exchange during the ban (calls already under way may land).
    expect(fake.requests.length - before).toBeLessThanOrEqual(Math.max(3, normal / 5));
    await waitFor(
      'calls resume after the ban',
      async () => fake.requests.length > before + 5,
      10_000,
    );
    const limiters = (await (await fetch(`${worker.url}/v1/resilience`, { headers })).json())
      .limiters;
    expect(limiters.map((l: { name: string }) => l.name)).toEqual(
      expect.arrayContaining(['aster.ip_weight', 'aster.order_count']),
    );
  });

  it('a 429 storm never takes the worker down and the weight budget is respected afterwards', async () => {
    fake.inject({ kind: 'rate_limit', retryAfterS: 1 }, {}, 30);
    await Bun.sleep(2_500);
    fake.clearFaults();
    expect((await fetch(`${worker.url}/health`)).status).toBeLessThan(600);
    await waitFor(
      'exchange ok after the storm',
      async () => (await health()).components.exchange.status === 'ok',
      20_000,
    );
    expect(fake.usedWeight1m).toBeLessThanOrEqual(2_400);
    expect(worker.child.exitCode).toBeNull();
  });
});
