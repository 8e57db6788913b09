// JSONL decision trail on a local file. Lines of a flush go out in one write and one fdatasync;
// at open, a tail left torn by a kill mid-write is cut back to the last whole line, so readers
// only ever see whole lines. The file can be rotated two ways, both between two flushes (so no
// line is torn or lost): by size, built in (path → path.1 → … → path.<keep>), and by reopening the
// path on request (SIGHUP after logrotate or `mv` renamed it).
import { mkdirSync } from 'node:fs';
import { open, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DecisionLog } from '../../ports/decision-log.ts';
import { createGroupCommit } from '../shared/group-commit.ts';

export interface FileDecisionLog extends DecisionLog {
  /** Bytes cut from a torn tail at open (0 when the file was whole). */
  readonly repairedBytes: number;
  /** Rotations by size so far. */
  readonly rotations: number;
}

export interface RotationOptions {
  /** Rotate before a flush would take the file past this many bytes; 0 = never (default). */
  maxBytes?: number;
  /** Rotated files kept (path.1 newest … path.<keep> oldest); older ones are deleted. Default 10. */
  keep?: number;
}

/** Opens (creates) the trail at `path` for appending; throws when the path cannot be opened. */
export async function openDecisionLog(path: string, rotation: RotationOptions = {}): Promise<FileDecisionLog> {
  const maxBytes = rotation.maxBytes ?? 0;
  const keep = Math.max(1, rotation.keep ?? 10);
  mkdirSync(dirname(path), { recursive: true });
  let fh = await open(path, 'a+');
  const repairedBytes = await cutTornTail(fh);
  let size = (await fh.stat()).size;
  let rotations = 0;

  /** Closes the current handle and opens whatever is at `path` now (a new file after a rename). */
  async function reopenPath() {
    await fh.close();
    mkdirSync(dirname(path), { recursive: true });
    fh = await open(path, 'a+');
    size = (await fh.stat()).size;
  }
  async function rotate() {
    // Renames overwrite: path.<keep> (the oldest) is replaced, i.e. deleted.
    for (let i = keep - 1; i >= 1; i--) await rename(`${path}.${i}`, `${path}.${i + 1}`).catch(() => {});
    // Gone already (removed by hand): the reopen below starts a new file all the same.
    await rename(path, `${path}.1`).catch(() => {});
    rotations++;
    await reopenPath();
  }

  /** Appends whole lines to the current file (rotating first when they would take it past maxBytes). */
  async function writeLines(lines: string[]) {
    if (lines.length === 0) return;
    const bytes = Buffer.from(lines.join(''));
    if (maxBytes > 0 && size > 0 && size + bytes.length > maxBytes) await rotate();
    let written = 0;
    while (written < bytes.length) {
      // 'a+' appends every write at the end, whatever the position argument says.
      const { bytesWritten } = await fh.write(bytes, written, bytes.length - written);
      written += bytesWritten;
    }
    size += bytes.length;
    await fh.datasync();
  }

  // Runs one flush at a time: rotation and reopening happen only between two writes. A `null`
  // item asks for a reopen in turn: lines submitted before it go to the old file, after it to the new.
  const commit = createGroupCommit<string | null, void>(async (items) => {
    let lines: string[] = [];
    for (const item of items) {
      if (item !== null) {
        lines.push(item);
        continue;
      }
      await writeLines(lines);
      lines = [];
      await reopenPath();
    }
    await writeLines(lines);
    return items.map(() => undefined);
  });
  return {
    repairedBytes,
    get rotations() {
      return rotations;
    },
    async append(record) {
      // JSON.stringify escapes newlines inside strings, so one record is exactly one line.
      await commit.submit([`${JSON.stringify(record)}\n`]);
    },
    async reopen() {
      await commit.submit([null]);
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
