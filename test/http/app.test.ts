import { describe, expect, it } from 'bun:test';
import { createApp } from '../../src/http/app.ts';
import { auth, createTestDeps } from '../helpers/test-deps.ts';

describe('createApp', () => {
  it('answers /health with the product shape', async () => {
    const { deps } = await createTestDeps();
    const res = await createApp(deps).request('/health');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      status: 'ok',
      trading_state: 'ACTIVE',
      kill_switch: { active: false },
    });
    expect(Object.keys(body.components).sort()).toEqual([
      'db',
      'exchange',
      'loop',
      'reconciliation',
      'symbols',
      'wasm',
    ]);
  });

  it('serves metrics with HTTP request counts labelled by route pattern', async () => {
    const { deps } = await createTestDeps();
    const app = createApp(deps);
    await app.request('/health');
    await app.request('/v1/events?limit=1', { headers: auth() });
    await app.request('/no/such/path');
    const res = await app.request('/metrics');
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('ais_http_requests_total{method="GET",route="/health",status="200"} 1');
    expect(text).toContain(
      'ais_http_requests_total{method="GET",route="/v1/events",status="200"} 1',
    );
    expect(text).toContain('route="unmatched",status="404"');
    expect(text).not.toContain('/no/such/path');
  });

  it('exports every configured risk limit as ais_risk_limit{guard}, in force from start-up', async () => {
    const { deps } = await createTestDeps({ AIS_MAX_LEVERAGE: '2.5', AIS_MAX_DRAWDOWN: '0.1' });
    const text = await (await createApp(deps).request('/metrics')).text();
    for (const line of [
      'ais_risk_limit{guard="drawdown"} 0.1',
      'ais_risk_limit{guard="leverage"} 2.5',
      'ais_risk_limit{guard="daily_loss"} 0.02',
      'ais_risk_limit{guard="gross_exposure"} 1',
      'ais_risk_limit{guard="net_exposure"} 0.5',
      'ais_risk_limit{guard="position_weight"} 0.05',
      'ais_risk_limit{guard="order_notional"} 10000',
      'ais_risk_limit{guard="order_rate"} 60',
      'ais_risk_limit{guard="liquidation_distance"} 0.1',
    ])
      expect(text).toContain(line);
  });

  it('answers unknown paths with a JSON 404', async () => {
    const { deps } = await createTestDeps();
    const res = await createApp(deps).request('/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'not_found', message: 'no route for GET /nope' },
    });
  });

  it('answers a wrong method on a known path with 405 and Allow', async () => {
    const { deps } = await createTestDeps();
    const app = createApp(deps);
    const health = await app.request('/health', { method: 'POST' });
    expect(health.status).toBe(405);
    expect(health.headers.get('allow')).toBe('GET, HEAD');
    expect((await health.json()).error.code).toBe('method_not_allowed');
    const check = await app.request('/v1/orders/check', { headers: auth() });
    expect(check.status).toBe(405);
    expect(check.headers.get('allow')).toBe('POST');
    // Still a 404 where the path is unknown under every method.
    expect(
      (await app.request('/v1/orders/nope', { method: 'DELETE', headers: auth() })).status,
    ).toBe(404);
  });

  describe('control authentication', () => {
    it('fails closed with 503 and a how-to when no token is configured', async () => {
      const { deps } = await createTestDeps({ AIS_API_TOKEN: '' });
      const res = await createApp(deps).request('/v1/events', { headers: auth() });
      expect(res.status).toBe(503);
      expect((await res.json()).error.message).toContain('AIS_API_TOKEN');
    });

    it('answers 401 without a token and 403 with a wrong one', async () => {
      const { deps } = await createTestDeps();
      const app = createApp(deps);
      expect((await app.request('/v1/events')).status).toBe(401);
      expect(
        (await app.request('/v1/events', { headers: { Authorization: 'Basic abc' } })).status,
      ).toBe(401);
      expect(
        (await app.request('/v1/events', { headers: auth('wrong-token-0123456789') })).status,
      ).toBe(403);
      expect((await app.request('/v1/events', { headers: auth() })).status).toBe(200);
    });

    it('can put /metrics behind its own token', async () => {
      const { deps } = await createTestDeps({ AIS_METRICS_TOKEN: 'metrics-secret' });
      const app = createApp(deps);
      expect((await app.request('/metrics')).status).toBe(401);
      expect((await app.request('/metrics', { headers: auth('metrics-secret') })).status).toBe(200);
    });
  });

  describe('GET /v1/events', () => {
    it('returns stored events filtered by type and time', async () => {
      const { deps, store } = await createTestDeps();
      await store.appendBatch([
        { type: 'decision', payload: { n: 1 }, timeMs: 1_000 },
        { type: 'control_action', payload: { n: 2, by: 't', result: 'applied' }, timeMs: 2_000 },
        { type: 'decision', payload: { n: 3 }, timeMs: 3_000 },
      ]);
      const res = await createApp(deps).request(
        '/v1/events?type=decision&since=1970-01-01T00:00:02Z&limit=5',
        { headers: auth() },
      );
      const body = await res.json();
      expect(body.events.map((e: { payload: unknown }) => e.payload)).toEqual([{ n: 3 }]);
      expect(body.events[0].time).toBe('1970-01-01T00:00:03.000Z');
    });

    it.each([
      'type=nope',
      'limit=0',
      'limit=99999',
      'limit=abc',
      'since=yesterday',
      'bogus=1',
      'after_id=-1',
    ])('answers 400 JSON for %s', async (query) => {
      const { deps } = await createTestDeps();
      const res = await createApp(deps).request(`/v1/events?${query}`, { headers: auth() });
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe('invalid_request');
    });
  });

  it('refuses bodies over the size limit with 413 JSON', async () => {
    const { deps } = await createTestDeps();
    const res = await createApp(deps).request('/v1/events', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: 'x'.repeat(2 * 1024 * 1024),
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
  });
});
