// `npm run db:backup -- <file>`: a consistent copy of the local libSQL database (VACUUM INTO), safe
// while the worker runs. For a remote libSQL server use its own backups (sqld snapshots, Turso).
import { createClient } from '@libsql/client';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config/config.ts';
import { messageOf } from '../domain/error-message.mjs';
import { parseCli } from './cli-args.ts';

const USAGE = `usage: npm run db:backup -- <backup-file>

Writes a consistent copy of the database AIS_DB_URL names (a local file: libSQL's VACUUM INTO,
safe while the worker runs), checks its integrity and prints the event count. Refuses to
overwrite a file. A name starting with "-" is an option: write such a file as ./-x.db

  -h, --help   this text`;

/** Exit code: 0 written, 1 the copy failed, 2 a bad command line, database URL or target. */
async function main(argv: string[]): Promise<number> {
  const args = parseCli(
    {
      name: 'db:backup',
      usage: USAGE,
      options: {},
      positionals: { min: 1, max: 1, name: 'the backup file' },
    },
    argv,
  );
  if (!args.ok) return args.exitCode;
  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    console.error(messageOf(e)); // config: <VARIABLE> expected …
    return 2;
  }
  if (!config.db.url.startsWith('file:')) {
    console.error(
      `db:backup copies a local file database; AIS_DB_URL is ${config.db.url.split('?')[0]}`,
    );
    return 2;
  }
  const dest = resolve(args.positionals[0]!);
  if (existsSync(dest)) {
    console.error(`db:backup: refusing to overwrite ${dest}`);
    return 2;
  }
  const client = createClient({ url: config.db.url });
  await client.execute({ sql: 'VACUUM INTO ?', args: [dest] });
  const copy = createClient({ url: `file:${dest}` });
  const check = await copy.execute('PRAGMA integrity_check');
  const count = await copy.execute('SELECT count(*) FROM events');
  console.log(
    `backup written to ${dest}: ${count.rows[0]![0]} events, integrity ${check.rows[0]![0]}`,
  );
  client.close();
  copy.close();
  return check.rows[0]![0] === 'ok' ? 0 : 1;
}

process.exit(await main(process.argv.slice(2)));
