// `npm run db:migrate`'s work: open a database by URL, migrate it (safe beside other runs), close.
// Its own module: it loads @libsql/client (the native engine for files), which an edge worker,
// importing the event store's migrate.ts, must never load.
import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql/web';
import { migrateConcurrently } from './migrate.ts';

/**
 * Opens `url` (a file or a remote server), applies the migrations in `migrationsFolder` (safe
 * beside other runs) and closes it; answers how many migrations the database has recorded.
 */
export async function migrateDatabase(o: {
  url: string;
  authToken?: string;
  migrationsFolder: string;
  onRetry?: (attempt: number, error: unknown) => void;
}): Promise<number> {
  const client = createClient({ url: o.url, authToken: o.authToken });
  try {
    await migrateConcurrently(drizzle(client), o);
    const { rows } = await client.execute('SELECT count(*) FROM "__drizzle_migrations"');
    return Number(rows[0]![0]);
  } finally {
    client.close();
  }
}
