// docs/configuration.md names every variable the worker reads (src/config/schema.ts) and no
// variable it does not: the worker's table, up to "## Outside the worker", against the schema's keys.
import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { schema } from '../../src/config/schema.ts';

const ROOT = resolve(import.meta.dir, '../..');
const DOC = readFileSync(join(ROOT, 'docs/configuration.md'), 'utf8');

/** The variable names in the first cell of each table row of `text` (a row may name several). */
function documented(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .flatMap((l) => [...l.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!));
}

describe('docs/configuration.md', () => {
  const worker = DOC.split('## Outside the worker')[0]!;

  test('documents exactly the variables of the schema, each once', () => {
    const names = documented(worker);
    expect(names.length).toBe(new Set(names).size);
    expect([...names].sort()).toEqual(Object.keys(schema.shape).sort());
  });

  test('the check reads table rows and nothing else', () => {
    expect(documented('| `A_B`, `C_D` | `1` | x `E_F` |\ntext `G_H`')).toEqual(['A_B', 'C_D']);
  });

  test('AIS_HOST is documented with its default, loopback', () => {
    expect(worker).toContain('| `AIS_HOST` | `127.0.0.1` |');
    expect(schema.shape.AIS_HOST.parse(undefined)).toBe('127.0.0.1');
  });
});
