// The decision trail as the event store projects it: a line per committed `risk_decision` and
// `decision` row, from the same payload bytes, with the row's id; whole lines through rotation,
// reopening and kills; on a database file (the writer thread) and on memory (a trail thread).
import { describe, expect, it } from 'bun:test';
import { appendFileSync, existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'libsql';
import {
  createLibsqlEventStore,
  type TrailOptions,
} from '../../../src/adapters/store/libsql/event-store.ts';
import { riskDecisionPayload } from '../../helpers/events.ts';
import { tempDir } from '../../helpers/worker-process.ts';

const readLines = (path: string) =>
  existsSync(path)
    ? readFileSync(path, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];
const open = (url: string, trail: Partial<TrailOptions> & { path: string }) =>
  createLibsqlEventStore({ url, nowMs: Date.now, trail });

describe.each([
  ['a database file (writer thread)', (dir: string) => `file:${join(dir, 'ais.db')}`],
  ['a memory database (trail thread)', () => ':memory:'],
])('the trail of %s', (_, urlOf) => {
  it('writes one line per decision row, after its commit, with its id, time and payload, and nothing for other types', async () => {
    const dir = tempDir();
    const path = join(dir, 'nested', 'decisions.jsonl');
    const store = await open(urlOf(dir), { path });
    const [a, b, c] = await store.appendBatch([
      {
        type: 'risk_decision',
        stream: 'BTCUSDT',
        payload: riskDecisionPayload({ order_id: 'o-1', reason: 'two\nlines' }),
        timeMs: Date.UTC(2026, 10, 30),
      },
      { type: 'control_action', payload: { by: 'x', result: 'ok' } },
      {
        type: 'decision',
        payload: { kind: 'cycle_decision', cycle: 7 },
        timeMs: Date.UTC(2026, 10, 30, 1),
      },
    ]);
    await store.close();
    expect(readLines(path)).toEqual([
      {
        time: '2026-11-30T00:00:00.000Z',
        event_id: a!.id,
        kind: 'risk_check',
        ...riskDecisionPayload({ order_id: 'o-1', reason: 'two\nlines' }),
      },
      { time: '2026-11-30T01:00:00.000Z', event_id: c!.id, kind: 'cycle_decision', cycle: 7 },
    ]);
    expect(b!.type).toBe('control_action');
  });

  it('keeps every line whole and in order under concurrent appends, across reopenings of the store', async () => {
    const dir = tempDir();
    const path = join(dir, 'decisions.jsonl');
    const url = urlOf(dir);
    for (const round of [0, 1]) {
      const store = await open(url, { path });
      await Promise.all(
        Array.from({ length: 500 }, (_, i) =>
          store.append({ type: 'decision', payload: { kind: 'k', i: round * 500 + i } }),
        ),
      );
      await store.close();
    }
    expect(readLines(path).map((l) => l.i)).toEqual(Array.from({ length: 1_000 }, (_, i) => i));
    expect(readFileSync(path, 'utf8').endsWith('\n')).toBe(true);
  });

  it('cuts a torn tail back to the last whole line when it opens', async () => {
    const dir = tempDir();
    const path = join(dir, 'decisions.jsonl');
    appendFileSync(path, '{"i":1}\n{"i":2}\n{"i":3,"tor');
    const store = await open(urlOf(dir), { path });
    expect(store.trail!.repairedBytes).toBe('{"i":3,"tor'.length);
    await store.append({ type: 'decision', payload: { kind: 'k', i: 4 } });
    await store.close();
    expect(readLines(path).map((l) => l.i)).toEqual([1, 2, 4]);
  });

  it('rotates by size under concurrent appends without tearing or losing a line, keeping `keep` files', async () => {
    const dir = tempDir();
    const path = join(dir, 'decisions.jsonl');
    const store = await open(urlOf(dir), { path, maxBytes: 4_096, keep: 1_000 });
    for (let wave = 0; wave < 20; wave++) {
      await Promise.all(
        Array.from({ length: 100 }, (_, j) =>
          store.append({
            type: 'decision',
            payload: { kind: 'k', i: wave * 100 + j, pad: 'x'.repeat(j % 7) },
          }),
        ),
      );
    }
    await store.close();
    const rotated = Array.from({ length: 1_000 }, (_, k) => `${path}.${k + 1}`).filter(existsSync);
    expect(rotated.length).toBeGreaterThan(10);
    // Oldest file first: every record exactly once, in order, each file within the limit.
    const files = [...rotated.reverse(), path];
    expect(files.flatMap((f) => readLines(f).map((l) => l.i))).toEqual(
      Array.from({ length: 2_000 }, (_, i) => i),
    );
    for (const f of files) expect(statSync(f).size).toBeLessThanOrEqual(4_096);

    const few = join(dir, 'few.jsonl');
    const small = await open(urlOf(tempDir()), { path: few, maxBytes: 1_000, keep: 3 });
    for (let i = 0; i < 200; i++)
      await small.append({ type: 'decision', payload: { kind: 'k', i } });
    await small.close();
    expect([1, 2, 3].map((k) => existsSync(`${few}.${k}`))).toEqual([true, true, true]);
    expect(existsSync(`${few}.4`)).toBe(false);
    expect(readLines(few).at(-1).i).toBe(199);
  });

  it('reopens at its path after a rename: lines committed before go to the old file, after to the new', async () => {
    const dir = tempDir();
    const path = join(dir, 'decisions.jsonl');
    const store = await open(urlOf(dir), { path });
    const before = Array.from({ length: 300 }, (_, i) =>
      store.append({ type: 'decision', payload: { kind: 'k', i } }),
    );
    await Promise.all(before);
    renameSync(path, `${path}.old`);
    const reopened = store.trail!.reopen();
    const after = Array.from({ length: 300 }, (_, i) =>
      store.append({ type: 'decision', payload: { kind: 'k', i: 300 + i } }),
    );
    await Promise.all([reopened, ...after]);
    await store.close();
    expect(readLines(`${path}.old`).map((l) => l.i)).toEqual(
      Array.from({ length: 300 }, (_, i) => i),
    );
    expect(readLines(path).map((l) => l.i)).toEqual(Array.from({ length: 300 }, (_, i) => 300 + i));
  });
});

describe('the trail of a write that fails', () => {
  it('has no line for a decision the database did not commit', async () => {
    const dir = tempDir();
    const path = join(dir, 'decisions.jsonl');
    const store = await open(`file:${join(dir, 'ais.db')}`, { path });
    await store.append({
      type: 'risk_decision',
      payload: riskDecisionPayload({ order_id: 'kept' }),
    });
    const other = new Database(join(dir, 'ais.db'));
    other.exec('PRAGMA busy_timeout=100');
    other.exec('BEGIN IMMEDIATE');
    // The writer waits 5 s (busy_timeout) for the lock, then gives up.
    const refused = await store
      .append({ type: 'risk_decision', payload: riskDecisionPayload({ order_id: 'refused' }) })
      .catch((e: Error) => e);
    other.exec('COMMIT');
    other.close();
    expect(refused).toBeInstanceOf(Error);
    await store.append({
      type: 'risk_decision',
      payload: riskDecisionPayload({ order_id: 'after' }),
    });
    await store.close();
    expect(readLines(path).map((l) => l.order_id)).toEqual(['kept', 'after']);
  }, 20_000);
});

describe.each([
  ['a database file (writer thread)', (dir: string) => `file:${join(dir, 'ais.db')}`],
  ['a memory database (trail thread)', () => ':memory:'],
])('a trail that cannot be written (disk full, /dev/full) on %s', (_, urlOf) => {
  it('lets the committed decision stand and reports the trail failure instead', async () => {
    const failures: Error[] = [];
    const store = await createLibsqlEventStore({
      url: urlOf(tempDir()),
      nowMs: Date.now,
      trail: { path: '/dev/full' },
      onTrailFailure: (e) => failures.push(e),
    });
    const appended = await store.append({
      type: 'risk_decision',
      payload: riskDecisionPayload({ order_id: 'plain' }),
    });
    const [keyed] = await store.recordDecisions([
      {
        event: { type: 'risk_decision', payload: riskDecisionPayload({ order_id: 'keyed' }) },
        key: 'keyed',
      },
    ]);
    expect(appended.id).toBeGreaterThan(0);
    expect(keyed!.outcome).toBe('as_decided');
    const stored = await store.query({ type: 'risk_decision', limit: 10 });
    expect(stored.map((e) => e.payload.order_id)).toEqual(['plain', 'keyed']);
    expect(failures.length).toBe(2);
    expect(failures[0]!.message).toContain('ENOSPC');
    await store.close();
  });
});
