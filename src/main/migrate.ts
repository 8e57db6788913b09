// `npm run db:migrate`: applies the Drizzle migrations to AIS_DB_URL (AIS_DB_AUTH_TOKEN) and exits,
// for hosts whose workers have no disk to read migrations from (an edge isolate): run it from CI or
// a VPS before they start. Safe when two run at once (migrate.ts retries after a concurrent run).
import { loadConfig } from '../config/config.ts';
import { MIGRATIONS_DIR } from '../adapters/store/libsql/event-store.ts';
import { migrateDatabase } from '../adapters/store/libsql/migrate-database.ts';

const config = loadConfig(process.env);
const recorded = await migrateDatabase({
  url: config.db.url,
  authToken: config.db.authToken,
  migrationsFolder: MIGRATIONS_DIR,
  onRetry: (attempt, e) =>
    console.error(`migration attempt ${attempt} failed, retrying: ${(e as Error).message}`),
});
console.log(`migrations applied to ${config.db.url.split('?')[0]}: ${recorded} recorded`);
