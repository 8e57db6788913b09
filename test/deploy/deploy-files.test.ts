// The deployment files in deploy/ are checked by the programs that will read them on a VPS.
import { describe, expect, it } from 'bun:test';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireBinary } from '../helpers/binaries.ts';
import { BUN_ENV, ROOT, tempDir } from '../helpers/worker-process.ts';

describe('deploy/', () => {
  it('ais-worker.service passes systemd-analyze verify (paths pointed at this checkout)', () => {
    const analyze = requireBinary('systemd-analyze');
    const unit = readFileSync(join(ROOT, 'deploy/ais-worker.service'), 'utf8').replaceAll(
      '/opt/ais-worker',
      ROOT,
    );
    const path = join(tempDir(), 'ais-worker.service');
    writeFileSync(path, unit);
    const result = spawnSync(analyze, ['verify', path], { encoding: 'utf8' });
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
    expect(result.status).toBe(0);
  });

  it('runs Bun with the same heap budget as npm start and the tests do', () => {
    const [[name, value]] = Object.entries(BUN_ENV) as [[string, string]];
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.start).toBe(`${name}=${value} bun src/main/bun.ts`);
    expect(readFileSync(join(ROOT, 'deploy/ais-worker.service'), 'utf8')).toContain(
      `Environment=${name}=${value}\n`,
    );
    expect(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).toContain(`ENV ${name}=${value}\n`);
  });

  it('Caddyfile passes caddy validate', () => {
    const caddy = requireBinary('caddy');
    const result = spawnSync(
      caddy,
      ['validate', '--config', join(ROOT, 'deploy/Caddyfile'), '--adapter', 'caddyfile'],
      { encoding: 'utf8' },
    );
    expect(`${result.stdout}${result.stderr}`).toContain('Valid configuration');
    expect(result.status).toBe(0);
  });
});
