import { describe, expect, it } from 'bun:test';
import { appendFileSync, existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openDecisionLog } from '../../../src/adapters/logging/decision-log.ts';
import { tempDir } from '../../helpers/worker-process.ts';

const readLines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

describe('openDecisionLog', () => {
  it('writes one JSON object per line, in order, even with newlines inside values', async () => {
    const path = join(tempDir(), 'nested', 'decisions.jsonl');
    const log = await openDecisionLog(path);
    await Promise.all(Array.from({ length: 500 }, (_, i) => log.append({ i, note: 'two\nlines' })));
    await log.close();
    const lines = readLines(path);
    expect(lines.map((l) => l.i)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(readFileSync(path, 'utf8').endsWith('\n')).toBe(true);
  });

  it('appends to an existing file across reopenings', async () => {
    const path = join(tempDir(), 'decisions.jsonl');
    for (const i of [1, 2]) {
      const log = await openDecisionLog(path);
      await log.append({ i });
      await log.close();
    }
    expect(readLines(path)).toEqual([{ i: 1 }, { i: 2 }]);
  });

  it('cuts a torn tail back to the last whole line when it opens', async () => {
    const path = join(tempDir(), 'decisions.jsonl');
    appendFileSync(path, '{"i":1}\n{"i":2}\n{"i":3,"tor');
    const log = await openDecisionLog(path);
    expect(log.repairedBytes).toBe('{"i":3,"tor'.length);
    await log.append({ i: 4 });
    await log.close();
    expect(readLines(path)).toEqual([{ i: 1 }, { i: 2 }, { i: 4 }]);
  });

  it('empties a file that holds nothing but a torn line', async () => {
    const path = join(tempDir(), 'decisions.jsonl');
    appendFileSync(path, 'x'.repeat(100_000));
    const log = await openDecisionLog(path);
    expect(log.repairedBytes).toBe(100_000);
    await log.close();
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('rotates by size under concurrent writes without tearing or losing a line', async () => {
    const path = join(tempDir(), 'decisions.jsonl');
    const log = await openDecisionLog(path, { maxBytes: 4_096, keep: 1_000 });
    // 20 waves of 100 concurrent appends: each wave is a few flushes, rotations fall between them.
    for (let wave = 0; wave < 20; wave++) {
      await Promise.all(Array.from({ length: 100 }, (_, j) => log.append({ i: wave * 100 + j, pad: 'x'.repeat(j % 7) })));
    }
    await log.close();
    expect(log.rotations).toBeGreaterThan(10);
    const files = [path, ...Array.from({ length: log.rotations }, (_, k) => `${path}.${k + 1}`)].reverse();
    // Oldest file first: every line whole, every record exactly once, in order.
    const all = files.flatMap((f) => readLines(f).map((l) => l.i));
    expect(all).toEqual(Array.from({ length: 2_000 }, (_, i) => i));
    for (const f of files) expect(readFileSync(f, 'utf8').endsWith('\n')).toBe(true);
  });

  it('keeps only `keep` rotated files, each within the size limit', async () => {
    const path = join(tempDir(), 'decisions.jsonl');
    const log = await openDecisionLog(path, { maxBytes: 1_000, keep: 3 });
    for (let i = 0; i < 200; i++) await log.append({ i, pad: 'y'.repeat(40) });
    await log.close();
    expect(existsSync(`${path}.3`)).toBe(true);
    expect(existsSync(`${path}.4`)).toBe(false);
    for (const f of [path, `${path}.1`, `${path}.2`, `${path}.3`]) expect(statSync(f).size).toBeLessThanOrEqual(1_000);
    expect(readLines(path).at(-1)).toEqual({ i: 199, pad: 'y'.repeat(40) });
  });

  it('writes the lines submitted before a reopen to the old file, those after to the new one', async () => {
    const path = join(tempDir(), 'decisions.jsonl');
    const log = await openDecisionLog(path);
    await log.append({ i: -1 }); // the file exists; what follows is submitted while nothing flushes
    renameSync(path, `${path}.old`);
    await Promise.all([log.append({ i: 0 }), log.append({ i: 1 }), log.reopen!(), log.append({ i: 2 })]);
    await log.close();
    expect(readLines(`${path}.old`).map((l) => l.i)).toEqual([-1, 0, 1]);
    expect(readLines(path).map((l) => l.i)).toEqual([2]);
  });

  it('reopens at its path after a rename, losing nothing written meanwhile', async () => {
    const path = join(tempDir(), 'decisions.jsonl');
    const log = await openDecisionLog(path);
    const writes = Array.from({ length: 300 }, (_, i) => log.append({ i }));
    renameSync(path, `${path}.old`);
    const reopened = log.reopen!();
    const later = Array.from({ length: 300 }, (_, i) => log.append({ i: 300 + i }));
    await Promise.all([...writes, reopened, ...later]);
    await log.close();
    const all = [...readLines(`${path}.old`), ...readLines(path)].map((l) => l.i);
    expect(all).toEqual(Array.from({ length: 600 }, (_, i) => i));
    expect(readLines(path).length).toBeGreaterThan(0);
  });
});
