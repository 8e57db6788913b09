// Types of transaction.mjs (plain JavaScript so that the writer thread loads it as it is).
/** Whether `error` (its code, message or cause) says the disk is full (SQLITE_FULL, ENOSPC). */
export function isDiskFull(error: unknown): boolean;
/** The error's one line, prefixed `disk full:` when it is one. */
export function failureText(error: unknown): string;
/** fn(...args) in BEGIN IMMEDIATE … COMMIT; on a failure, ROLLBACK if still open and the original error thrown. */
export function immediate<A extends unknown[], R>(
  db: { exec(sql: string): unknown; inTransaction: boolean },
  fn: (...args: A) => R,
  ...args: A
): R;
