import { afterEach, describe, expect, it } from 'bun:test';
import { createHash } from 'node:crypto';
import { createApp } from '../../src/http/app.ts';
import { EventType } from '../../src/ports/event-store.ts';
import { type LoopbackReceiver, startReceiver } from '../adapters/alerts/loopback-receiver.ts';
import { auth, createTestDeps } from '../helpers/test-deps.ts';

/** A stand-in for Alertmanager's label-set fingerprint (16 hex digits). */
const fingerprintOf = (labels: Record<string, string>) =>
  createHash('sha256')
    .update(JSON.stringify(Object.entries(labels).sort()))
    .digest('hex')
    .slice(0, 16);

/** A delivery as Alertmanager 0.2x sends it (fields and shapes from its webhook documentation). */
function delivery(
  alerts: {
    name: string;
    severity?: string;
    status?: 'firing' | 'resolved';
    labels?: Record<string, string>;
  }[],
) {
  return {
    version: '4',
    groupKey: '{}:{alertname="HighDrawdown"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'ais-worker',
    groupLabels: { alertname: alerts[0]?.name ?? '' },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: alerts.map((a) => ({
      status: a.status ?? 'firing',
      labels: {
        alertname: a.name,
        ...(a.severity ? { severity: a.severity } : {}),
        job: 'ais-worker',
        ...a.labels,
      },
      annotations: {
        summary: `${a.name} summary`,
        description: 'details',
        runbook_url: `https://example.test/docs/runbooks/${a.name}.md`,
      },
      startsAt: '2026-01-02T03:04:05.123Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph?g0.expr=ais_drawdown',
      // Alertmanager's fingerprint is a hash of the label set: one per alert.
      fingerprint: fingerprintOf({ alertname: a.name, ...a.labels }),
    })),
  };
}

