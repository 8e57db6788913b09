// The control service over a real store: the state restored at start-up fails closed (a newest
// kill_switch or trading_state row that cannot be read never lets an older row re-enable trading;
// an operator's change clears it), and two services on one store (two workers on one database)
// adopt each other's changes on sync, never their own by accident.
import { describe, expect, it } from 'bun:test';
import { createLogger } from '../../../src/adapters/logging/logger.ts';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus.ts';
import { createLibsqlEventStore } from '../../../src/adapters/store/libsql/event-store.ts';
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

describe('createControlService at start-up', () => {
  it('keeps the kill switch on when the newest kill_switch row cannot be read, until an operator resets it', async () => {
    const store = await createLibsqlEventStore({ url: ':memory:', nowMs: Date.now });
    await store.append({
      type: 'kill_switch',
      payload: { active: true, reason: 'drill', by: 'ops', source: 'manual' },
    });
    await store.append({
      type: 'kill_switch',
      payload: { active: false, reason: null, by: 'ops' },
    });
    // A row the schema refuses, newer than every readable one.
    const bad = await store.append({ type: 'kill_switch', payload: { active: 'maybe' } as never });
    const control = await make(store);
    expect(control.state().killSwitch).toMatchObject({
      active: true,
      by: 'store',
      reason: expect.stringContaining(`id ${bad.id}`),
    });
    expect((await control.apply({ type: 'set_state', state: 'ACTIVE', by: 'ops' })).ok).toBe(false);

    await control.apply({ type: 'reset', by: 'ops' });
    expect((await make(store)).state()).toMatchObject({
      killSwitch: { active: false },
      tradingState: 'HALTED',
    });
    await store.close();
  });

  it('keeps trading HALTED when the newest trading_state row cannot be read', async () => {
    const store = await createLibsqlEventStore({ url: ':memory:', nowMs: Date.now });
    await store.append({
      type: 'trading_state',
      payload: { state: 'ACTIVE', previous: 'HALTED', reason: null, by: 'ops' },
    });
    await store.append({ type: 'trading_state', payload: { state: 'SIDEWAYS' } as never });
    const control = await make(store);
    expect(control.state()).toMatchObject({
      tradingState: 'HALTED',
      killSwitch: { active: false },
    });
    await control.apply({ type: 'set_state', state: 'ACTIVE', by: 'ops' });
    expect((await make(store)).state().tradingState).toBe('ACTIVE');
    await store.close();
  });

  it('restores readable rows as they are', async () => {
    const store = await createLibsqlEventStore({ url: ':memory:', nowMs: Date.now });
    await store.append({
      type: 'trading_state',
      payload: { state: 'REDUCING', previous: 'ACTIVE', reason: 'margin', by: 'ops' },
    });
    expect((await make(store)).state()).toMatchObject({
      tradingState: 'REDUCING',
      tradingReason: 'margin',
      killSwitch: { active: false },
    });
    await store.close();
  });
});

describe('createControlService sync (two workers on one database)', () => {
  it('adopts a kill switch and a trading state stored by the other service, never its own change', async () => {
    const store = await createLibsqlEventStore({ url: ':memory:', nowMs: Date.now });
    const a = await make(store);
    const b = await make(store);
    expect(await b.sync()).toBe(false);

    await a.apply({ type: 'trigger', reason: 'drill', by: 'ops', source: 'manual' });
    expect(b.state().killSwitch.active).toBe(false);
    expect(await b.sync()).toBe(true);
    expect(b.state().killSwitch).toMatchObject({ active: true, reason: 'drill', by: 'ops' });
    expect(await b.sync()).toBe(false);
    // Its own change is not "adopted" again by itself.
    expect(await a.sync()).toBe(false);

    await b.apply({ type: 'reset', by: 'ops' });
    expect(await a.sync()).toBe(true);
    expect(a.state()).toMatchObject({ killSwitch: { active: false }, tradingState: 'HALTED' });
    await a.apply({ type: 'set_state', state: 'REDUCING', by: 'ops' });
    expect(await b.sync()).toBe(true);
    expect(b.state().tradingState).toBe('REDUCING');
    await store.close();
  });
});

describe('createControlService idle', () => {
  it('resolves once every command and sync queued before it has finished, failed ones included', async () => {
    const store = await createLibsqlEventStore({ url: ':memory:', nowMs: Date.now });
    const control = await make(store);
    const done: string[] = [];
    void control
      .apply({ type: 'trigger', reason: 'drill', by: 'ops', source: 'manual' })
      .then(() => done.push('trigger'));
    void control.sync().then(() => done.push('sync'));
    await control.idle();
    expect(done).toEqual(['trigger', 'sync']);
    // A sync that fails (the store is closed) still lets idle() resolve.
    await store.close();
    const failed = control.sync().catch(() => 'failed');
    await control.idle();
    expect(await failed).toBe('failed');
  });
});
