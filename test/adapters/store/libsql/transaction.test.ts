import { describe, expect, it } from 'bun:test';
import Database from 'libsql';
import { join } from 'node:path';
import {
  failureText,
  immediate,
  isDiskFull,
} from '../../../../src/adapters/store/libsql/transaction.mjs';
import { tempDir } from '../../../helpers/worker-process.ts';

/** A database allowed two pages more than it holds: a few KiB of inserts fill it (SQLITE_FULL). */
function nearlyFull() {
  const db = new Database(join(tempDir(), 'full.db'));
  db.exec('PRAGMA journal_mode=WAL');
  db.exec('CREATE TABLE t (x TEXT)');
  const pages = (db.prepare('PRAGMA page_count').raw(true).get() as number[])[0]!;
  db.exec(`PRAGMA max_page_count=${pages + 2}`);
  return db;
}

const fill = (db: Database.Database, rows: number) => {
  const insert = db.prepare('INSERT INTO t VALUES (?)');
  for (let i = 0; i < rows; i++) insert.run('x'.repeat(1_000));
};

describe('immediate', () => {
  it('keeps SQLITE_FULL where libSQL’s own transaction() says "cannot rollback"', () => {
    const db = nearlyFull();
    expect(() => db.transaction(fill).immediate(db, 100)).toThrow(
      'cannot rollback - no transaction is active',
    );
    let thrown: unknown;
    try {
      immediate(db, fill, db, 100);
    } catch (e) {
      thrown = e;
    }
    expect((thrown as { code?: string }).code).toBe('SQLITE_FULL');
    expect(isDiskFull(thrown)).toBe(true);
    expect(failureText(thrown)).toBe('disk full: database or disk is full');
    expect(db.inTransaction).toBe(false);
  });

  it('commits, and rolls back an ordinary failure', () => {
    const db = nearlyFull();
    immediate(db, fill, db, 1);
    expect(() =>
      immediate(db, () => {
        fill(db, 1);
        throw new Error('no');
      }),
    ).toThrow('no');
    expect((db.prepare('SELECT count(*) FROM t').raw(true).get() as number[])[0]).toBe(1);
    expect(isDiskFull(new Error('no'))).toBe(false);
  });
});
