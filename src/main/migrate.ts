// `npm run db:migrate`: applies the Drizzle migrations to AIS_DB_URL (AIS_DB_AUTH_TOKEN) and exits,
// for hosts whose workers have no disk to read migrations from (an edge isolate): run it from CI or
// a VPS before they start. Safe when two run at once (migrate.ts retries after a concurrent run).
import { loadConfig } from '../config/config.ts';
import { MIGRATIONS_DIR } from '../adapters/store/libsql/event-store.ts';
import { migrateDatabase } from '../adapters/store/libsql/migrate-database.ts';
import { messageOf } from '../domain/error-message.mjs';
import { redactText, redactUrl } from '../domain/redaction/redact.ts';
import { parseCli } from './cli-args.ts';

const USAGE = `usage: npm run db:migrate

Applies the generated migrations (drizzle/) to the database AIS_DB_URL names (AIS_DB_AUTH_TOKEN
for a remote server) and prints how many are recorded. Safe when two run at once.

  -h, --help   this text`;

/** The innermost cause's message on one line (Drizzle wraps the driver's error in the failed query). */
const oneLine = (e: unknown): string =>
  e instanceof Error && e.cause !== undefined
    ? oneLine(e.cause)
    : redactText(messageOf(e)).replace(/\s+/g, ' ').trim();

/** Exit code: 0 applied, 1 a bad setting or the database failed (one line, no credentials), 2 a bad command line. */
async function main(argv: string[]): Promise<number> {
  const args = parseCli({ name: 'db:migrate', usage: USAGE, options: {} }, argv);
  if (!args.ok) return args.exitCode;
  try {
    const config = loadConfig(process.env);
    const recorded = await migrateDatabase({
      url: config.db.url,
      authToken: config.db.authToken,
      migrationsFolder: MIGRATIONS_DIR,
      onRetry: (attempt, e) =>
        console.error(`migration attempt ${attempt} failed, retrying: ${oneLine(e)}`),
    });
    console.log(`migrations applied to ${redactUrl(config.db.url)}: ${recorded} recorded`);
    return 0;
  } catch (e) {
    console.error(`db:migrate: ${oneLine(e)}`);
    return 1;
  }
}

process.exit(await main(process.argv.slice(2)));