const post = (
  app: ReturnType<typeof createApp>,
  body: unknown,
  headers: Record<string, string> = auth(),
) =>
  app.request('/webhooks/alertmanager', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const receivers: LoopbackReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

describe('POST /webhooks/alertmanager', () => {
  it('stores each alert as an alert event under its alertname and counts it', async () => {
    const { deps, store, metrics } = await createTestDeps();
    const app = createApp(deps);
    const res = await post(
      app,
      delivery([
        { name: 'HighDrawdown', severity: 'critical' },
        { name: 'WorkerDown', severity: 'critical', status: 'resolved' },
      ]),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { stored: number; event_ids: number[] };
    expect(body.stored).toBe(2);

    const events = await store.query({ type: EventType.alert });
    expect(events.map((e) => [e.id, e.stream])).toEqual([
      [body.event_ids[0]!, 'HighDrawdown'],
      [body.event_ids[1]!, 'WorkerDown'],
    ]);
    expect(events[1]!.payload).toMatchObject({
      source: 'alertmanager',
      status: 'resolved',
      severity: 'critical',
      summary: 'WorkerDown summary',
      labels: { alertname: 'WorkerDown', job: 'ais-worker' },
      starts_at: '2026-01-02T03:04:05.123Z',
      fingerprint: fingerprintOf({ alertname: 'WorkerDown' }),
      receiver: 'ais-worker',
    });
    const text = await metrics.render();
    expect(text).toContain(
      'ais_alerts_received_total{alertname="HighDrawdown",severity="critical",status="firing"} 1',
    );
    expect(text).toContain(
      'ais_alerts_received_total{alertname="WorkerDown",severity="critical",status="resolved"} 1',
    );
  });

  it('stores, counts and sends an alert state once when the same delivery comes twice', async () => {
    const hook = await startReceiver();
    receivers.push(hook);
    const { deps, store, metrics } = await createTestDeps({
      AIS_ALERT_WEBHOOK_URL: hook.url,
      AIS_ALERT_WEBHOOK_MIN_SEVERITY: 'info',
    });
    const app = createApp(deps);
    const firing = delivery([{ name: 'HighDrawdown', severity: 'critical' }]);
    const first = (await (await post(app, firing)).json()) as Record<string, unknown>;
    const second = (await (await post(app, firing)).json()) as Record<string, unknown>;
    expect([first.stored, first.duplicates]).toEqual([1, 0]);
    expect([second.stored, second.duplicates]).toEqual([0, 1]);
    // The resolution is another state: stored and sent once too.
    const resolved = delivery([{ name: 'HighDrawdown', severity: 'critical', status: 'resolved' }]);
    await post(app, resolved);
    await post(app, resolved);
    await deps.alerts.drain();
    const stored = await store.query({ type: EventType.alert });
    expect(stored.map((e) => (e.payload as { status: string }).status)).toEqual([
      'firing',
      'resolved',
    ]);
    expect(
      hook.received.flatMap((r) => r.body.alerts.map((a: { status: string }) => a.status)),
    ).toEqual(['firing', 'resolved']);
    const text = await metrics.render();
    expect(text).toContain('ais_alerts_duplicate_total{alertname="HighDrawdown"} 2');
    expect(text).toContain(
      'ais_alerts_received_total{alertname="HighDrawdown",severity="critical",status="firing"} 1',
    );
  });

  it('refuses a request without the bearer token', async () => {
    const { deps, store } = await createTestDeps();
    const res = await post(createApp(deps), delivery([{ name: 'A' }]), {});
    expect(res.status).toBe(401);
    expect(await store.query({ type: EventType.alert })).toHaveLength(0);
  });

  const bad: [string, unknown, string][] = [
    ['another payload version', { ...delivery([{ name: 'A' }]), version: '3' }, 'version'],
    [
      'an alert without alertname',
      {
        ...delivery([{ name: 'A' }]),
        alerts: [
          { status: 'firing', labels: { severity: 'warning' }, annotations: {}, startsAt: 'x' },
        ],
      },
      'alertname',
    ],
    [
      'an unknown alert status',
      {
        ...delivery([{ name: 'A' }]),
        alerts: [{ ...delivery([{ name: 'A' }]).alerts[0], status: 'pending' }],
      },
      'status',
    ],
    ['no alerts', { ...delivery([{ name: 'A' }]), alerts: [] }, 'alerts'],
    [
      'labels that are not strings',
      {
        ...delivery([{ name: 'A' }]),
        alerts: [{ ...delivery([{ name: 'A' }]).alerts[0], labels: { alertname: 'A', n: 1 } }],
      },
      'labels',
    ],
  ];
  for (const [what, body, mentions] of bad) {
    it(`answers 400 with a JSON error and stores nothing for ${what}`, async () => {
      const { deps, store } = await createTestDeps();
      const res = await post(createApp(deps), body);
      expect(res.status).toBe(400);
      const err = (await res.json()) as { error: { code: string; message: string } };
      expect(err.error.code).toBe('invalid_request');
      expect(err.error.message).toContain(mentions);
      expect(await store.query({ type: EventType.alert })).toHaveLength(0);
    });
  }

  it('answers 400 for a body that is not JSON', async () => {
    const { deps, store } = await createTestDeps();
    const res = await post(createApp(deps), '{"version":');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
    expect(await store.query({ type: EventType.alert })).toHaveLength(0);
  });

  it('fans out to the webhook and Slack receivers by their minimum severity, after answering', async () => {
    const hook = await startReceiver({ delayMs: 700 });
    const slack = await startReceiver();
    receivers.push(hook, slack);
    const { deps, metrics } = await createTestDeps({
      AIS_ALERT_WEBHOOK_URL: hook.url,
      AIS_ALERT_WEBHOOK_MIN_SEVERITY: 'info',
      AIS_SLACK_WEBHOOK_URL: slack.url,
      AIS_SLACK_MIN_SEVERITY: 'critical',
    });
    const app = createApp(deps);
    const t0 = performance.now();
    const res = await post(
      app,
      delivery([
        { name: 'HighLeverage', severity: 'critical' },
        { name: 'ExchangeDataStale', severity: 'warning' },
        { name: 'Note' },
      ]),
    );
    // The webhook receiver holds each answer for 0.7 s; the worker's answer must not wait for it.
    expect(res.status).toBe(200);
    expect(performance.now() - t0).toBeLessThan(500);

    await deps.alerts.drain();
    expect(
      hook.received
        .flatMap((r) =>
          r.body.alerts.map((a: { name: string; severity: string }) => [a.name, a.severity]),
        )
        .sort(),
    ).toEqual([
      ['ExchangeDataStale', 'warning'],
      ['HighLeverage', 'critical'],
      // No severity label counts as a warning.
      ['Note', 'warning'],
    ]);
    expect(hook.received[0]!.headers['content-type']).toBe('application/json');
    expect(slack.received).toHaveLength(1);
    expect(slack.received[0]!.body.blocks[1].text.text).toContain('HighLeverage');
    expect(JSON.stringify(slack.received[0]!.body)).toContain(
      'https://example.test/docs/runbooks/HighLeverage.md',
    );
    const text = await metrics.render();
    // One Alertmanager group, one message per channel.
    expect(hook.received).toHaveLength(1);
    expect(text).toContain('ais_alert_notifications_total{channel="webhook",outcome="sent"} 1');
    expect(text).toContain('ais_alert_notifications_total{channel="slack",outcome="sent"} 1');
    expect(text).toContain('ais_alert_notifications_total{channel="slack",outcome="skipped"} 2');
  });

  it('is documented in /openapi.json with its request schema', async () => {
    const { deps } = await createTestDeps();
    const doc = (await (await createApp(deps).request('/openapi.json')).json()) as {
      paths: Record<string, any>;
    };
    const post = doc.paths['/webhooks/alertmanager']?.post;
    expect(post).toBeDefined();
    const schema = JSON.stringify(post.requestBody);
    expect(schema).toContain('truncatedAlerts');
    expect(schema).toContain('fingerprint');
  });

  it('still answers 200 when a channel fails, and logs the failure', async () => {
    const hook = await startReceiver({ status: 503 });
    receivers.push(hook);
    const { deps, logs, metrics } = await createTestDeps({ AIS_ALERT_WEBHOOK_URL: hook.url });
    const res = await post(
      createApp(deps),
      delivery([{ name: 'CircuitBreakerOpen', severity: 'warning' }]),
    );
    expect(res.status).toBe(200);
    await deps.alerts.drain();
    // A firing alert gets three attempts (1 s, then 2 s apart).
    expect(await metrics.render()).toContain(
      'ais_alert_notifications_total{channel="webhook",outcome="failed"} 3',
    );
    const line = logs.lines.find((l) => l.message === 'Alert notification failed');
    expect(line?.extra_json).toMatchObject({
      channel: 'webhook',
      alerts: 1,
      attempt: 1,
      err: { type: 'HttpStatusError', code: 'http_status', message: 'HTTP 503: no_service' },
    });
  });
});
