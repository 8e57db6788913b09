import { afterEach, describe, expect, it } from 'bun:test';
import { type ClockWatch, startClockWatch } from '../../src/adapters/clock/clock-watch.ts';
import { createClocks } from '../../src/adapters/clock/clocks.ts';
import { createApp } from '../../src/http/app.ts';
import { EventType } from '../../src/ports/event-store.ts';
import { auth, createTestDeps } from '../helpers/test-deps.ts';

const watches: ClockWatch[] = [];
afterEach(() => watches.splice(0).forEach((w) => w.stop()));

async function setup() {
  const t = { wall: Date.UTC(2026, 11, 1), perf: 0 };
  const t0 = await createTestDeps();
  const clock = startClockWatch({
    clocks: createClocks(
      () => t.wall,
      () => t.perf,
    ),
    toleranceMs: 60_000,
    metrics: t0.metrics,
    log: { info() {}, warn() {}, error() {} },
  });
  watches.push(clock);
  const app = createApp({ ...t0.deps, monitoring: { ...t0.deps.monitoring, clock } });
  return { app, t, store: t0.store };
}

describe('/v1/clock', () => {
  it('shows a step and lets an operator accept it, recorded as a control action', async () => {
    const { app, t, store } = await setup();
    t.wall -= 3_600_000;
    const view = await (await app.request('/v1/clock', { headers: auth() })).json();
    expect(view).toMatchObject({ step_ms: -3_600_000, retention_suspended: true });
    expect(view.expected_wall).toBe('2026-12-01T00:00:00.000Z');
    const res = await app.request('/v1/clock/accept', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'NTP corrected the RTC', operator: 'ops' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      accepted_step_ms: -3_600_000,
      step_ms: 0,
      retention_suspended: false,
    });
    const [action] = await store.query({ type: EventType.controlAction, stream: 'clock' });
    expect(action!.payload).toMatchObject({ by: 'ops', result: 'clock_accepted' });
  });

  it('needs the bearer token, and answers 503 where no watch runs', async () => {
    const { app } = await setup();
    expect((await app.request('/v1/clock')).status).toBe(401);
    // A worker without a clock watch (the real builder always starts one).
    const { deps } = await createTestDeps();
    const app2 = createApp({ ...deps, monitoring: { ...deps.monitoring, clock: undefined } });
    expect((await app2.request('/v1/clock', { headers: auth() })).status).toBe(503);
  });
});
