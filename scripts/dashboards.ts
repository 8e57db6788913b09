// npm run dashboards: writes the Grafana dashboards defined in scripts/dashboards/definitions.ts
// to monitoring/grafana/dashboards/*.json. With --check, writes nothing and exits 1 on any drift.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildDashboards } from './dashboards/definitions.ts';
import { parseCli } from '../src/main/cli-args.ts';

const USAGE = `usage: npm run dashboards [-- --check]

Writes the Grafana dashboards defined in scripts/dashboards/definitions.ts to
monitoring/grafana/dashboards/*.json.

  --check      write nothing; exit 1 when a committed dashboard differs from its definition
  -h, --help   this text`;

export const DASHBOARD_DIR = resolve(import.meta.dirname, '../monitoring/grafana/dashboards');

export const renderDashboard = (d: unknown) => `${JSON.stringify(d, null, 2)}\n`;

if (import.meta.main) {
  const cli = parseCli(
    { name: 'dashboards', usage: USAGE, options: { check: { type: 'boolean', default: false } } },
    process.argv.slice(2),
  );
  if (!cli.ok) process.exit(cli.exitCode);
  const check = cli.values.check ?? false;
  let drift = 0;
  for (const [file, dashboard] of Object.entries(buildDashboards())) {
    const path = join(DASHBOARD_DIR, file);
    const text = renderDashboard(dashboard);
    const current = (() => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    })();
    if (current === text) continue;
    drift++;
    if (check)
      console.error(`dashboards: ${file} differs from its definition; run npm run dashboards`);
    else {
      writeFileSync(path, text);
      console.log(`dashboards: wrote ${file}`);
    }
  }
  if (check && drift) process.exit(1);
}
