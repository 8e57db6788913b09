// One error family, used everywhere (src/domain/errors.ts): src/ throws a plain Error only in the
// start-up integrity checks listed here (a stale WASM build, the store's columns against its
// schema), which stop the worker before it serves; every other failure is an AisError with a code.
// Log lines put an error under pino's `err` key, never `error`.
import { describe, expect, test } from 'bun:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dir, '..');

/** Plain throws allowed, per file: start-up integrity checks only. */
const STARTUP_INTEGRITY: Record<string, number> = {
  'src/adapters/wasm/load.ts': 1, // the WASM core is not built
  'src/adapters/wasm/wasm-core.ts': 2, // the WASM build is older than its source
  'src/adapters/store/libsql/event-store.ts': 1, // rows.mjs columns against the Drizzle schema
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : /\.(ts|mjs)$/.test(e.name) && !e.name.endsWith('.d.mts')
        ? [join(dir, e.name)]
        : [],
  );
}

const files = sources(join(ROOT, 'src')).map((f) => ({
  path: relative(ROOT, f),
  text: readFileSync(f, 'utf8'),
}));
const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length;

/** `new Error(`, `new TypeError(`, `new RangeError(` in a text, thrown or not, as line numbers. */
function plainErrors(text: string): number[] {
  return [...text.matchAll(/\bnew (?:Error|TypeError|RangeError)\(/g)].map((m) =>
    lineOf(text, m.index),
  );
}

/** Top-level keys of the object literal that opens at `start` (just past its `{`). */
function topLevelKeys(text: string, start: number): string[] {
  const keys: string[] = [];
  let depth = 1;
  let atKey = true;
  for (let i = start; i < text.length && depth > 0; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"' || c === '`') {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
      atKey = false;
    } else if ('{(['.includes(c)) depth++;
    else if ('})]'.includes(c)) depth--;
    else if (depth === 1 && c === ',') atKey = true;
    else if (depth === 1 && atKey && /[A-Za-z_$]/.test(c)) {
      const key = /^[\w$]+/.exec(text.slice(i))![0];
      if (/^\s*[:,}]/.test(text.slice(i + key.length))) keys.push(key);
      i += key.length - 1;
      atKey = false;
    } else if (!/\s/.test(c) && c !== '.') atKey = false;
  }
  return keys;
}

/** Log calls (`x.warn({...}, 'message')` and the other levels) whose object has a key `key`. */
function logSitesWithKey(text: string, key: string): number[] {
  return [...text.matchAll(/\.(?:trace|debug|info|warn|error|fatal)\(\s*\{/g)]
    .filter((m) => topLevelKeys(text, m.index + m[0].length).includes(key))
    .map((m) => lineOf(text, m.index));
}

describe('the error family', () => {
  test('src/ throws plain errors only in its start-up integrity checks', () => {
    const found = Object.fromEntries(
      files.map((f) => [f.path, plainErrors(f.text).length]).filter(([, n]) => n !== 0),
    );
    expect(found).toEqual(STARTUP_INTEGRITY);
  });

  test("log lines put an error under pino's err key, never error", () => {
    const sites = files.flatMap((f) =>
      logSitesWithKey(f.text, 'error').map((line) => `${f.path}:${line}`),
    );
    expect(sites).toEqual([]);
    // The scanner sees the sites that use err (the alert channels', the loop's, the handler's…).
    expect(files.flatMap((f) => logSitesWithKey(f.text, 'err')).length).toBeGreaterThan(20);
  });

  test('the scanners find what they look for', () => {
    expect(plainErrors("if (x) throw new RangeError('bad');\nconst e = new Error('x');")).toEqual([
      1, 2,
    ]);
    const log = "log.warn(\n  { a: 1, error: f({ err: 2 }), 'b': `${c}` },\n  'Failed',\n);";
    expect(logSitesWithKey(log, 'error')).toEqual([1]);
    expect(logSitesWithKey(log, 'err')).toEqual([]);
    expect(logSitesWithKey("log.error({ cycle, err }, 'Cycle failed')", 'err')).toEqual([1]);
  });
});
