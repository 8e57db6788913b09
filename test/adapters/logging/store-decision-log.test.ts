import { describe, expect, it } from 'bun:test';
import { createStoreDecisionLog } from '../../../src/adapters/logging/store-decision-log.ts';
import { createLibsqlEventStore } from '../../../src/adapters/store/libsql/event-store.ts';

describe('createStoreDecisionLog', () => {
  it('keeps each decision as a durable `decision` event, in order', async () => {
    const store = await createLibsqlEventStore({ url: ':memory:', nowMs: Date.now });
    const log = createStoreDecisionLog(store);
    await Promise.all([
      log.append({ kind: 'cycle_decision', cycle: 1 }),
      log.append({ kind: 'cycle_decision', cycle: 2 }),
    ]);
    expect((await store.query({ type: 'decision' })).map((e) => e.payload)).toEqual([
      { kind: 'cycle_decision', cycle: 1 },
      { kind: 'cycle_decision', cycle: 2 },
    ]);
    await store.close();
  });
});
