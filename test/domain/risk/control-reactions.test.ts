// The reactions to a control change over real control services on one real store (two workers on
// one database): stopping trading sweeps the exchange whoever stopped it, and the sync schedule
// adopts another worker's change.
import { describe, expect, it } from 'bun:test';
import { createLogger } from '../../../src/adapters/logging/logger.ts';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus.ts';
import { createLibsqlEventStore } from '../../../src/adapters/store/libsql/event-store.ts';
import {
  type IntervalTimer,
  startControlSync,
  sweepWhenTradingStops,
} from '../../../src/domain/risk/control-reactions.ts';
import { createControlService } from '../../../src/domain/risk/control-service.ts';
import type { EventStore } from '../../../src/ports/event-store.ts';

const make = (store: EventStore) =>
  createControlService({
    store,
    metrics: createPrometheusMetrics({
      version: 't',
      runtime: 'bun',
      instance: 't',
      processMetrics: false,
    }),
    log: createLogger({ level: 'silent' }),
    nowMs: Date.now,
    initialState: 'ACTIVE',
  });

/** A timer the test fires by hand. */
function manualTimer() {
  const jobs = new Map<number, () => void>();
  let next = 0;
  const timer: IntervalTimer = {
    every: (fn) => (jobs.set(++next, fn), next),
    cancel: (h) => void jobs.delete(h as number),
  };
  return { timer, fire: () => [...jobs.values()].forEach((fn) => fn()), jobs };
}

describe('sweepWhenTradingStops', () => {
  it('sweeps with the reason each time the kill switch goes on or trading becomes HALTED, not on a resume', async () => {
    const store = await createLibsqlEventStore({ url: ':memory:', nowMs: Date.now });
    const control = await make(store);
    const sweeps: string[] = [];
    sweepWhenTradingStops(control, async (reason) => sweeps.push(reason));
    await control.apply({ type: 'trigger', reason: 'drill', by: 'ops', source: 'manual' });
    // A reset leaves trading HALTED until an operator resumes it: that stop sweeps too.
    await control.apply({ type: 'reset', by: 'ops' });
    await control.apply({ type: 'set_state', state: 'ACTIVE', by: 'ops' });
    await control.apply({ type: 'set_state', state: 'HALTED', by: 'ops', reason: 'divergence' });
    await control.apply({ type: 'set_state', state: 'HALTED', by: 'ops', reason: 'again' });
    await control.apply({ type: 'set_state', state: 'ACTIVE', by: 'ops' });
    expect(sweeps).toEqual([
      'kill switch: drill',
      'trading HALTED: kill switch reset',
      'trading HALTED: divergence',
    ]);
  });
});

describe('startControlSync', () => {
  it("adopts another worker's kill switch on each tick, which sweeps this worker's exchange", async () => {
    const store = await createLibsqlEventStore({ url: ':memory:', nowMs: Date.now });
    const [a, b] = [await make(store), await make(store)];
    const sweeps: string[] = [];
    sweepWhenTradingStops(b, async (reason) => sweeps.push(reason));
    const t = manualTimer();
    const stop = startControlSync(b, 1_000, { warn: () => undefined }, t.timer);
    await a.apply({ type: 'trigger', reason: 'from a', by: 'ops', source: 'manual' });
    expect(b.state().killSwitch.active).toBe(false);
    t.fire();
    await new Promise((r) => setTimeout(r, 50));
    expect(b.state().killSwitch.active).toBe(true);
    expect(sweeps).toEqual(['kill switch: from a']);
    stop();
    expect(t.jobs.size).toBe(0);
  });

  it('logs a failed sync and keeps its schedule', async () => {
    const warnings: [object, string][] = [];
    const t = manualTimer();
    const failure = new Error('database locked');
    startControlSync(
      { sync: () => Promise.reject(failure) },
      1_000,
      { warn: (obj, msg) => warnings.push([obj, msg]) },
      t.timer,
    );
    t.fire();
    await new Promise((r) => setTimeout(r, 10));
    expect(warnings).toEqual([[{ err: failure }, 'Control state sync failed']]);
    expect(t.jobs.size).toBe(1);
  });
});
