// docs/api.md's table names every route the HTTP layer mounts (src/http/: app.ts, routes/,
// console/) and no route it does not: `METHOD /path` in the first cell of each row against the
// `.get('/…')` / `.post('/…')` registrations of the source.
import { describe, expect, test } from 'bun:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dir, '../..');

/** `METHOD /path` of every route registration in `text` (the path may sit on the next line). */
function registered(text: string): string[] {
  return [...text.matchAll(/\.(get|post|put|patch|delete)\(\s*'(\/[^']*)'/g)].map(
    (m) => `${m[1]!.toUpperCase()} ${m[2]}`,
  );
}

/** `METHOD /path` of every route the table rows of `doc` name in their first cell (query strings dropped). */
function documented(doc: string): string[] {
  return doc
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .flatMap((l) =>
      [...l.split(' | ')[0]!.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/[^`?\s]*)/g)].map(
        (m) => `${m[1]} ${m[2]}`,
      ),
    );
}

const sources = ['src/http', 'src/http/routes', 'src/http/console'].flatMap((dir) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(ROOT, dir, f), 'utf8')),
);

describe('docs/api.md', () => {
  const routes = new Set(sources.flatMap(registered));
  const doc = new Set(documented(readFileSync(join(ROOT, 'docs/api.md'), 'utf8')));

  test('documents every route the app serves', () => {
    expect(routes.size).toBeGreaterThan(25);
    expect([...routes].filter((r) => !doc.has(r)).sort()).toEqual([]);
  });

  test('documents no route the app does not serve', () => {
    expect([...doc].filter((r) => !routes.has(r)).sort()).toEqual([]);
  });

  test('the readers find paths on the next line and several routes in one cell', () => {
    expect(registered(".post(\n  '/a/b',\n  x)\n.get('/c')")).toEqual(['POST /a/b', 'GET /c']);
    expect(documented('| `GET /a?x=`, `POST /b/:id/c` | yes | `GET /not-here` |')).toEqual([
      'GET /a',
      'POST /b/:id/c',
    ]);
  });
});
