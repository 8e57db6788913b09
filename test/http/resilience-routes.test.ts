// GET /v1/resilience and POST /v1/resilience/breakers/:name/reset through createApp(), on the
// registry of a worker built by the real builder (real WASM core, in-memory libSQL). Its paper
// exchange is guarded like any exchange (paper.* breakers and budgets); the tests add their own.
import { describe, expect, it } from 'bun:test';
import { createApp } from '../../src/http/app.ts';
import { ExchangeError } from '../../src/ports/exchange.ts';
import { auth, createTestDeps } from '../helpers/test-deps.ts';

async function setup() {
  const t = await createTestDeps();
  const app = createApp(t.deps);
  const r = t.deps.resilience;
  const reset = (name: string, headers: Record<string, string> = auth()) =>
    app.request(`/v1/resilience/breakers/${name}/reset`, { method: 'POST', headers });
  return { ...t, app, r, reset };
}

/** Not one of the paper exchange's own breakers or budgets. */
const notPaper = (g: { name: string }) => !g.name.startsWith('paper.');

/** Opens the breaker `name` with three outages. */
async function trip(r: Awaited<ReturnType<typeof setup>>['r'], name: string) {
  const b = r.breaker(name, { failureThreshold: 3, openMs: 60_000 });
  for (let i = 0; i < 3; i++)
    await b.run(() => Promise.reject(new ExchangeError('unavailable', 'HTTP 502'))).catch(() => {});
  return b;
}

describe('GET /v1/resilience', () => {
  it('lists every breaker and limiter in snake_case', async () => {
    const { app, r } = await setup();
    await trip(r, 'aster.market');
    await r.guard('alert_slack', async () => 'sent');
    const l = r.limiter('aster.ip_weight', { capacity: 1_200, refillPerSec: 20 });
    l.tryAcquire(5);
    const res = await app.request('/v1/resilience', { headers: auth() });
    expect(res.status).toBe(200);
    const body = await res.json();
    body.breakers = body.breakers.filter(notPaper);
    body.limiters = body.limiters.filter(notPaper);
    expect(body.breakers).toHaveLength(2);
    expect(body.breakers[0]).toMatchObject({
      name: 'aster.market',
      state: 'open',
      failures: 3,
      successes: 0,
      rejections: 0,
      window_failures: 3,
      options: { mode: 'count', failure_threshold: 3, open_ms: 60_000 },
    });
    expect(Date.parse(body.breakers[0].opened_at)).toBeGreaterThan(0);
    expect(body.breakers[0].retry_after_ms).toBeGreaterThan(59_000);
    expect(body.breakers[1]).toMatchObject({
      name: 'alert_slack',
      state: 'closed',
      successes: 1,
      opened_at: null,
    });
    expect(body.limiters).toHaveLength(1);
    expect(body.limiters[0]).toMatchObject({
      name: 'aster.ip_weight',
      capacity: 1_200,
      refill_per_sec: 20,
      allowed: 1,
      throttled: 0,
      paused_until: null,
    });
    expect(body.limiters[0].tokens).toBeGreaterThanOrEqual(1_195);
    expect(body.limiters[0].tokens).toBeLessThanOrEqual(1_200);
  });

  it("lists only the worker's own guards (its exchange's) before anything else is guarded", async () => {
    const { app } = await setup();
    const body = await (await app.request('/v1/resilience', { headers: auth() })).json();
    expect(body.breakers.length).toBeGreaterThan(0);
    expect([...body.breakers, ...body.limiters].filter(notPaper)).toEqual([]);
    expect(body.breakers.every((b: { state: string }) => b.state === 'closed')).toBe(true);
  });

  it('needs the bearer token', async () => {
    const { app } = await setup();
    expect((await app.request('/v1/resilience')).status).toBe(401);
    expect(
      (await app.request('/v1/resilience', { headers: auth('wrong-token-0123456789') })).status,
    ).toBe(403);
  });
});

describe('POST /v1/resilience/breakers/:name/reset', () => {
  it('closes an open breaker, stores the transition and lets calls through again', async () => {
    const { r, reset, store } = await setup();
    const b = await trip(r, 'aster.orders');
    await expect(b.run(async () => 1)).rejects.toMatchObject({
      code: 'circuit_open',
      service: 'aster.orders',
    });
    const res = await reset('aster.orders');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      changed: true,
      breaker: { name: 'aster.orders', state: 'closed', window_calls: 0, failures: 3 },
    });
    const events = await store.query({ type: 'breaker_transition', stream: 'aster.orders' });
    expect(events.map((e) => e.payload)).toEqual([
      {
        name: 'aster.orders',
        from: 'closed',
        to: 'open',
        reason: '3 failures within 60000 ms (threshold 3)',
      },
      { name: 'aster.orders', from: 'open', to: 'closed', reason: 'reset by api' },
    ]);
    expect(await b.run(async () => 'through')).toBe('through');
  });

  it('changes nothing on a closed breaker', async () => {
    const { r, reset, store } = await setup();
    r.breaker('alert_slack');
    const res = await reset('alert_slack');
    expect(await res.json()).toMatchObject({ changed: false, breaker: { state: 'closed' } });
    expect(await store.query({ type: 'breaker_transition' })).toEqual([]);
  });

  it('answers 404 for an unknown breaker and creates none', async () => {
    const { app, reset, r } = await setup();
    const before = r.stats().breakers;
    const res = await reset('nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'not_found', message: 'no circuit breaker named nope' },
    });
    expect(r.stats().breakers).toEqual(before);
    expect(
      (await app.request('/v1/resilience/breakers/nope/reset', { headers: auth() })).status,
    ).toBe(405); // GET: the path is known under POST only
  });

  it('refuses a malformed name with 400', async () => {
    const { reset } = await setup();
    const res = await reset(`${'x'.repeat(129)}`);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: 'invalid_request' });
    expect((await reset('bad%20name')).status).toBe(400);
  });

  it('needs the bearer token', async () => {
    const { reset, r } = await setup();
    await trip(r, 'aster.market');
    expect((await reset('aster.market', {})).status).toBe(401);
    expect(r.stats().breakers.find((b) => b.name === 'aster.market')?.state).toBe('open');
  });
});

describe('OpenAPI', () => {
  it('lists both resilience routes', async () => {
    const { app } = await setup();
    const doc = await (await app.request('/openapi.json')).json();
    expect(doc.paths['/v1/resilience'].get.summary).toBe('Every circuit breaker and rate limiter');
    const reset = doc.paths['/v1/resilience/breakers/{name}/reset'].post;
    expect(reset.parameters).toContainEqual(expect.objectContaining({ name: 'name', in: 'path' }));
    expect(reset.responses['404']).toBeDefined();
  });
});
