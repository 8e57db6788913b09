// The lists the docs keep by hand: docs/operations.md lists every runbook of docs/runbooks/ and no
// other, every alert rule of monitoring/rules/ais.rules.yml names a runbook that exists, and
// docs/README.md links every file of docs/.
import { describe, expect, test } from 'bun:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dir, '../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** The runbook names listed as `- [Name](runbooks/Name.md)` lines of `text`. */
function listed(text: string): string[] {
  return [...text.matchAll(/^- \[([A-Za-z]+)\]\(runbooks\/([A-Za-z]+)\.md\)$/gm)].map((m) => {
    expect(m[2]).toBe(m[1]!);
    return m[1]!;
  });
}

describe('runbooks', () => {
  const files = readdirSync(join(ROOT, 'docs/runbooks'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => f.slice(0, -3));

  test("docs/operations.md's list is exactly docs/runbooks/", () => {
    const names = listed(read('docs/operations.md'));
    expect(names.length).toBe(new Set(names).size);
    expect([...names].sort()).toEqual([...files].sort());
  });

  test('every alert rule names a runbook that exists', () => {
    const urls = [...read('monitoring/rules/ais.rules.yml').matchAll(/runbook_url: (\S+)/g)].map(
      (m) => m[1]!,
    );
    expect(urls.length).toBeGreaterThan(20);
    const named = urls.map((url) => /^docs\/runbooks\/(\w+)\.md$/.exec(url)?.[1] ?? url);
    expect(named.filter((name) => !files.includes(name))).toEqual([]);
  });

  test('the list check reads list lines only', () => {
    expect(listed('- [A](runbooks/A.md)\ntext [B](runbooks/B.md)\n- [C](runbooks/C.md)')).toEqual([
      'A',
      'C',
    ]);
  });
});

describe('docs/README.md', () => {
  test('links every file of docs/ and the runbooks folder', () => {
    const index = read('docs/README.md');
    const files = readdirSync(join(ROOT, 'docs'), { withFileTypes: true })
      .filter((e) => e.name !== 'README.md')
      .map((e) => (e.isDirectory() ? `${e.name}/` : e.name));
    const missing = files.filter((f) => !index.includes(`](${f})`));
    expect(missing).toEqual([]);
  });
});
