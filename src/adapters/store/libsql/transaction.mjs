// One IMMEDIATE transaction on libSQL's synchronous engine, with the failure that caused a
// rollback kept. libSQL's own db.transaction() issues ROLLBACK in its catch; after SQLITE_FULL
// SQLite has already rolled back, so that ROLLBACK throws "cannot rollback - no transaction is
// active" and the disk-full error is lost. Plain JavaScript: the writer thread loads it as it is.
import { messageOf } from '../../../domain/error-message.mjs';

/** SQLite's "database or disk is full" and the OS's "no space left on device". */
const DISK_FULL = /SQLITE_FULL|ENOSPC|database or disk is full|no space left on device/i;

/** Whether `error` (its code, message or cause) says the disk is full. */
export function isDiskFull(error) {
  for (let e = error, depth = 0; e && depth < 5; e = e.cause, depth++) {
    if (DISK_FULL.test(`${e.code ?? ''} ${messageOf(e)}`)) return true;
  }
  return false;
}

/** The error's one line, prefixed `disk full:` when it is one (logs, /health and answers quote it). */
export function failureText(error) {
  const text = messageOf(error);
  return isDiskFull(error) && !text.startsWith('disk full') ? `disk full: ${text}` : text;
}

/**
 * Runs fn(...args) between BEGIN IMMEDIATE and COMMIT (IMMEDIATE: the write lock up front, so no
 * deadlock with another process's writer). On a failure, rolls back if a transaction is still
 * open and throws the original error.
 */
export function immediate(db, fn, ...args) {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn(...args);
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.inTransaction) {
      try {
        db.exec('ROLLBACK');
      } catch {
        // The original error says what went wrong; a failed ROLLBACK adds nothing.
      }
    }
    throw error;
  }
}
