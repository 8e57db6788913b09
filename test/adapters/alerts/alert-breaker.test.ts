// An alert channel whose receiver answers 5xx is an outage: the channel's own circuit breaker (the
// real registry, WASM core, store and metrics; no stub guard) opens on it and then spares the
// receiver. A 4xx is the receiver refusing our message, not an outage: the breaker stays closed.
import { afterEach, describe, expect, it } from 'bun:test';
import { createAlertService } from '../../../src/adapters/alerts/alert-service.ts';
import { channelsFromConfig } from '../../../src/adapters/alerts/channels.ts';
import { createLogger } from '../../../src/adapters/logging/logger.ts';
import { loadConfig } from '../../../src/config/config.ts';
import { captureLogs } from '../../helpers/test-deps.ts';
import { createTestResilience } from '../resilience/helpers.ts';
import { type LoopbackReceiver, startReceiver } from './loopback-receiver.ts';

const receivers: LoopbackReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

/** The alert service on a real breaker registry, its webhook channel posting to `url`. */
async function setup(url: string) {
  const { resilience, metrics, store } = await createTestResilience({
    defaultBreaker: { failureThreshold: 3, windowMs: 60_000, openMs: 30_000 },
  });
  const logs = captureLogs();
  const config = loadConfig({ AIS_DB_URL: ':memory:', AIS_ALERT_WEBHOOK_URL: url });
  const alerts = createAlertService({
    store,
    metrics,
    logger: createLogger({ level: 'debug', destination: logs.destination }),
    channels: channelsFromConfig(config.alerts),
    guard: resilience.guard,
    nowMs: Date.now,
    retryBaseMs: 10,
  });
  const breaker = () => resilience.stats().breakers.find((b) => b.name === 'alert_webhook');
  return { alerts, logs, breaker };
}

describe('an alert channel behind its real circuit breaker', () => {
  it('opens the breaker when the receiver answers 503, then stops calling it', async () => {
    const hook = await startReceiver({ status: 503 });
    receivers.push(hook);
    const { alerts, logs, breaker } = await setup(hook.url);

    await alerts.raise({ name: 'X', severity: 'critical', summary: 's' });
    await alerts.drain();
    // Three attempts, three 503s: the breaker's threshold.
    expect(hook.received).toHaveLength(3);
    expect(breaker()).toMatchObject({ state: 'open', failures: 3 });

    await alerts.raise({ name: 'Y', severity: 'critical', summary: 's' });
    await alerts.drain();
    expect(hook.received).toHaveLength(3); // refused by the open breaker, never sent
    expect(breaker()!.rejections).toBeGreaterThan(0);

    const failed = logs.lines.filter((l) => l.message === 'Alert notification failed');
    expect(failed[0]?.extra_json).toMatchObject({
      channel: 'webhook',
      err: { type: 'HttpStatusError', code: 'http_status', message: 'HTTP 503: no_service' },
    });
    expect(failed.at(-1)?.extra_json).toMatchObject({
      err: { type: 'CircuitOpenError', code: 'circuit_open' },
    });
  });

  it('leaves the breaker closed when the receiver refuses the message with a 4xx', async () => {
    const hook = await startReceiver({ status: 400 });
    receivers.push(hook);
    const { alerts, breaker } = await setup(hook.url);

    await alerts.raise({ name: 'X', severity: 'critical', summary: 's' });
    await alerts.drain();
    expect(hook.received).toHaveLength(3);
    expect(breaker()).toMatchObject({ state: 'closed', failures: 0 });
  });
});
