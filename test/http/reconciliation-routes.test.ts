// POST /v1/reconciliation/run and GET /v1/reconciliation/latest through createApp(), with a real
// reconciler on the paper exchange behind them.
import { describe, expect, it } from 'bun:test';
import { createLibsqlEventStore } from '../../src/adapters/store/libsql/event-store.ts';
import { createApp } from '../../src/http/app.ts';
import { paperHarness } from '../domain/reconciliation/paper-harness.ts';
import { auth, createTestDeps } from '../helpers/test-deps.ts';

async function setup() {
  const h = await paperHarness();
  const app = createApp(h.deps);
  const run = (headers: Record<string, string> = auth()) =>
    app.request('/v1/reconciliation/run', { method: 'POST', headers });
  const latest = (headers: Record<string, string> = auth()) =>
    app.request('/v1/reconciliation/latest', { headers });
  return { ...h, app, run, latest };
}

describe('reconciliation routes', () => {
  // A built worker reconciles once before it serves; a database no run has reached yet (a fresh
  // one) is what answers 404.
  it('answers 404 with a JSON error before the first run', async () => {
    const { deps } = await setup();
    const store = await createLibsqlEventStore({ url: ':memory:', nowMs: Date.now });
    const res = await createApp({ ...deps, store }).request('/v1/reconciliation/latest', {
      headers: auth(),
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'not_found', message: 'no reconciliation report yet' },
    });
  });

  it('runs now, answers the report, and latest answers the same stored report', async () => {
    const { run, latest, trade, tick } = await setup();
    await trade('BTCUSDT', 'BUY', 0.02);
    tick(10_000);
    const res = await run();
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      status: 'passed',
      passed: true,
      mismatched_symbols: [],
      totals: { checks: 3, matched: 3, mismatched: 0, errors: 0 },
    });
    expect(body.results[0]).toEqual({
      check_type: 'position',
      symbol: 'BTCUSDT',
      status: 'MATCH',
      internal_value: 0.02,
      exchange_value: 0.02,
      message: 'BTCUSDT: 0.02 on both sides',
    });
    const stored = await latest();
    expect(stored.status).toBe(200);
    expect(await stored.json()).toEqual(body);
  });

  it('records a run requested with a reason as a control action, with the report status', async () => {
    const { app, deps } = await setup();
    const res = await app.request('/v1/reconciliation/run', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'after the drill', operator: 'console' }),
    });
    expect(res.status).toBe(200);
    const [action] = await deps.store.query({
      type: 'control_action',
      newestFirst: true,
      limit: 1,
    });
    expect(action!.payload).toMatchObject({
      endpoint: 'reconciliation-run',
      reason: 'after the drill',
      by: 'console',
      result: (await res.json()).status,
    });
    const unknown = await app.request('/v1/reconciliation/run', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ why: 'x' }),
    });
    expect(unknown.status).toBe(400);
  });

  it('halts trading when the run finds a divergence', async () => {
    const { run, deps, bookFill, market } = await setup();
    bookFill({ symbol: 'ETHUSDT', side: 'BUY', quantity: 1, price: market.price('ETHUSDT')! });
    const body = await (await run()).json();
    expect(body.status).toBe('failed');
    expect(body.results.find((r: { symbol: string }) => r.symbol === 'ETHUSDT')).toMatchObject({
      status: 'MISSING_EXCHANGE',
      internal_value: 1,
      exchange_value: 0,
    });
    expect(deps.risk.control.state()).toMatchObject({ tradingState: 'HALTED' });
    const portfolio = await (
      await createApp(deps).request('/v1/portfolio', { headers: auth() })
    ).json();
    expect(portfolio.trading_state).toBe('HALTED');
  });

  it('takes a body-less POST that says it is JSON as an empty body, and still refuses a malformed one', async () => {
    const { run } = await setup();
    const json = { ...auth(), 'content-type': 'application/json' };
    expect((await run(json)).status).toBe(200);
    const { app } = await setup();
    const bad = await app.request('/v1/reconciliation/run', {
      method: 'POST',
      headers: json,
      body: '{"reason":',
    });
    expect(bad.status).toBe(400);
  });

  it('needs the bearer token', async () => {
    const { run, latest, newEvents } = await setup();
    expect((await run({})).status).toBe(401);
    expect((await latest(auth('wrong-token-0123456789'))).status).toBe(403);
    expect(await newEvents({ type: 'reconciliation' })).toHaveLength(0);
  });

  it('answers 503 for a run when the worker has no reconciliation, and still serves the stored report', async () => {
    const { deps, store } = await createTestDeps();
    // The deps of a worker built without reconciliation.
    const app = createApp({ ...deps, trading: { ...deps.trading, reconciliation: undefined } });
    const res = await app.request('/v1/reconciliation/run', { method: 'POST', headers: auth() });
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('reconciliation_disabled');
    const report = {
      time: '1970-01-01T00:00:00.000Z',
      time_ms: 0,
      status: 'passed' as const,
      passed: true,
      totals: { checks: 0, matched: 0, mismatched: 0, errors: 0, deferred: 0 },
      mismatched_symbols: [],
      results: [],
    };
    await store.append({ type: 'reconciliation', payload: report });
    expect(
      await (await app.request('/v1/reconciliation/latest', { headers: auth() })).json(),
    ).toEqual(report);
  });

  it('is documented in /openapi.json with the report schema', async () => {
    const { app } = await setup();
    const doc = await (await app.request('/openapi.json')).json();
    const post = doc.paths['/v1/reconciliation/run'].post;
    expect(post.summary).toBe('Reconcile with the exchange now');
    expect(post.security).toEqual([{ bearer: [] }]);
    const schema = post.responses['200'].content['application/json'].schema;
    expect(schema.properties.results.items.properties.status.enum).toEqual([
      'MATCH',
      'MISMATCH',
      'MISSING_INTERNAL',
      'MISSING_EXCHANGE',
      'ERROR',
      'DEFERRED',
    ]);
    expect(doc.paths['/v1/reconciliation/latest'].get.responses['404']).toBeDefined();
  });
});
