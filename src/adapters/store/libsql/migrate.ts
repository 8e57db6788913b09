// Migrations that two workers may run at once on one fresh database. Drizzle's libSQL migrator
// applies what the `__drizzle_migrations` table lacks in one transaction; two runs that both read
// it empty both try, and the later one fails (`table 'events' already exists`) with its
// transaction rolled back. Running again then finds the migrations recorded and applies nothing,
// so a failed run is retried a few times (after a short random pause) before its error stands.
import type { LibSQLDatabase } from 'drizzle-orm/libsql/driver-core';
import { migrate } from 'drizzle-orm/libsql/migrator';

/** Attempts in all; 5 covers more starters than one database ever sees at once (each retry after the other committed). */
const MIGRATE_ATTEMPTS = 5;

interface MigrateOptions {
  migrationsFolder: string;
  /** Waits `ms` (tests pass a fake); default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Told of each failed attempt that will be retried. */
  onRetry?: (attempt: number, error: unknown) => void;
}

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Applies the pending migrations, safe when several processes run it at once on one database.
 * @throws the last attempt's error when every attempt failed (a real fault: bad SQL, no server)
 */
export async function migrateConcurrently(db: LibSQLDatabase, o: MigrateOptions): Promise<void> {
  const sleep = o.sleep ?? pause;
  for (let attempt = 1; ; attempt++) {
    try {
      await migrate(db, { migrationsFolder: o.migrationsFolder });
      return;
    } catch (e) {
      if (attempt >= MIGRATE_ATTEMPTS) throw e;
      o.onRetry?.(attempt, e);
      // 50-250 ms, more with each attempt: the other run's transaction commits within that.
      await sleep(50 * attempt + Math.random() * 200);
    }
  }
}
