// Every CLI (backup, backtest, preflight, soak, stack, dashboards, db:migrate), spawned as a user runs it: `--help` prints
// the usage and exits 0; an unknown option or a stray argument is refused with one line naming it
// and exit code 2, before anything runs; an option is never taken for a file name.
import { describe, expect, it } from 'bun:test';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from '../helpers/worker-process.ts';

const BUN = join(ROOT, 'node_modules/.bin/bun');

/** Runs a CLI in an empty directory (so a file it wrongly writes shows up there). */
function run(script: string, args: string[], env: Record<string, string> = {}) {
  const cwd = tempDir();
  const r = spawnSync(BUN, [join(ROOT, script), ...args], {
    cwd,
    env: { PATH: process.env.PATH, AIS_DB_URL: `file:${join(cwd, 'ais.db')}`, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, files: readdirSync(cwd) };
}

const CLIS: [name: string, script: string, usage: string][] = [
  ['db:backup', 'src/main/backup.ts', 'usage: npm run db:backup -- <backup-file>'],
  ['backtest', 'src/main/backtest.ts', 'usage: npm run backtest -- [options]'],
  ['soak', 'scripts/soak.ts', 'usage: npm run soak --'],
  ['stack', 'scripts/stack.ts', 'usage: npm run stack'],
  ['dashboards', 'scripts/dashboards.ts', 'usage: npm run dashboards'],
  ['preflight', 'src/main/preflight.ts', 'usage: npm run preflight'],
  ['db:migrate', 'src/main/migrate.ts', 'usage: npm run db:migrate'],
];

describe.each(CLIS)('%s', (name, script, usage) => {
  it('answers --help (and -h) with its usage on stdout and exit code 0, touching nothing', () => {
    for (const flag of ['--help', '-h']) {
      const r = run(script, [flag]);
      expect(r.status).toBe(0);
      expect(r.stdout).toStartWith(usage);
      expect(r.stdout).toContain('--help');
      expect(r.stderr).toBe('');
      expect(r.files).toEqual([]);
    }
  });

  it('refuses an unknown option with one line naming it and exit code 2', () => {
    const r = run(script, ['--frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`${name}: unknown option --frobnicate (see --help)\n`);
    expect(r.stdout).toBe('');
    expect(r.files).toEqual([]);
  });
});

describe('arguments that are not options', () => {
  it('db:backup takes exactly one file, and an option is never one', () => {
    expect(run('src/main/backup.ts', []).stderr).toBe(
      'db:backup: missing the backup file (see --help)\n',
    );
    const two = run('src/main/backup.ts', ['a.db', 'b.db']);
    expect([two.status, two.stderr]).toEqual([
      2,
      'db:backup: unexpected argument "b.db" (see --help)\n',
    ]);
    const dashed = run('src/main/backup.ts', ['-x.db']);
    expect([dashed.status, dashed.files]).toEqual([2, []]);
  });

  it('the others take none', () => {
    for (const [name, script] of CLIS.filter(([n]) => n !== 'db:backup')) {
      const r = run(script, ['stray']);
      expect([r.status, r.stderr]).toEqual([
        2,
        `${name}: unexpected argument "stray" (see --help)\n`,
      ]);
    }
  });

  it('an option without its value is refused, not fed the next option', () => {
    const r = run('src/main/backtest.ts', ['--days', '--json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toStartWith('backtest: option --days needs a value');
    expect(run('scripts/soak.ts', ['--minutes']).stderr).toBe(
      'soak: option --minutes needs a value (see --help)\n',
    );
  });

  it('a boolean option takes no value', () => {
    expect(run('scripts/dashboards.ts', ['--check=yes']).stderr).toBe(
      'dashboards: option --check takes no value (see --help)\n',
    );
  });
});

describe('db:migrate', () => {
  it('applies the migrations to a fresh database file and says how many are recorded', () => {
    const r = run('src/main/migrate.ts', []);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^migrations applied to file:.*ais\.db: [1-9]\d* recorded\n$/);
    expect(r.files).toContain('ais.db');
  });

  it('says a bad setting or an unreachable database in one line without its credentials, exit 1', () => {
    const bad = run('src/main/migrate.ts', [], { AIS_DB_URL: 'nope://x' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toStartWith('db:migrate: config: AIS_DB_URL');
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    const down = run('src/main/migrate.ts', [], {
      AIS_DB_URL: 'http://user:hunter2-secret@127.0.0.1:9/db?authToken=abc123secret',
    });
    expect(down.status).toBe(1);
    expect(down.stderr).toContain('db:migrate: ');
    expect(down.stderr).not.toContain('hunter2-secret');
    expect(down.stderr).not.toContain('abc123secret');
    expect(down.stderr).not.toContain('CREATE TABLE');
  }, 60_000);
});
