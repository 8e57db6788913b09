// Alertmanager in HA delivers each notification from every member: two real Alertmanagers (the
// committed config, rendered by entrypoint.sh, without gossip between them, so that both always
// send: the worst case of a cluster whose peers do not hear each other in time) receive the same
// alert, as Prometheus sends it to every Alertmanager it knows. The worker stores, counts and
// sends to its Slack and webhook channels one message per alert state.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { type LoopbackReceiver, startReceiver } from '../adapters/alerts/loopback-receiver.ts';
import { type Program, startAlertmanager, waitFor } from '../monitoring/processes.ts';
import { ROOT, startWorker, tempDir, type WorkerProcess } from '../helpers/worker-process.ts';

const API_TOKEN = 'ha-api-token-0123456789abcdef';
let worker: WorkerProcess;
let slack: LoopbackReceiver;
let hook: LoopbackReceiver;
const alertmanagers: Program[] = [];

/** The committed alertmanager.yml rendered for this worker (no Slack of its own), grouping in 1 s. */
function renderConfig(): string {
  const dir = tempDir('ais-ha-am-');
  const r = spawnSync('sh', [join(ROOT, 'monitoring/entrypoint.sh'), 'true'], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      AIS_SECRETS_DIR: dir,
      AM_CONFIG_TEMPLATE: join(ROOT, 'monitoring/alertmanager.yml'),
      AIS_API_TOKEN: API_TOKEN,
      AIS_WORKER_URL: worker.url,
    },
  });
  if (r.status !== 0) throw new Error(`entrypoint.sh failed: ${r.stderr}`);
  const file = join(dir, 'alertmanager.yml');
  const config = parse(readFileSync(file, 'utf8'));
  Object.assign(config.route, { group_wait: '1s', group_interval: '1s' });
  writeFileSync(file, stringify(config));
  return file;
}

beforeAll(async () => {
  slack = await startReceiver();
  hook = await startReceiver();
  worker = await startWorker('bun', {
    AIS_API_TOKEN: API_TOKEN,
    AIS_SLACK_WEBHOOK_URL: slack.url,
    AIS_ALERT_WEBHOOK_URL: hook.url,
    AIS_LOOP_ENABLED: 'false',
  });
  for (const name of ['am1', 'am2']) {
    const config = renderConfig();
    alertmanagers.push(await startAlertmanager(config, join(tempDir(`ais-ha-${name}-`), 'data')));
  }
});

afterAll(async () => {
  await Promise.all([...alertmanagers.map((a) => a.stop()), worker?.stop('SIGKILL')]);
  await Promise.all([slack?.close(), hook?.close()]);
});

/** Posts the alert to every Alertmanager, as Prometheus does (same labels, same startsAt). */
async function sendToAll(alert: Record<string, unknown>) {
  for (const am of alertmanagers) {
    const res = await fetch(`${am.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([alert]),
    });
    expect(res.status).toBe(200);
  }
}

/** Webhook notifications an Alertmanager has sent (its own counter). */
async function notificationsSent(am: Program): Promise<number> {
  const text = await (await fetch(`${am.url}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('alertmanager_notifications_total{integration="webhook"'));
  return Number(line?.split(' ').pop() ?? 0);
}

const storedAlerts = async () =>
  (
    (await (
      await fetch(`${worker.url}/v1/events?type=alert&stream=HaDuplicate`, {
        headers: { authorization: `Bearer ${API_TOKEN}` },
      })
    ).json()) as { events: { payload: { status: string } }[] }
  ).events.map((e) => e.payload.status);

describe('two Alertmanagers delivering the same alert', () => {
  const startsAt = new Date(Date.now() - 60_000).toISOString();
  const labels = { alertname: 'HaDuplicate', severity: 'critical', instance: 'ha-test' };
  const annotations = { summary: 'one alert, two Alertmanagers' };

  it('is stored, counted and sent to Slack and the webhook once when firing', async () => {
    await sendToAll({ labels, annotations, startsAt });
    // Both Alertmanagers have delivered it to the worker.
    await waitFor('both deliveries', async () => {
      const sent = await Promise.all(alertmanagers.map(notificationsSent));
      return sent.every((n) => n >= 1);
    });
    await waitFor('the slack and webhook messages', async () =>
      slack.received.length >= 1 && hook.received.length >= 1 ? true : undefined,
    );
    // Time for a second message, were one coming (the channels send within milliseconds).
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await storedAlerts()).toEqual(['firing']);
    expect(slack.received).toHaveLength(1);
    expect(hook.received).toHaveLength(1);
    const metrics = await (await fetch(`${worker.url}/metrics`)).text();
    expect(metrics).toContain(
      'ais_alerts_received_total{alertname="HaDuplicate",severity="critical",status="firing"} 1',
    );
    expect(metrics).toContain('ais_alerts_duplicate_total{alertname="HaDuplicate"} 1');
  });

  it('is stored and sent once more when it resolves, whatever both Alertmanagers send', async () => {
    const before = await Promise.all(alertmanagers.map(notificationsSent));
    await sendToAll({ labels, annotations, startsAt, endsAt: new Date().toISOString() });
    await waitFor('both resolutions delivered', async () => {
      const sent = await Promise.all(alertmanagers.map(notificationsSent));
      return sent.every((n, i) => n > before[i]!);
    });
    await waitFor('the resolution message', async () =>
      slack.received.length >= 2 && hook.received.length >= 2 ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await storedAlerts()).toEqual(['firing', 'resolved']);
    expect(slack.received).toHaveLength(2);
    expect(hook.received).toHaveLength(2);
    expect(hook.received[1]!.body.alerts[0].status).toBe('resolved');
  });
});
