// npm run dashboards: writes the Grafana dashboards defined in scripts/dashboards/definitions.ts
// to monitoring/grafana/dashboards/*.json. With --check, writes nothing and exits 1 on any drift.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildDashboards } from './dashboards/definitions.ts';

export const DASHBOARD_DIR = resolve(import.meta.dirname, '../monitoring/grafana/dashboards');

export const renderDashboard = (d: unknown) => `${JSON.stringify(d, null, 2)}\n`;

if (import.meta.main) {
  const check = process.argv.includes('--check');
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
