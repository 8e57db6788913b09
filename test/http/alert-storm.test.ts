// An alert storm through POST /webhooks/alertmanager to real loopback receivers that answer in
// 200 ms, like Slack: one group of 150 firing alerts, then the same 150 resolved. Every alert ends
// resolved at every channel, in a few messages, and a group as large as Alertmanager sends with
// the shipped max_alerts is accepted.
import { afterEach, describe, expect, it } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createApp, MAX_WEBHOOK_BODY_BYTES } from '../../src/http/app.ts';
import { MAX_ALERTS_PER_DELIVERY } from '../../src/http/routes/webhooks.ts';
import { EventType } from '../../src/ports/event-store.ts';
import {
  type LoopbackReceiver,
  type Received,
  startReceiver,
} from '../adapters/alerts/loopback-receiver.ts';
import { auth, createTestDeps } from '../helpers/test-deps.ts';
import { ROOT } from '../helpers/worker-process.ts';

const receivers: LoopbackReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

/** A delivery of alert group `groupKey` as Alertmanager sends it: `n` alerts of one rule, one per instance. */
function group(
  n: number,
  status: 'firing' | 'resolved',
  opts: { pad?: number; truncatedAlerts?: number } = {},
) {
  return {
    version: '4',
    groupKey: '{}/{severity="warning"}:{alertname="ExchangeDataStale"}',
    truncatedAlerts: opts.truncatedAlerts ?? 0,
    status,
    receiver: 'ais-worker',
    groupLabels: { alertname: 'ExchangeDataStale' },
    commonLabels: { alertname: 'ExchangeDataStale', severity: 'warning' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: Array.from({ length: n }, (_, i) => ({
      status,
      labels: {
        alertname: 'ExchangeDataStale',
        severity: 'warning',
        instance: `worker-${i}:8000`,
        job: 'ais-worker',
      },
      annotations: {
        summary: `exchange data of worker-${i} is stale`,
        description: 'x'.repeat(opts.pad ?? 10),
      },
      startsAt: '2026-01-02T03:04:05.123Z',
      endsAt: status === 'resolved' ? '2026-01-02T03:14:05.123Z' : '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph?g0.expr=ais_aster_data_age_seconds',
      fingerprint: `fp${i}`,
    })),
  };
}

const post = (app: ReturnType<typeof createApp>, body: unknown) =>
  app.request('/webhooks/alertmanager', {
    method: 'POST',
    headers: { ...auth(), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** Each alert's last status as the webhook channel told it (body version 2: one body per group). */
function lastStatus(received: Received[]): Map<string, string> {
  const last = new Map<string, string>();
  for (const r of received) for (const a of r.body.alerts) last.set(a.labels.instance, a.status);
  return last;
}

describe('an alert storm', () => {
  it('150 firing then the same 150 resolved: every alert ends resolved at every channel, in a few messages', async () => {
    const slack = await startReceiver({ delayMs: 200 });
    const hook = await startReceiver({ delayMs: 200 });
    receivers.push(slack, hook);
    const { deps, metrics } = await createTestDeps({
      AIS_SLACK_WEBHOOK_URL: slack.url,
      AIS_SLACK_MIN_SEVERITY: 'info',
      AIS_ALERT_WEBHOOK_URL: hook.url,
      AIS_ALERT_WEBHOOK_MIN_SEVERITY: 'info',
    });
    const app = createApp(deps);
    expect((await post(app, group(150, 'firing'))).status).toBe(200);
    expect((await post(app, group(150, 'resolved'))).status).toBe(200);
    await deps.alerts.drain();

    const last = lastStatus(hook.received);
    expect(last.size).toBe(150);
    expect([...last.values()].every((s) => s === 'resolved')).toBe(true);
    // One message per group and status change: firing, then resolved (not 300, and none dropped).
    expect(hook.received.map((r) => r.body.status)).toEqual(['firing', 'resolved']);
    expect(slack.received).toHaveLength(2);
    expect(slack.received[0]!.body.text).toContain('150 firing');
    expect(slack.received[1]!.body.text).toContain('150 resolved');
    const text = await metrics.render();
    expect(text).toContain('ais_alert_notifications_total{channel="slack",outcome="sent"} 2');
    expect(text).not.toContain('outcome="dropped"');
  });

  it('one small delivery per alert while the channel is slow: a newer status replaces the waiting one', async () => {
    // The first message holds the channel for 2 s: everything after it waits, firing then resolved.
    const hook = await startReceiver({ delayMs: 2_000 });
    receivers.push(hook);
    const { deps, metrics } = await createTestDeps({
      AIS_ALERT_WEBHOOK_URL: hook.url,
      AIS_ALERT_WEBHOOK_MIN_SEVERITY: 'info',
    });
    const app = createApp(deps);
    const one = (i: number, status: 'firing' | 'resolved') => ({
      ...group(1, status),
      alerts: [{ ...group(150, status).alerts[i]! }],
    });
    for (let i = 0; i < 150; i++) await post(app, one(i, 'firing'));
    for (let i = 0; i < 150; i++) await post(app, one(i, 'resolved'));
    await deps.alerts.drain();
    const last = lastStatus(hook.received);
    expect(last.size).toBe(150);
    expect([...last.values()].every((s) => s === 'resolved')).toBe(true);
    expect(hook.received.length).toBeLessThan(5);
    expect(await metrics.render()).toMatch(
      /ais_alert_notifications_total\{channel="webhook",outcome="coalesced"\} (1[0-4]\d|[1-9]\d)\n/,
    );
  });

  it('accepts a group at the shipped max_alerts (1,000) over 1 MiB, stores and shows truncatedAlerts', async () => {
    const slack = await startReceiver();
    receivers.push(slack);
    const { deps, store } = await createTestDeps({
      AIS_SLACK_WEBHOOK_URL: slack.url,
      AIS_SLACK_MIN_SEVERITY: 'info',
    });
    const body = group(1_000, 'firing', { pad: 1_500, truncatedAlerts: 37 });
    expect(JSON.stringify(body).length).toBeGreaterThan(1024 * 1024);
    const res = await post(createApp(deps), body);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ stored: 1_000, truncated_alerts: 37 });
    const [first] = await store.query({ type: EventType.alert, limit: 1 });
    expect(first!.payload).toMatchObject({ truncated_alerts: 37, group_key: body.groupKey });
    await deps.alerts.drain();
    expect(slack.received).toHaveLength(1);
    // 45 alerts listed, the 955 others and the 37 Alertmanager left out counted.
    expect(JSON.stringify(slack.received[0]!.body)).toContain('…and 992 more alerts not listed');
  });

  it('sizes the route from the shipped max_alerts: every receiver to the worker sets it, the schema and the body limit hold it', () => {
    const am = parse(readFileSync(join(ROOT, 'monitoring/alertmanager.yml'), 'utf8')) as {
      receivers: { webhook_configs?: { url: string; max_alerts?: number }[] }[];
    };
    const toWorker = am.receivers
      .flatMap((r) => r.webhook_configs ?? [])
      .filter((w) => w.url.endsWith('/webhooks/alertmanager'));
    expect(toWorker.length).toBeGreaterThan(0);
    for (const w of toWorker) {
      expect(w.max_alerts).toBeGreaterThan(0);
      expect(MAX_ALERTS_PER_DELIVERY).toBe(w.max_alerts!);
      expect(MAX_WEBHOOK_BODY_BYTES).toBeGreaterThanOrEqual(w.max_alerts! * 16 * 1024);
    }
  });
});
