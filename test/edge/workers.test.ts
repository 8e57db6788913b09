// The Cloudflare Workers entry in workerd (bundled by wrangler, run by Miniflare) beside a Bun
// worker on one remote libSQL server (the Hrana stand-in): health, checks, a kill switch and HALTED
// set on the Bun worker and honoured by the very next check in workerd, metrics, events, webhooks,
// logs in the worker's JSON shape, and a setting an isolate cannot honour refused by name.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { join } from 'node:path';
import { createLibsqlEventStore } from '../../src/adapters/store/libsql/event-store.ts';
import { type FakeSqld, startFakeSqld } from '../fake-sqld/server.ts';
import { startWorker, tempDir, type WorkerProcess } from '../helpers/worker-process.ts';
import { startWorkerd, type WorkerdInstance } from '../helpers/workerd.ts';

const TOKEN = 'edge-workers-token-0123456789';
const SECRET = 'edge-workers-hmac-secret-0123456789abcdef';
const order = { symbol: 'BTCUSDT', side: 'BUY', quantity: 0.001, price: 60_000 };
const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

let sqld: FakeSqld;
let edge: WorkerdInstance;
let bun: WorkerProcess;

const post = (base: string, path: string, body: unknown) =>
  fetch(`${base}${path}`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
const check = async (base: string) => (await post(base, '/v1/orders/check', order)).json();

beforeAll(async () => {
  sqld = await startFakeSqld(join(tempDir(), 'shared.db'));
  // Migrations run outside the isolate: here by a store opened on Bun, as `npm run db:migrate` would.
  const migrated = await createLibsqlEventStore({ url: sqld.url, nowMs: Date.now });
  await migrated.close();
  const shared = {
    AIS_DB_URL: sqld.url,
    AIS_API_TOKEN: TOKEN,
    AIS_RISK_HMAC_SECRET: SECRET,
    // The trials approve many checks: the order_rate guard is not what is tested here.
    AIS_MAX_ORDERS_PER_MINUTE: '100000',
  };
  [edge, bun] = await Promise.all([
    startWorkerd(shared),
    startWorker('bun', {
      ...shared,
      AIS_LOOP_ENABLED: 'false',
      AIS_DECISION_LOG_PATH: 'store:',
      AIS_INSTANCE_ID: 'vps',
      // Long on purpose: the isolate must not depend on anyone's sync interval.
      AIS_CONTROL_SYNC_MS: '600000',
    }),
  ]);
}, 60_000);

afterAll(async () => {
  await edge?.stop();
  await bun?.stop('SIGKILL');
  await sqld?.stop();
});

describe('the Workers entry in workerd', () => {
  it('answers /health with the remote database ok and the loop elsewhere', async () => {
    const res = await fetch(`${edge.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      components: {
        db: { status: 'ok' },
        wasm: { status: 'ok', detail: 'wasm' },
        loop: { status: 'disabled' },
        exchange: { status: 'disabled' },
      },
    });
  });

  it('approves a check with a risk token; refuses one without a token or with a bad body', async () => {
    const answer = await check(edge.url);
    expect(answer).toMatchObject({ approved: true, token: expect.any(String) });
    expect((await fetch(`${edge.url}/v1/orders/check`, { method: 'POST' })).status).toBe(401);
    const bad = await fetch(`${edge.url}/v1/orders/check`, {
      method: 'POST',
      headers: auth,
      body: '{"symbol":',
    });
    expect(bad.status).toBe(400);
  });

  it('answers 32 concurrent checks (no write waits on a timer of a request that has answered)', async () => {
    const answers = await Promise.all(
      Array.from({ length: 32 }, () => post(edge.url, '/v1/orders/check', order)),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(32).fill(200));
  });

  it('refuses the very next check after the Bun worker acknowledged a kill switch, 20 times of 20', async () => {
    for (let trial = 0; trial < 20; trial++) {
      const trigger = await post(bun.url, '/v1/control/kill-switch', {
        action: 'trigger',
        reason: `drill ${trial}`,
      });
      expect(trigger.status).toBe(200);
      expect(await check(edge.url)).toMatchObject({ approved: false, guard: 'kill_switch' });
      // A reset leaves trading HALTED until an operator sets ACTIVE (as on one worker).
      expect((await post(bun.url, '/v1/control/kill-switch', { action: 'reset' })).status).toBe(
        200,
      );
      expect((await post(bun.url, '/v1/control/trading-state', { state: 'ACTIVE' })).status).toBe(
        200,
      );
      expect(await check(edge.url)).toMatchObject({ approved: true });
    }
  }, 60_000);

  it('refuses the very next check after the Bun worker set HALTED, and trades again after ACTIVE', async () => {
    expect(
      (await post(bun.url, '/v1/control/trading-state', { state: 'HALTED', reason: 'drill' }))
        .status,
    ).toBe(200);
    expect(await check(edge.url)).toMatchObject({ approved: false, guard: 'trading_state' });
    const health = await (await fetch(`${edge.url}/health`)).json();
    expect(health).toMatchObject({ status: 'halted', trading_state: 'HALTED' });
    expect((await post(bun.url, '/v1/control/trading-state', { state: 'ACTIVE' })).status).toBe(
      200,
    );
    expect((await check(edge.url)).approved).toBe(true);
  });

  it('exposes its metrics: build info for workerd, decisions by guard, HTTP requests', async () => {
    const text = await (await fetch(`${edge.url}/metrics`)).text();
    const lines = text.split('\n');
    const line = (prefix: string) => lines.find((l) => l.startsWith(prefix));
    expect(line('ais_build_info')).toBe(
      'ais_build_info{version="0.1.0",runtime="workerd",instance="edge"} 1',
    );
    expect(line('ais_risk_rejections_total{guard="kill_switch"}')).toEndWith(' 20');
    expect(line('ais_risk_rejections_total{guard="trading_state"}')).toEndWith(' 1');
    expect(line('ais_signals_approved_total')).toEndWith(' 54');
    expect(line('ais_kill_switch_active')).toBe('ais_kill_switch_active 0');
    expect(
      line('ais_http_requests_total{method="POST",route="/v1/orders/check",status="200"}'),
    ).toEndWith(' 75');
  });

  it('stores its decisions in the shared store, read back by both workers', async () => {
    const path = '/v1/events?type=risk_decision&limit=1000';
    const [fromEdge, fromBun] = await Promise.all(
      [edge.url, bun.url].map(async (base) =>
        (await fetch(`${base}${path}`, { headers: auth })).json(),
      ),
    );
    expect(fromEdge.events.length).toBeGreaterThanOrEqual(75);
    expect(fromBun.events.map((e: { id: number }) => e.id)).toEqual(
      fromEdge.events.map((e: { id: number }) => e.id),
    );
  });

  it('takes an Alertmanager webhook into the shared store', async () => {
    const res = await post(edge.url, '/webhooks/alertmanager', {
      version: '4',
      status: 'firing',
      receiver: 'ais-worker',
      groupKey: '{}:{alertname="EdgeDrill"}',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'EdgeDrill', severity: 'info' },
          annotations: { summary: 'drill' },
          startsAt: new Date().toISOString(),
        },
      ],
    });
    expect(res.status).toBeLessThan(300);
    const alerts = await (
      await fetch(`${bun.url}/v1/events?type=alert&limit=10`, { headers: auth })
    ).json();
    expect(JSON.stringify(alerts.events)).toContain('EdgeDrill');
  });

  it('serves the console with its script, styles and uPlot bundled as text (no file system)', async () => {
    const page = await fetch(`${edge.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-field="state"');
    for (const [name, type, marker] of [
      ['app.js', 'javascript', 'EventSource'],
      ['uPlot.iife.min.js', 'javascript', 'uPlot'],
      ['app.css', 'text/css', '.state-KILLED'],
      ['uPlot.min.css', 'text/css', '.uplot'],
    ] as const) {
      const res = await fetch(`${edge.url}/console/assets/${name}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain(type);
      expect(await res.text()).toContain(marker);
    }
    const snapshot = await (await fetch(`${edge.url}/console/snapshot`)).json();
    expect(snapshot.state.word).toMatch(/^(ACTIVE|REDUCING|HALTED|KILLED)$/);
  });

  it("keeps the isolate's heap far under Workers' 128 MB after the trials", async () => {
    const heap = await edge.heapBytes();
    expect(heap.total).toBeLessThan(64 * 2 ** 20);
    // What stays alive after a collection: the worker itself, about 10 MB.
    const live = await edge.heapBytes({ gc: true });
    expect(live.used).toBeGreaterThan(2 * 2 ** 20);
    expect(live.used).toBeLessThan(32 * 2 ** 20);
  });

  it('logs JSON lines of the worker shape through console, no secret in them', () => {
    const built = edge.logs.find((l) => l.message === 'Edge worker built');
    expect(built).toMatchObject({
      level: 'INFO',
      logger: 'ais.main',
      timestamp: expect.any(String),
      extra_json: { runtime: 'workerd' },
    });
    expect(JSON.stringify(edge.logs)).not.toContain(SECRET);
    expect(JSON.stringify(edge.logs)).not.toContain(TOKEN);
  });
});

describe('the Workers entry with a setting an isolate cannot honour', () => {
  it('answers 503 with the one line naming the variable', async () => {
    const local = await startWorkerd({ AIS_DB_URL: 'file:./data/ais.db' });
    try {
      const res = await fetch(`${local.url}/health`);
      expect(res.status).toBe(503);
      expect((await res.json()).error.message).toBe(
        'config: AIS_DB_URL must be a remote libSQL URL (libsql:, https:) in an isolate: it has no disk',
      );
    } finally {
      await local.stop();
    }
  });
});
