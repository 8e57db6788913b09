import { afterEach, describe, expect, it } from 'bun:test';
import { createAlertService } from '../../../src/adapters/alerts/alert-service.ts';
import { channelsFromConfig } from '../../../src/adapters/alerts/channels.ts';
import { createLogger } from '../../../src/adapters/logging/logger.ts';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus.ts';
import { createLibsqlEventStore } from '../../../src/adapters/store/libsql/event-store.ts';
import { loadConfig } from '../../../src/config/config.ts';
import { EventType } from '../../../src/ports/event-store.ts';
import { type CallGuard, CircuitOpenError, unguarded } from '../../../src/ports/resilience.ts';
import { captureLogs } from '../../helpers/test-deps.ts';
import { type LoopbackReceiver, startReceiver } from './loopback-receiver.ts';

const receivers: LoopbackReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function setup(
  env: Record<string, string>,
  guard: CallGuard = unguarded,
  maxQueue?: number,
  retryBaseMs = 50,
) {
  const config = loadConfig({ AIS_DB_URL: ':memory:', ...env });
  const store = await createLibsqlEventStore({ url: ':memory:', nowMs: Date.now });
  const metrics = createPrometheusMetrics({
    version: 't',
    runtime: 'bun',
    instance: 't',
    processMetrics: false,
  });
  const logs = captureLogs();
  const logger = createLogger({ level: 'debug', destination: logs.destination });
  const alerts = createAlertService({
    store,
    metrics,
    logger,
    channels: channelsFromConfig(config.alerts),
    guard,
    nowMs: () => Date.parse('2026-01-02T03:04:05Z'),
    maxQueue,
    retryBaseMs,
  });
  return { alerts, store, metrics, logs };
}

const metricLine = async (m: { render(): Promise<string> }, prefix: string) =>
  (await m.render()).split('\n').find((l) => l.startsWith(prefix));

