// `npm run db:backup -- <file>`: a consistent copy of the local libSQL database (VACUUM INTO), safe
// while the worker runs. For a remote libSQL server use its own backups (sqld snapshots, Turso).
import { createClient } from '@libsql/client';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config/config.ts';

const target = process.argv[2];
const config = loadConfig(process.env);
if (!target) {
  console.error('usage: npm run db:backup -- <backup-file>');
  process.exit(2);
}
if (!config.db.url.startsWith('file:')) {
  console.error(
    `db:backup copies a local file database; AIS_DB_URL is ${config.db.url.split('?')[0]}`,
  );
  process.exit(2);
}
const dest = resolve(target);
if (existsSync(dest)) {
  console.error(`refusing to overwrite ${dest}`);
  process.exit(2);
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
