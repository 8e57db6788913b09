// The layout is the architecture (../shared/spec/style.md): dependencies point inward. The domain
// imports nothing but itself and the ports; only http/ knows Hono, only adapters know their
// libraries; nothing in src/ reaches into test/.
import { describe, expect, test } from 'bun:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dir, '..');
const SRC = join(ROOT, 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? files(join(dir, e.name))
      : /\.(ts|mjs)$/.test(e.name)
        ? [join(dir, e.name)]
        : [],
  );
}

/** Every module a file imports (static and dynamic), resolved to a repo path for relative ones. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [
    ...text.matchAll(/^\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g),
    ...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm),
  ].map((m) => m[1]!);
  return specs.map((s) => (s.startsWith('.') ? relative(ROOT, resolve(file, '..', s)) : s));
}

const all = files(SRC).map((f) => ({ file: relative(ROOT, f), deps: imports(f) }));
const under = (prefix: string) => all.filter((f) => f.file.startsWith(prefix));
const violations = (list: typeof all, allowed: (dep: string, file: string) => boolean) =>
  list.flatMap(({ file, deps }) =>
    deps.filter((d) => !allowed(d, file)).map((d) => `${file} imports ${d}`),
  );

describe('architecture', () => {
  test('the scan sees the source tree', () => {
    expect(all.length).toBeGreaterThan(80);
    expect(all.find((f) => f.file === 'src/http/app.ts')?.deps).toContain('hono');
    // (The coordinator's options moved to coordinator-options.ts, and with them this import.)
    expect(all.find((f) => f.file === 'src/domain/trading/coordinator-options.ts')?.deps).toContain(
      'src/ports/event-store.ts',
    );
  });

  test('domain/ imports only domain/ and ports/: no packages, no runtime modules, no adapters', () => {
    expect(
      violations(
        under('src/domain/'),
        (d) => d.startsWith('src/domain/') || d.startsWith('src/ports/'),
      ),
    ).toEqual([]);
  });

  // zod is the one package a port may use: the event payload schemas are the event store's contract
  // (what a writer must give, what a reader gets back), so they live with the port, not in an adapter
  // (events.ts and its parts, events-trading.ts and events-control.ts).
  test('ports/ import only ports/, domain/ and (for the event payload schemas) zod', () => {
    expect(
      violations(
        under('src/ports/'),
        (d, file) =>
          d.startsWith('src/ports/') ||
          d.startsWith('src/domain/') ||
          (/^src\/ports\/events(-[a-z]+)?\.ts$/.test(file) && d === 'zod'),
      ),
    ).toEqual([]);
  });

  test('only http/ imports Hono (and the Node start-up file its server adapter)', () => {
    expect(
      violations(
        all,
        (d, file) =>
          !/^(hono|hono-openapi|@hono\/)/.test(d) ||
          file.startsWith('src/http/') ||
          (file === 'src/main/node.ts' && d === '@hono/node-server'),
      ),
    ).toEqual([]);
  });

  test('each library stays in its adapter', () => {
    const home: [RegExp, string[]][] = [
      [/^prom-client/, ['src/adapters/metrics/', 'src/adapters/pushgateway/']],
      [/^pino/, ['src/adapters/logging/']],
      [/^drizzle-orm/, ['src/adapters/store/']],
      [/^(@libsql\/|libsql$)/, ['src/adapters/store/', 'src/main/backup.ts']],
    ];
    expect(
      violations(all, (d, file) =>
        home.every(([re, dirs]) => !re.test(d) || dirs.some((dir) => file.startsWith(dir))),
      ),
    ).toEqual([]);
  });

  test('nothing in src/ imports from test/, and adapters never import http/ or main/', () => {
    expect(violations(all, (d) => !d.startsWith('test/'))).toEqual([]);
    expect(
      violations(
        under('src/adapters/'),
        (d) => !d.startsWith('src/http/') && !d.startsWith('src/main/'),
      ),
    ).toEqual([]);
  });
});
