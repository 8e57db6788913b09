// Two control services on one store (two workers on one database): a change stored by one is
// adopted by the other's sync, never the other way round by accident.
import { expect, test } from 'bun:test';
import { createLogger } from '../../../src/adapters/logging/logger.ts';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus.ts';
import { createLibsqlEventStore } from '../../../src/adapters/store/libsql/event-store.ts';
import { createControlService } from '../../../src/domain/risk/control-service.ts';

test('a kill switch and a trading state stored by one service are adopted by the other on sync', async () => {
  const store = await createLibsqlEventStore({ url: ':memory:', nowMs: Date.now });
  const make = () =>
    createControlService({
      store,
      metrics: createPrometheusMetrics({ version: 't', runtime: 'bun', instance: 't', processMetrics: false }),
      log: createLogger({ level: 'silent' }),
      nowMs: Date.now,
      initialState: 'ACTIVE',
    });
  const a = await make();
  const b = await make();
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
