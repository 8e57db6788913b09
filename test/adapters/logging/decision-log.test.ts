import { describe, expect, it } from 'bun:test';
import { appendFileSync, readFileSync } from 'node:fs';
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
});
