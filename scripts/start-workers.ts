// `npm run start:workers`: the Cloudflare Workers entry (src/main/workers.ts) in workerd on this
// machine (`wrangler dev --local`: no Cloudflare account, no network), against the remote libSQL
// server named by AIS_DB_URL (migrated beforehand: `npm run db:migrate`).
//
//   AIS_PORT          the local port (default 8787)
//   AIS_*, ASTER_*    handed to the worker as its bindings, as `wrangler secret put` would on
//                     Cloudflare, through an env file readable by this user only (never argv)
//
// Ctrl-C (or SIGTERM) stops wrangler; the script exits with wrangler's code.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dir, '..');
const env = process.env;

/** The worker's settings only: loadConfig reads AIS_ and ASTER_ names, nothing else goes in. */
const bindings = Object.entries(env).filter(
  ([name, value]) => /^(AIS|ASTER)_/.test(name) && name !== 'AIS_PORT' && value !== undefined,
);
const dir = mkdtempSync(join(tmpdir(), 'ais-workers-'));
const envFile = join(dir, 'bindings.env');
// JSON strings are valid dotenv double-quoted values (escapes included).
writeFileSync(envFile, bindings.map(([n, v]) => `${n}=${JSON.stringify(v)}\n`).join(''), {
  mode: 0o600,
});
const child = spawn(
  join(ROOT, 'node_modules/.bin/wrangler'),
  [
    'dev',
    '--local',
    '--ip',
    '127.0.0.1',
    '--port',
    env.AIS_PORT ?? '8787',
    '--env-file',
    envFile,
    '--show-interactive-dev-session=false',
  ],
  {
    cwd: ROOT,
    stdio: 'inherit',
    // No metrics to Cloudflare, no update check (banner) against the registry.
    env: {
      ...env,
      WRANGLER_SEND_METRICS: 'false',
      WRANGLER_HIDE_BANNER: 'true',
      // The Request.cf placeholder instead of fetching it from workers.cloudflare.com.
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    },
  },
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => {
  rmSync(dir, { recursive: true, force: true });
  process.exit(code ?? 1);
});
