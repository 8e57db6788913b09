// npm test's pretest: detects the Debian programs the tests need on PATH. Tested in dry-run mode
// with a PATH that lacks them and one that has stand-ins, without uninstalling anything.
import { describe, expect, it } from 'bun:test';
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from '../helpers/worker-process.ts';

const SCRIPT = join(ROOT, 'scripts/ensure-test-programs.sh');
const run = (path: string, ...args: string[]) =>
  spawnSync('/bin/sh', [SCRIPT, ...args], { env: { PATH: path }, encoding: 'utf8' });
const testLines = readFileSync(join(ROOT, 'scripts/test-programs.txt'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'))
  .map((l) => l.trim().split(/\s+/) as [string, string, string]);

describe('scripts/ensure-test-programs.sh', () => {
  it('names every missing package and the install command on a PATH without the programs', () => {
    const r = run(tempDir(), '--dry-run');
    expect(r.status).toBe(0);
    const want = [
      ...new Set(testLines.filter(([, , use]) => use === 'test').map(([, pkg]) => pkg)),
    ];
    expect(r.stdout).toContain(`missing Debian packages: ${want.join(' ')}`);
    expect(r.stdout).toContain(
      `would run: apt-get install -y --no-install-recommends ${want.join(' ')}`,
    );
    expect(r.stdout).not.toContain('wrk'); // the bench's, not the tests'
  });

  it('is silent when every program is on PATH (any one of its alternative names)', () => {
    const bin = tempDir();
    for (const [programs] of testLines) {
      const name = programs.split('|').at(-1)!;
      writeFileSync(join(bin, name), '#!/bin/sh\n');
      chmodSync(join(bin, name), 0o755);
    }
    const r = run(bin, '--dry-run');
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: '' });
  });

  it('fails with how to install them when it cannot install (no apt-get on PATH)', () => {
    const r = run(tempDir());
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('install prometheus');
  });

  it('runs before npm test, and .ci/run uses it too', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.pretest).toBe('sh scripts/ensure-test-programs.sh');
    const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8');
    expect(ci).toContain('sh scripts/ensure-test-programs.sh');
    expect(ci).toContain('npm test');
  });
});
