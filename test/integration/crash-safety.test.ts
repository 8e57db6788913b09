// SIGKILL during a burst of event appends and decision-trail entries: after a restart every
// acknowledged event is in the store, every acknowledged entry has its whole line in the trail,
// and the database is intact.
import { describe, expect, it } from 'bun:test';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLibsqlEventStore } from '../../src/adapters/store/libsql/event-store.ts';
import { ROOT, tempDir } from '../helpers/worker-process.ts';

const ROUNDS = 5;

async function burstThenKill(dbUrl: string, logPath: string, killAfterMs: number) {
  const child = spawn(
    join(ROOT, 'node_modules/.bin/bun'),
    ['test/integration/fixtures/burst-writer.ts', dbUrl, logPath],
    { cwd: ROOT },
  );
  const acked = { E: new Set<number>(), D: new Set<number>() };
  let buffered = '';
  let ready!: () => void;
  const isReady = new Promise<void>((r) => (ready = r));
  child.stdout.on('data', (d) => {
    buffered += String(d);
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      if (line === 'READY') ready();
      const [kind, n] = line.split(' ');
      if (kind === 'E' || kind === 'D') acked[kind].add(Number(n));
    }
  });
  const exited = new Promise((r) => child.on('exit', r));
  await isReady;
  await new Promise((r) => setTimeout(r, killAfterMs));
  child.kill('SIGKILL');
  await exited;
  return acked;
}

describe('crash safety', () => {
  it(`loses no acknowledged event and tears no decision line over ${ROUNDS} SIGKILLs`, async () => {
    const dir = tempDir();
    const dbUrl = `file:${join(dir, 'ais.db')}`;
    const logPath = join(dir, 'decisions.jsonl');
    let totalEvents = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const acked = await burstThenKill(dbUrl, logPath, 150 + Math.random() * 350);
      expect(acked.E.size).toBeGreaterThan(0);
      expect(acked.D.size).toBeGreaterThan(0);

      // Restart: open the store and its trail as the worker does (which cuts a torn tail).
      const store = await createLibsqlEventStore({
        url: dbUrl,
        nowMs: Date.now,
        trail: { path: logPath },
      });
      const present = new Set<number>();
      for (let afterId = 0; ;) {
        const page = await store.query({ type: 'control_action', afterId, limit: 10_000 });
        if (page.length === 0) break;
        for (const e of page) present.add((e.payload as unknown as { seq: number }).seq);
        afterId = page.at(-1)!.id;
      }
      for (const n of acked.E) expect(present.has(n)).toBe(true);
      totalEvents = present.size;
      await store.close();

      const text = readFileSync(logPath, 'utf8');
      expect(text === '' || text.endsWith('\n')).toBe(true);
      const seqs = new Set(
        text
          .split('\n')
          .filter(Boolean)
          .map((l) => (JSON.parse(l) as { seq: number }).seq),
      );
      for (const n of acked.D) expect(seqs.has(n)).toBe(true);
    }
    const raw = (await import('@libsql/client')).createClient({ url: dbUrl });
    expect((await raw.execute('PRAGMA integrity_check')).rows[0]![0]).toBe('ok');
    raw.close();
    expect(totalEvents).toBeGreaterThan(0);
  });
});
