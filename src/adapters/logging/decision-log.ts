// JSONL decision trail on a local file. Lines of a flush go out in one write and one fdatasync;
// at open, a tail left torn by a kill mid-write is cut back to the last whole line, so readers
// only ever see whole lines.
import { mkdirSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DecisionLog } from '../../ports/decision-log.ts';
import { createGroupCommit } from '../shared/group-commit.ts';

export interface FileDecisionLog extends DecisionLog {
  /** Bytes cut from a torn tail at open (0 when the file was whole). */
  readonly repairedBytes: number;
}

export async function openDecisionLog(path: string): Promise<FileDecisionLog> {
  mkdirSync(dirname(path), { recursive: true });
  const fh = await open(path, 'a+');
  const repairedBytes = await cutTornTail(fh);
  const commit = createGroupCommit<string, void>(async (lines) => {
    const bytes = Buffer.from(lines.join(''));
    let written = 0;
    while (written < bytes.length) {
      // 'a+' appends every write at the end, whatever the position argument says.
      const { bytesWritten } = await fh.write(bytes, written, bytes.length - written);
      written += bytesWritten;
    }
    await fh.datasync();
    return lines.map(() => undefined);
  });
  return {
    repairedBytes,
    async append(record) {
      // JSON.stringify escapes newlines inside strings, so one record is exactly one line.
      await commit.submit([`${JSON.stringify(record)}\n`]);
    },
    async close() {
      await commit.drain();
      await fh.close();
    },
  };
}

/** Truncates the file after its last newline; returns how many bytes were cut. */
async function cutTornTail(fh: FileHandle): Promise<number> {
  const { size } = await fh.stat();
  if (size === 0) return 0;
  const chunk = Buffer.alloc(64 * 1024);
  for (let end = size; end > 0; ) {
    const start = Math.max(0, end - chunk.length);
    const { bytesRead } = await fh.read(chunk, 0, end - start, start);
    const nl = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (nl >= 0) {
      const keep = start + nl + 1;
      if (keep < size) await fh.truncate(keep);
      return size - keep;
    }
    end = start;
  }
  await fh.truncate(0);
  return size;
}