describe('createAlertService (AlertSink.raise and the channel fan-out)', () => {
  it('stores an alert event under the alert name and sends it to both channels', async () => {
    const hook = await startReceiver();
    const slack = await startReceiver();
    receivers.push(hook, slack);
    const { alerts, store, metrics } = await setup({
      AIS_ALERT_WEBHOOK_URL: hook.url,
      AIS_SLACK_WEBHOOK_URL: slack.url,
    });

    await alerts.raise({
      name: 'ReconciliationMismatch',
      severity: 'critical',
      summary: 'BTCUSDT differs',
      labels: { check_type: 'position' },
    });
    const [event] = await store.query({ type: EventType.alert });
    expect(event).toMatchObject({
      stream: 'ReconciliationMismatch',
      payload: {
        source: 'worker',
        status: 'firing',
        severity: 'critical',
        summary: 'BTCUSDT differs',
        starts_at: '2026-01-02T03:04:05.000Z',
      },
    });
    await alerts.drain();
    expect(hook.received[0]!.body).toMatchObject({
      version: 2,
      group_key: 'worker:ReconciliationMismatch',
      status: 'firing',
      truncated_alerts: 0,
      alerts: [
        {
          name: 'ReconciliationMismatch',
          source: 'worker',
          severity: 'critical',
          labels: { check_type: 'position', alertname: 'ReconciliationMismatch' },
          event_id: event!.id,
        },
      ],
    });
    const message = slack.received[0]!.body;
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'AIS Alert' },
    });
    expect(message.blocks[1].text.text).toContain('*[FIRING:critical] ReconciliationMismatch*');
    expect(message.text).toContain('BTCUSDT differs');
    expect(
      await metricLine(metrics, 'ais_alert_notifications_total{channel="slack",outcome="sent"}'),
    ).toEndWith(' 1');
  });

  it('does not send again the Alertmanager echo of an alert the worker raised itself, but stores it', async () => {
    const hook = await startReceiver();
    receivers.push(hook);
    const { alerts, store } = await setup({ AIS_ALERT_WEBHOOK_URL: hook.url });
    await alerts.raise({
      name: 'ReconciliationMismatch',
      severity: 'critical',
      summary: 'BTCUSDT differs',
    });
    const echo = (alertname: string, status: 'firing' | 'resolved') => ({
      status,
      labels: { alertname, severity: 'critical' },
      annotations: { summary: alertname },
      startsAt: '2026-01-02T03:04:05Z',
      endsAt: '',
    });
    await alerts.drain();
    await alerts.receive({
      receiver: 'critical',
      groupKey: 'g',
      alerts: [echo('ReconciliationMismatch', 'firing'), echo('HighDrawdown', 'firing')],
    });
    await alerts.drain();
    await alerts.receive({
      receiver: 'critical',
      groupKey: 'g',
      alerts: [echo('ReconciliationMismatch', 'resolved')],
    });
    await alerts.drain();
    const sent = hook.received.map((r) =>
      r.body.alerts.map((a: { name: string; status: string }) => `${a.name}:${a.status}`).join(' '),
    );
    expect(sent).toEqual([
      'ReconciliationMismatch:firing',
      'HighDrawdown:firing',
      'ReconciliationMismatch:resolved',
    ]);
    expect(
      await store.query({ type: EventType.alert, stream: 'ReconciliationMismatch' }),
    ).toHaveLength(3);
  });

  it('skips a channel whose minimum severity is above the alert', async () => {
    const hook = await startReceiver();
    const slack = await startReceiver();
    receivers.push(hook, slack);
    const { alerts, metrics } = await setup({
      AIS_ALERT_WEBHOOK_URL: hook.url,
      AIS_SLACK_WEBHOOK_URL: slack.url,
      AIS_ALERT_WEBHOOK_MIN_SEVERITY: 'info',
      AIS_SLACK_MIN_SEVERITY: 'critical',
    });
    await alerts.raise({ name: 'LoopSlow', severity: 'warning', summary: 'slow' });
    await alerts.drain();
    expect(hook.received).toHaveLength(1);
    expect(slack.received).toHaveLength(0);
    expect(
      await metricLine(metrics, 'ais_alert_notifications_total{channel="slack",outcome="skipped"}'),
    ).toEndWith(' 1');
  });

  it('runs each channel call through the guard under alert_<channel>, and counts a refused call as failed (3 attempts for a firing alert)', async () => {
    const hook = await startReceiver();
    receivers.push(hook);
    const services: string[] = [];
    // A guard playing an open breaker: it refuses without calling.
    const open: CallGuard = async (service) => {
      services.push(service);
      throw new CircuitOpenError(service, 30_000);
    };
    const { alerts, metrics, logs } = await setup({ AIS_ALERT_WEBHOOK_URL: hook.url }, open);
    await alerts.raise({ name: 'X', severity: 'critical', summary: 's' });
    await alerts.drain();
    expect(services).toEqual(['alert_webhook', 'alert_webhook', 'alert_webhook']);
    expect(hook.received).toHaveLength(0);
    expect(
      await metricLine(
        metrics,
        'ais_alert_notifications_total{channel="webhook",outcome="failed"}',
      ),
    ).toEndWith(' 3');
    expect(
      await metricLine(
        metrics,
        'ais_alert_notifications_total{channel="webhook",outcome="dropped"}',
      ),
    ).toEndWith(' 1');
    expect(
      logs.lines.find((l) => l.message === 'Alert notification failed')?.extra_json,
    ).toMatchObject({
      channel: 'webhook',
      err: { code: 'circuit_open', message: 'circuit breaker alert_webhook is open' },
    });
  });

  it('counts a non-2xx answer as failed and does not reject the raise', async () => {
    const slack = await startReceiver({ status: 500 });
    receivers.push(slack);
    const { alerts, metrics } = await setup({ AIS_SLACK_WEBHOOK_URL: slack.url });
    await alerts.raise({ name: 'X', severity: 'critical', summary: 's' });
    await alerts.drain();
    expect(slack.received).toHaveLength(3);
    expect(
      await metricLine(metrics, 'ais_alert_notifications_total{channel="slack",outcome="failed"}'),
    ).toEndWith(' 3');
  });

  it('resolves before a slow channel answers', async () => {
    const slow = await startReceiver({ delayMs: 1_500 });
    receivers.push(slow);
    const { alerts } = await setup({ AIS_ALERT_WEBHOOK_URL: slow.url });
    const t0 = performance.now();
    await alerts.raise({ name: 'X', severity: 'critical', summary: 's' });
    expect(performance.now() - t0).toBeLessThan(500);
    await alerts.drain();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1_400);
  });

  it('sends to one channel one notification at a time, in order', async () => {
    const hook = await startReceiver({ delayMs: 100 });
    receivers.push(hook);
    const { alerts } = await setup({ AIS_ALERT_WEBHOOK_URL: hook.url });
    for (const name of ['First', 'Second', 'Third'])
      await alerts.raise({ name, severity: 'warning', summary: name });
    await alerts.drain();
    expect(hook.received.map((r) => r.body.alerts[0].name)).toEqual(['First', 'Second', 'Third']);
    expect(hook.maxConcurrent()).toBe(1);
  });

  it('drops new firing alerts beyond the queue limit, never the resolution of an announced one', async () => {
    const hook = await startReceiver({ delayMs: 300 });
    receivers.push(hook);
    const { alerts, metrics, logs } = await setup(
      { AIS_ALERT_WEBHOOK_URL: hook.url },
      unguarded,
      2,
    );
    const one = (name: string, status: 'firing' | 'resolved') => ({
      status,
      labels: { alertname: name, severity: 'critical' },
      annotations: {},
      startsAt: '2026-01-02T03:04:05Z',
      endsAt: '',
    });
    await alerts.receive({ receiver: 'r', groupKey: 'a', alerts: [one('A', 'firing')] }); // sent at once
    await alerts.receive({
      receiver: 'r',
      groupKey: 'b',
      alerts: [one('B', 'firing'), one('C', 'firing')],
    }); // waiting: 2
    await alerts.receive({ receiver: 'r', groupKey: 'd', alerts: [one('D', 'firing')] }); // dropped: full
    await alerts.receive({ receiver: 'r', groupKey: 'a', alerts: [one('A', 'resolved')] }); // taken although full
    await alerts.drain();
    const sent = hook.received.map((r) =>
      r.body.alerts.map((a: { name: string; status: string }) => `${a.name}:${a.status}`).join(' '),
    );
    expect(sent).toEqual(['A:firing', 'B:firing C:firing', 'A:resolved']);
    expect(
      await metricLine(
        metrics,
        'ais_alert_notifications_total{channel="webhook",outcome="dropped"}',
      ),
    ).toEndWith(' 1');
    expect(
      logs.lines.filter((l) => l.message === 'Alert notification dropped: channel queue full'),
    ).toHaveLength(1);
  });

  it('drain gives up after its timeout', async () => {
    const slow = await startReceiver({ delayMs: 2_000 });
    receivers.push(slow);
    const { alerts } = await setup({ AIS_ALERT_WEBHOOK_URL: slow.url });
    await alerts.raise({ name: 'X', severity: 'critical', summary: 's' });
    const t0 = performance.now();
    await alerts.drain(200);
    expect(performance.now() - t0).toBeLessThan(1_000);
    await alerts.drain();
    expect(slow.received).toHaveLength(1);
  });
});
