import { describe, expect, it } from 'bun:test';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createLibsqlEventStore } from '../../src/adapters/store/libsql/event-store.ts';
import { ROOT, tempDir } from '../helpers/worker-process.ts';

const backup = (env: Record<string, string>, ...args: string[]) =>
  spawnSync(join(ROOT, 'node_modules/.bin/bun'), ['src/main/backup.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
  });

describe('npm run db:backup', () => {
  it('writes a consistent copy holding every event', async () => {
    const dir = tempDir();
    const url = `file:${join(dir, 'ais.db')}`;
    const store = await createLibsqlEventStore({ url, nowMs: Date.now });
    await store.appendBatch(
      Array.from({ length: 25 }, (_, i) => ({ type: 'decision' as const, payload: { i } })),
    );
    const result = backup({ AIS_DB_URL: url }, join(dir, 'copy.db'));
    expect(result.stdout).toContain('25 events, integrity ok');
    expect(result.status).toBe(0);
    const copy = await createLibsqlEventStore({
      url: `file:${join(dir, 'copy.db')}`,
      nowMs: Date.now,
    });
    expect((await copy.query({ limit: 100 })).length).toBe(25);
    await Promise.all([store.close(), copy.close()]);
  });

  it('refuses to overwrite, to run without a target, or on a remote URL', async () => {
    const dir = tempDir();
    const url = `file:${join(dir, 'ais.db')}`;
    await (await createLibsqlEventStore({ url, nowMs: Date.now })).close();
    expect(backup({ AIS_DB_URL: url }).status).toBe(2);
    expect(backup({ AIS_DB_URL: url }, join(dir, 'ais.db')).stderr).toContain(
      'refusing to overwrite',
    );
    expect(backup({ AIS_DB_URL: 'libsql://db.example.turso.io' }, join(dir, 'x.db')).status).toBe(
      2,
    );
  });
});
