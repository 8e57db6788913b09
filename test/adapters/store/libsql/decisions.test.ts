// recordDecisions, the conditional decision write: on a shared server (through test/fake-sqld) an
// approval is stored refused when a newer kill switch or trading state row exists, or when the
// order budget of the minute is spent, in the transaction that records it; on every store a key
// stores one decision, and a repeat answers it.
import { afterAll, describe, expect, it } from 'bun:test';
import { join } from 'node:path';
import { createLibsqlEventStore } from '../../../../src/adapters/store/libsql/event-store.ts';
import type { DecisionWrite, OvertakenBy } from '../../../../src/ports/event-store.ts';
import { type FakeSqld, startFakeSqld } from '../../../fake-sqld/server.ts';
import { riskDecisionPayload } from '../../../helpers/events.ts';
import { tempDir } from '../../../helpers/worker-process.ts';

const servers: FakeSqld[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
});
const remoteStore = async () => {
  const sqld = await startFakeSqld(join(tempDir(), 'shared.db'));
  servers.push(sqld);
  return createLibsqlEventStore({ url: sqld.url, nowMs: Date.now });
};
const fileStore = () =>
  createLibsqlEventStore({ url: `file:${join(tempDir(), 'ais.db')}`, nowMs: Date.now });

const T = 1_800_000_000_000;
/** An approval decided under `basis`, refusable by any guard. */
const approval = (
  id: string,
  basis = { killSwitchId: 0, tradingStateId: 0 },
  opts: { key?: string; maxPerMinute?: number; timeMs?: number } = {},
): DecisionWrite => ({
  event: {
    type: 'risk_decision',
    stream: 'BTCUSDT',
    timeMs: opts.timeMs ?? T,
    payload: riskDecisionPayload({ order_id: id }),
  },
  key: opts.key,
  approval: {
    basis,
    maxPerMinute: opts.maxPerMinute ?? 1_000,
    refused: (by: OvertakenBy) => ({
      type: 'risk_decision',
      stream: 'BTCUSDT',
      timeMs: opts.timeMs ?? T,
      payload: riskDecisionPayload({ order_id: id, approved: false, guard: by, reason: by }),
    }),
  },
});
const trigger = { active: true, reason: 'drill', by: 'other worker' };

describe('recordDecisions on a shared server', () => {
  it('stores an approval as decided when no control row is newer than its basis', async () => {
    const store = await remoteStore();
    const [k] = await store.appendBatch([{ type: 'kill_switch', payload: trigger }]);
    const [w] = await store.recordDecisions([
      approval('a', { killSwitchId: k!.id, tradingStateId: 0 }),
    ]);
    expect(w!.outcome).toBe('as_decided');
    expect((await store.latest('risk_decision'))?.payload.approved).toBe(true);
    await store.close();
  });

  it('stores it refused by kill_switch when a newer kill switch row exists, by trading_state for a newer state', async () => {
    const store = await remoteStore();
    await store.append({ type: 'kill_switch', payload: trigger });
    const [byKill] = await store.recordDecisions([approval('a')]);
    expect(byKill!.outcome).toBe('kill_switch');
    expect(byKill!.stored.payload).toMatchObject({ approved: false, guard: 'kill_switch' });
    const state = { state: 'HALTED', previous: 'ACTIVE', reason: 'drill', by: 'other' } as const;
    const [t] = await store.appendBatch([{ type: 'trading_state', payload: state }]);
    const [byState] = await store.recordDecisions([
      approval('b', { killSwitchId: t!.id, tradingStateId: 0 }),
    ]);
    expect(byState!.outcome).toBe('trading_state');
    const stored = await store.query({ type: 'risk_decision', limit: 10 });
    expect(stored.map((e) => [e.payload.order_id, e.payload.approved, e.payload.guard])).toEqual([
      ['a', false, 'kill_switch'],
      ['b', false, 'trading_state'],
    ]);
    await store.close();
  });

  it('holds the order budget of the minute across the approvals of one transaction and earlier ones', async () => {
    const store = await remoteStore();
    const outcomes = await store.recordDecisions(
      Array.from({ length: 5 }, (_, i) => approval(`r${i}`, undefined, { maxPerMinute: 3 })),
    );
    expect(outcomes.map((w) => w.outcome)).toEqual([
      'as_decided',
      'as_decided',
      'as_decided',
      'order_rate',
      'order_rate',
    ]);
    // A minute later the budget is back.
    const [later] = await store.recordDecisions([
      approval('r5', undefined, { maxPerMinute: 3, timeMs: T + 60_001 }),
    ]);
    expect(later!.outcome).toBe('as_decided');
    await store.close();
  });
});

describe.each([
  ['a shared server', remoteStore],
  ['a database file', fileStore],
])('recordDecisions with keys on %s', (_, open) => {
  it('stores one decision per key and answers the stored one when the key comes again', async () => {
    const store = await open();
    const [first] = await store.recordDecisions([approval('k1', undefined, { key: 'k1' })]);
    await store.append({ type: 'kill_switch', payload: trigger });
    const again = await Promise.all([
      store.recordDecisions([approval('k1', undefined, { key: 'k1' })]),
      store.recordDecisions([approval('k1', undefined, { key: 'k1' })]),
    ]);
    expect(first!.outcome).toBe('as_decided');
    for (const [w] of again) {
      expect(w!.outcome).toBe('replayed');
      expect(w!.stored.id).toBe(first!.stored.id);
      expect(w!.stored.payload.approved).toBe(true);
    }
    expect(await store.query({ type: 'risk_decision', limit: 10 })).toHaveLength(1);
    await store.close();
  });
});

describe('recordDecisions on a database file one process owns', () => {
  it('stores approvals as decided: its own control state is the whole truth', async () => {
    const store = await fileStore();
    await store.append({ type: 'kill_switch', payload: trigger });
    const [w] = await store.recordDecisions([approval('f')]);
    expect(w!.outcome).toBe('as_decided');
    await store.close();
  });
});
