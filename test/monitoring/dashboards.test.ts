// The Grafana dashboards: the committed JSON is what the TypeScript definitions generate, every
// expression names only catalogue metrics, and a real Prometheus accepts every expression.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildDashboards } from '../../scripts/dashboards/definitions.ts';
import { DASHBOARD_DIR, renderDashboard } from '../../scripts/dashboards.ts';
import { ROOT, tempDir } from '../helpers/worker-process.ts';
import { aisNamesIn, catalogueSeriesNames } from './catalogue-names.ts';
import { type Program, startPrometheus } from './processes.ts';

interface PanelJson {
  type: string;
  title: string;
  datasource?: { uid: string };
  targets?: { expr: string; datasource?: { uid: string } }[];
  panels?: PanelJson[];
}

const dashboards = buildDashboards();
const panelsOf = (d: { panels?: unknown }) =>
  ((d.panels ?? []) as PanelJson[])
    .flatMap((p) => [p, ...(p.panels ?? [])])
    .filter((p) => p.type !== 'row');
const allPanels = Object.values(dashboards).flatMap((d) => panelsOf(d));
const allExprs = allPanels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));

/** Grafana's interval variables, with the values Grafana would put in on a 15 s scrape. */
const expand = (expr: string) =>
  expr
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('$__interval', '15s')
    .replaceAll('$__range', '6h');

describe('Grafana dashboards', () => {
  it('are committed exactly as npm run dashboards generates them', () => {
    const committed = readdirSync(DASHBOARD_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(committed).toEqual(Object.keys(dashboards).sort());
    for (const [file, d] of Object.entries(dashboards)) {
      expect(readFileSync(join(DASHBOARD_DIR, file), 'utf8'), file).toBe(renderDashboard(d));
    }
  });

  it('are the four of the original document, with the panels it names', () => {
    const titles = Object.fromEntries(
      Object.values(dashboards).map((d) => [
        d.title,
        panelsOf(d)
          .map((p) => p.title.toLowerCase())
          .join(' | '),
      ]),
    );
    expect(Object.keys(titles).sort()).toEqual([
      'AIS Agent Performance',
      'AIS Execution',
      'AIS Overview',
      'AIS Risk',
    ]);
    const has = (dashboard: string, ...words: string[]) => {
      for (const w of words) expect(titles[dashboard], `${dashboard}: ${w}`).toContain(w);
    };
    has('AIS Overview', 'nav', 'p&l', 'drawdown', 'gross and net exposure');
    has('AIS Agent Performance', 'signals per minute', 'agent latency', 'approval ratio');
    has('AIS Execution', 'orders submitted', 'orders filled', 'fill rate', 'paper fills');
    has('AIS Risk', 'kill switch triggers', 'rejections per minute by guard', 'leverage history');
  });

  it('read the provisioned Prometheus datasource', () => {
    const provisioned = parse(
      readFileSync(
        join(ROOT, 'monitoring/grafana/provisioning/datasources/prometheus.yml'),
        'utf8',
      ),
    );
    const uid = provisioned.datasources[0].uid;
    for (const p of allPanels) {
      expect(p.datasource?.uid, p.title).toBe(uid);
      for (const t of p.targets ?? []) expect(t.datasource?.uid).toBe(uid);
    }
  });

  it('name only metrics from the catalogue', () => {
    const known = catalogueSeriesNames();
    expect(allExprs.length).toBeGreaterThan(40);
    for (const expr of allExprs) {
      expect(aisNamesIn(expr).length, expr).toBeGreaterThan(0);
      expect(
        aisNamesIn(expr).filter((n) => !known.has(n)),
        expr,
      ).toEqual([]);
    }
  });

  describe('on a real Prometheus', () => {
    let prometheus: Program;
    beforeAll(async () => {
      const dir = tempDir('ais-prom-dash-');
      writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 15s\n');
      prometheus = await startPrometheus(join(dir, 'prometheus.yml'), join(dir, 'data'));
    }, 30_000);
    afterAll(() => prometheus?.stop());

    it('every expression parses and evaluates', async () => {
      const failures: string[] = [];
      for (const expr of allExprs) {
        const res = await fetch(
          `${prometheus.url}/api/v1/query?${new URLSearchParams({ query: expand(expr) })}`,
        );
        const body = (await res.json()) as { status: string; error?: string };
        if (body.status !== 'success') failures.push(`${expr}: ${body.error}`);
      }
      expect(failures).toEqual([]);
    });

    it('and a broken one would be caught', async () => {
      const res = await fetch(
        `${prometheus.url}/api/v1/query?${new URLSearchParams({ query: 'sum by (guard (ais_risk_rejections_total)' })}`,
      );
      expect(((await res.json()) as { status: string }).status).toBe('error');
    });
  });
});
