// The alert rules and Prometheus config, checked by promtool and against the metrics catalogue.
import { describe, expect, it } from 'bun:test';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { requireBinary } from '../helpers/binaries.ts';
import { ROOT, tempDir } from '../helpers/worker-process.ts';
import { aisNamesIn, catalogueSeriesNames } from './catalogue-names.ts';

const MONITORING = join(ROOT, 'monitoring');
const RULES = join(MONITORING, 'rules/ais.rules.yml');
const RULE_TESTS = join(MONITORING, 'rules/ais.rules.test.yml');

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const rules: Rule[] = parse(readFileSync(RULES, 'utf8')).groups.flatMap(
  (g: { rules: Rule[] }) => g.rules,
);

const run = (
  bin: string,
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string } = {},
) => {
  const r = spawnSync(bin, args, {
    encoding: 'utf8',
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, ...opts.env },
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
};

describe('monitoring/rules', () => {
  it('pass promtool check rules', () => {
    const r = run(requireBinary('promtool'), ['check', 'rules', RULES]);
    expect(r.out).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(r.status).toBe(0);
  });

  it('pass their promtool unit tests', () => {
    const r = run(requireBinary('promtool'), ['test', 'rules', RULE_TESTS]);
    expect(r.out).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('have a unit test that fires and one that stays silent for every alert and severity', () => {
    const tests = parse(readFileSync(RULE_TESTS, 'utf8')).tests as {
      alert_rule_test?: {
        alertname: string;
        exp_alerts?: { exp_labels: Record<string, string> }[];
      }[];
    }[];
    const cases = tests.flatMap((t) => t.alert_rule_test ?? []);
    for (const rule of rules) {
      const mine = cases.filter((c) => c.alertname === rule.alert);
      const fires = mine.some((c) =>
        c.exp_alerts?.some((a) => a.exp_labels.severity === rule.labels?.severity),
      );
      const silent = mine.some((c) => (c.exp_alerts ?? []).length === 0);
      expect({ alert: rule.alert, severity: rule.labels?.severity, fires, silent }).toEqual({
        alert: rule.alert,
        severity: rule.labels?.severity,
        fires: true,
        silent: true,
      });
    }
  });

  it('cover the required alerts', () => {
    const names = new Set(rules.map((r) => r.alert));
    for (const name of [
      'HighDrawdown',
      'HighLeverage',
      'KillSwitchTriggered',
      'RiskRejectionsIncreasing',
      'AsterErrorsIncreasing',
      'CircuitBreakerOpen',
      'ReconciliationMismatch',
      'LoopHeartbeatStale',
      'ExchangeDataStale',
      'WorkerDown',
    ]) {
      expect(names).toContain(name);
    }
    expect(
      rules.find((r) => r.alert === 'HighDrawdown' && r.labels?.severity === 'warning')?.expr,
    ).toBe('ais_drawdown > on (job, instance) (0.8 * ais_risk_limit{guard="drawdown"})');
    // The risk figures are compared with the limit in force, never a fixed number.
    for (const name of ['HighDrawdown', 'HighLeverage', 'LiquidationDistanceLow'])
      for (const r of rules.filter((x) => x.alert === name))
        expect(r.expr).toMatch(/ais_risk_limit\{guard="[a-z_]+"\}/);
  });

  it('give every rule a for, a severity, a summary, a description and a runbook that exists', () => {
    for (const rule of rules) {
      expect(rule.for, rule.alert).toMatch(/^\d+[smh]$/);
      expect(['critical', 'warning', 'info']).toContain(rule.labels?.severity ?? '');
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
      expect(rule.annotations?.description, rule.alert).toBeTruthy();
      expect(rule.annotations?.runbook_url).toBe(`docs/runbooks/${rule.alert}.md`);
      expect(
        existsSync(join(ROOT, rule.annotations!.runbook_url!)),
        rule.annotations!.runbook_url,
      ).toBe(true);
    }
  });

  it('name only metrics from the catalogue', () => {
    const known = catalogueSeriesNames();
    const used = rules.flatMap((r) => aisNamesIn(r.expr));
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((n) => !known.has(n))).toEqual([]);
    // The one metric outside the catalogue is Prometheus' own scrape health.
    const others = rules.filter((r) => aisNamesIn(r.expr).length === 0).map((r) => r.expr);
    expect(others).toEqual(['up{job="ais-worker"} == 0']);
  });
});

describe('monitoring/prometheus.yml', () => {
  it('passes promtool check config once entrypoint.sh has written the scrape token file', () => {
    // The real start-up path: a copy of the directory, secrets rendered from the environment.
    const dir = tempDir('ais-prom-');
    cpSync(join(MONITORING, 'prometheus.yml'), join(dir, 'prometheus.yml'));
    cpSync(join(MONITORING, 'rules'), join(dir, 'rules'), { recursive: true });
    const r = run(
      'sh',
      [
        join(MONITORING, 'entrypoint.sh'),
        requireBinary('promtool'),
        'check',
        'config',
        join(dir, 'prometheus.yml'),
      ],
      {
        env: { AIS_SECRETS_DIR: join(dir, 'secrets'), AIS_METRICS_TOKEN: 'scrape-token' },
      },
    );
    expect(r.out).toContain('is valid prometheus config file syntax');
    expect(r.out).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'secrets/metrics_token'), 'utf8')).toBe('scrape-token');
  });

  it('scrapes the worker with the bearer token file and the Pushgateway with honor_labels', () => {
    const config = parse(readFileSync(join(MONITORING, 'prometheus.yml'), 'utf8'));
    const job = (name: string) =>
      config.scrape_configs.find((j: { job_name: string }) => j.job_name === name);
    expect(job('ais-worker')).toMatchObject({
      metrics_path: '/metrics',
      authorization: { type: 'Bearer', credentials_file: 'secrets/metrics_token' },
      static_configs: [{ targets: ['worker:8000'] }],
    });
    expect(job('pushgateway')).toMatchObject({
      honor_labels: true,
      static_configs: [{ targets: ['pushgateway:9091'] }],
    });
    expect(config.alerting.alertmanagers[0].static_configs[0].targets).toEqual([
      'alertmanager:9093',
    ]);
    // The glob loads the rules but not their unit tests.
    expect(config.rule_files).toEqual(['rules/*.rules.yml']);
  });
});
