// The decision trail's file, written by the event store's writer thread (writer-thread.mjs): whole
// JSON lines appended with one write each, a torn tail (a kill mid-write) cut back to the last whole
// line at open, rotation by size (path → path.1 → … → path.<keep>) and reopening at the path after
// an outside rename (SIGHUP), both between two appends. Synchronous on purpose: it runs on the
// writer thread, never on the event loop. Plain JavaScript: the thread loads it as it is.
import {
  closeSync,
  fdatasyncSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

/**
 * The open file: its descriptor, its size in bytes and whether lines were appended since the last
 * sync. Held by openTrailFile and passed to the steps below.
 * @typedef {{ path: string, fd: number, size: number, dirty: boolean }} TrailHandle
 */

/**
 * @param {string} path
 * @param {{ maxBytes?: number, keep?: number }} [rotation] maxBytes 0 = never rotate (default); keep default 10
 */
export function openTrailFile(path, rotation = {}) {
  const maxBytes = rotation.maxBytes ?? 0;
  const keep = Math.max(1, rotation.keep ?? 10);
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'a+');
  const repairedBytes = cutTornTail(fd);
  /** @type {TrailHandle} */
  const h = { path, fd, size: fstatSync(fd).size, dirty: false };
  let rotations = 0;
  const rotate = () => {
    rotateFiles(h, keep);
    rotations++;
  };

  return {
    repairedBytes,
    get rotations() {
      return rotations;
    },
    /**
     * Appends whole lines (each ending in \n) in one write; when they would take the file past
     * maxBytes, line by line, rotating before the line that would (a line longer than maxBytes
     * gets a file of its own).
     */
    append(text) {
      const bytes = Buffer.from(text);
      if (maxBytes === 0 || h.size + bytes.length <= maxBytes) return write(h, bytes);
      for (let start = 0; start < bytes.length;) {
        const end = bytes.indexOf(0x0a, start) + 1 || bytes.length;
        if (h.size > 0 && h.size + end - start > maxBytes) rotate();
        write(h, bytes.subarray(start, end));
        start = end;
      }
    },
    /** fdatasync when lines were appended since the last sync. */
    sync: () => sync(h),
    reopen: () => reopen(h),
    close() {
      sync(h);
      closeSync(h.fd);
    },
  };
}

/** @param {TrailHandle} h */
function sync(h) {
  if (h.dirty) fdatasyncSync(h.fd);
  h.dirty = false;
}

/** Closes the current file (synced) and opens whatever is at `path` now. @param {TrailHandle} h */
function reopen(h) {
  sync(h);
  closeSync(h.fd);
  mkdirSync(dirname(h.path), { recursive: true });
  h.fd = openSync(h.path, 'a+');
  h.size = fstatSync(h.fd).size;
}

/** @param {TrailHandle} h @param {Uint8Array} bytes */
function write(h, bytes) {
  // 'a+' appends every write at the end; a short write continues where it stopped.
  for (let at = 0; at < bytes.length;) at += writeSync(h.fd, bytes, at, bytes.length - at);
  h.size += bytes.length;
  h.dirty = bytes.length > 0 || h.dirty;
}

/** path → path.1 → … → path.<keep>, then a fresh file at path. @param {TrailHandle} h @param {number} keep */
function rotateFiles(h, keep) {
  const path = h.path;
  sync(h);
  // Renames overwrite: path.<keep> (the oldest) is replaced, i.e. deleted.
  for (let i = keep - 1; i >= 1; i--) renameQuietly(`${path}.${i}`, `${path}.${i + 1}`);
  // Gone already (removed by hand): the reopen starts a new file all the same.
  renameQuietly(path, `${path}.1`);
  reopen(h);
}

function renameQuietly(from, to) {
  try {
    renameSync(from, to);
  } catch {
    // Nothing to move.
  }
}

/** Truncates the file after its last newline; returns how many bytes were cut. */
function cutTornTail(fd) {
  const { size } = fstatSync(fd);
  if (size === 0) return 0;
  const chunk = Buffer.alloc(64 * 1024);
  for (let end = size; end > 0;) {
    const start = Math.max(0, end - chunk.length);
    const bytesRead = readSync(fd, chunk, 0, end - start, start);
    const nl = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (nl >= 0) {
      const keepBytes = start + nl + 1;
      if (keepBytes < size) ftruncateSync(fd, keepBytes);
      return size - keepBytes;
    }
    end = start;
  }
  ftruncateSync(fd, 0);
  return size;
}

/**
 * The trail line of a stored event, from the very bytes of its payload (no second serialisation):
 * `{"time":"<ISO>","event_id":<id>,` then `"kind":"<kind>",` when the type names it (a `decision`
 * payload carries its own kind), then the payload's fields. `payloadJson` is a JSON object.
 * @param {number} id @param {number} timeMs @param {string} payloadJson @param {string | null} kind
 */
export function trailLine(id, timeMs, payloadJson, kind) {
  const head = `{"time":"${new Date(timeMs).toISOString()}","event_id":${id}`;
  const rest = payloadJson.length > 2 ? `,${payloadJson.slice(1)}` : '}';
  return kind ? `${head},"kind":"${kind}"${rest}\n` : `${head}${rest}\n`;
}
