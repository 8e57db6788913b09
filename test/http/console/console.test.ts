// The console over HTTP, in process: read-only without a session, a login that sets a safe cookie
// (never the token), the session accepted by /v1 only from the console's own origin, logout,
// throttled logins, the snapshot's one state word, the sampled history and the API page.
import { beforeAll, describe, expect, test } from 'bun:test';
import { createApp } from '../../../src/http/app.ts';
import { createPortfolio, portfolioSnapshot } from '../../../src/domain/portfolio/portfolio.ts';
import { sampleHistory } from '../../../src/http/console/history.ts';
import { EventType } from '../../../src/ports/event-store.ts';
import { createTestDeps, TEST_TOKEN } from '../../helpers/test-deps.ts';

const ORIGIN = 'http://console.test';
const HOST = 'console.test';
let t: Awaited<ReturnType<typeof createTestDeps>>;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  t = await createTestDeps();
  app = createApp(t.deps);
});

const login = (token: string, headers: Record<string, string> = { origin: ORIGIN }) =>
  app.request(`${ORIGIN}/console/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', host: HOST, ...headers },
    body: JSON.stringify({ token }),
  });
const cookieOf = (res: Response) => res.headers.get('set-cookie')!.split(';')[0]!;
const setState = (cookie: string, headers: Record<string, string>, state = 'REDUCING') =>
  app.request(`${ORIGIN}/v1/control/trading-state`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', host: HOST, cookie, ...headers },
    body: JSON.stringify({ state, reason: 'console test', operator: 'console' }),
  });

describe('the console page', () => {
  test('without a session: the state word and a login form, no control, a strict CSP', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-field="state"');
    expect(html).toContain('id="login"');
    expect(html).not.toContain('data-action=');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});

describe('logging in', () => {
  test('refuses a wrong token, and a login from another origin', async () => {
    expect((await login('wrong-token-0123456789')).status).toBe(403);
    const foreign = await login(TEST_TOKEN, { origin: 'http://evil.test' });
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).error.code).toBe('cross_origin');
    expect(foreign.headers.get('set-cookie')).toBeNull();
  });

  test('sets an HttpOnly, SameSite=Strict session cookie that expires and does not hold the token', async () => {
    const res = await login(TEST_TOKEN);
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(
      /^ais_session=[^;]+; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/,
    );
    expect(cookie).not.toContain(TEST_TOKEN);
    const page = await (await app.request('/', { headers: { cookie: cookieOf(res) } })).text();
    expect(page).toContain('data-action="kill-trigger"');
    expect(page).not.toContain(TEST_TOKEN);
  });

  test('marks the cookie Secure behind an https proxy', async () => {
    const res = await login(TEST_TOKEN, { origin: ORIGIN, 'x-forwarded-proto': 'https' });
    expect(res.headers.get('set-cookie')).toContain('; Secure');
  });
});

describe('a session on the API', () => {
  test('reads /v1 and changes state from the same origin, recorded as a control action', async () => {
    const cookie = cookieOf(await login(TEST_TOKEN));
    const read = await app.request(`${ORIGIN}/v1/portfolio`, { headers: { cookie, host: HOST } });
    expect(read.status).toBe(200);
    const res = await setState(cookie, { origin: ORIGIN });
    expect(res.status).toBe(200);
    expect((await res.json()).trading_state).toBe('REDUCING');
    const [action] = await t.store.query({
      type: EventType.controlAction,
      newestFirst: true,
      limit: 1,
    });
    expect(action!.payload).toMatchObject({
      endpoint: 'trading-state',
      by: 'console',
      reason: 'console test',
    });
    expect((await setState(cookie, { origin: ORIGIN }, 'ACTIVE')).status).toBe(200);
  });

  test('refuses a state change without Origin, from another origin or marked cross-site', async () => {
    const cookie = cookieOf(await login(TEST_TOKEN));
    const cases: Record<string, string>[] = [
      {},
      { origin: 'http://evil.test' },
      { origin: ORIGIN, 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of cases) {
      const res = await setState(cookie, headers);
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe('cross_origin');
    }
    expect(t.risk.control.state().tradingState).toBe('ACTIVE');
  });

  test('is not accepted by the Alertmanager webhook, and ends at logout', async () => {
    const cookie = cookieOf(await login(TEST_TOKEN));
    const hook = await app.request(`${ORIGIN}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { cookie, host: HOST, origin: ORIGIN, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(hook.status).toBe(401);
    const out = await app.request(`${ORIGIN}/console/logout`, {
      method: 'POST',
      headers: { cookie, host: HOST, origin: ORIGIN },
    });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect(
      (await app.request(`${ORIGIN}/v1/portfolio`, { headers: { cookie, host: HOST } })).status,
    ).toBe(401);
    expect((await setState(cookie, { origin: ORIGIN })).status).toBe(401);
  });
});

describe('the snapshot', () => {
  test('says KILLED, one word, while the kill switch is on whatever the trading state', async () => {
    await t.risk.control.apply({
      type: 'trigger',
      reason: 'snapshot test',
      by: 'test',
      source: 'manual',
    });
    const s = await (await app.request('/console/snapshot')).json();
    expect(s.state).toMatchObject({
      word: 'KILLED',
      reason: 'snapshot test',
      tradingState: 'ACTIVE',
    });
    expect(s.timeline[0]).toMatchObject({ kind: 'kill_switch', level: 'bad' });
    await t.risk.control.apply({ type: 'reset', by: 'test' });
    await Bun.sleep(1_100); // a new snapshot (they are shared for a second)
    // A reset leaves trading HALTED until an operator sets it ACTIVE (trading-control.ts).
    expect((await (await app.request('/console/snapshot')).json()).state.word).toBe('HALTED');
    await t.risk.control.apply({ type: 'set_state', state: 'ACTIVE', by: 'test' });
  });

  test('lists no per-cycle rows in the timeline', async () => {
    await t.store.append({
      type: EventType.portfolio,
      payload: portfolioSnapshot(createPortfolio(1_000), 1),
    });
    const s = await (await app.request('/console/snapshot')).json();
    const kinds = new Set(s.timeline.map((r: { kind: string }) => r.kind));
    for (const k of ['portfolio', 'signal', 'risk_decision', 'decision'])
      expect(kinds.has(k)).toBe(false);
  });
});

describe('the history', () => {
  test('samples the snapshots of the range evenly, oldest first, the newest included', async () => {
    const d = await createTestDeps();
    const start = 1_000_000_000_000;
    const events = Array.from({ length: 2_000 }, (_, i) => ({
      type: EventType.portfolio,
      timeMs: start + i * 1_000,
      payload: portfolioSnapshot(createPortfolio(1_000 + i), i),
    }));
    await d.store.appendBatch(events);
    const h = await sampleHistory(d.store, start + 500_000, 100);
    expect(h.time.length).toBeGreaterThan(90);
    expect(h.time.length).toBeLessThanOrEqual(101);
    expect(h.time[0]).toBeGreaterThanOrEqual((start + 500_000) / 1000);
    expect(h.time[0]).toBeLessThan((start + 520_000) / 1000);
    expect(h.time.at(-1)).toBe((start + 1_999_000) / 1000);
    expect([...h.time].sort((a, b) => a - b)).toEqual(h.time);
    expect(h.nav.at(-1)).toBe(2_999);
    expect((await sampleHistory(d.store, start + 3_000_000)).time).toEqual([]);
  });

  test('answers a range from the console route', async () => {
    const res = await app.request('/console/history?range=1h');
    expect(res.status).toBe(200);
    expect(Object.keys(await res.json())).toEqual(['time', 'nav', 'drawdown']);
    expect((await app.request('/console/history?range=2y')).status).toBe(400);
  });
});

describe('the API reference page', () => {
  test('is served by the worker', async () => {
    const res = await app.request('/api');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('/console/assets/api.js');
  });
});

describe('logins', () => {
  test('answer 429 after ten failures in a minute', async () => {
    const d = await createTestDeps();
    const a = createApp(d.deps);
    const attempt = () =>
      a.request(`${ORIGIN}/console/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', host: HOST, origin: ORIGIN },
        body: JSON.stringify({ token: 'wrong-token-0123456789' }),
      });
    for (let i = 0; i < 10; i++) expect((await attempt()).status).toBe(403);
    expect((await attempt()).status).toBe(429);
  });
});
