// The monitoring stack end to end, every program real and on loopback: a worker process, Prometheus,
// Alertmanager and the Pushgateway. An operator triggers the kill switch; the real KillSwitchTriggered
// rule fires; Alertmanager delivers it to the worker's webhook with the bearer token and to a
// Slack stand-in; the worker stores an `alert` event and fans it out to its own webhook channel.
//
// A second worker trades "Aster" (the fake Aster server in this process) so that the Aster panels
// have data too; every panel of every committed dashboard must return data through Prometheus'
// HTTP API. A paper-market drill (POST /v1/paper/shock) forces a drawdown past 5 %: the real
// HighDrawdown rule fires and reaches the worker as a stored alert. A real backtest's summary,
// pushed to the Pushgateway, is queryable in Prometheus with its run id.
//
// The configs are the committed ones with test-only changes, made below in code: targets point at
// the loopback ports, scrape and rule evaluation run every second, and Alertmanager groups after 1 s
// instead of 10 s. The rules are the committed rules unchanged (KillSwitchTriggered has `for: 0m`).
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { pushMetrics } from '../../src/adapters/pushgateway/push.ts';
import { pushSummary, runBacktest } from '../../src/main/backtest.ts';
import { type FakeAster, startFakeAster } from '../fake-aster/server.ts';
import { buildDashboards } from '../../scripts/dashboards/definitions.ts';
import { type LoopbackReceiver, startReceiver } from '../adapters/alerts/loopback-receiver.ts';
import {
  type Program,
  startAlertmanager,
  startPrometheus,
  startPushgateway,
  waitFor,
} from '../monitoring/processes.ts';
import { seedFlatMarket, workerApi } from '../helpers/drill.ts';
import {
  asterEnv,
  ROOT,
  startWorker,
  tempDir,
  type WorkerProcess,
} from '../helpers/worker-process.ts';

const API_TOKEN = 'e2e-api-token-0123456789abcdef';
const METRICS_TOKEN = 'e2e-metrics-token-0123456789';
const MONITORING = join(ROOT, 'monitoring');

let worker: WorkerProcess;
let asterWorker: WorkerProcess;
let fake: FakeAster;
let prometheus: Program;
let alertmanager: Program;
let pushgateway: Program;
let slack: LoopbackReceiver;
let workerChannel: LoopbackReceiver;

/** Runs monitoring/entrypoint.sh as the containers do, with `true` as the command. */
function entrypoint(env: Record<string, string>) {
  const r = spawnSync('sh', [join(MONITORING, 'entrypoint.sh'), 'true'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  });
  if (r.status !== 0) throw new Error(`entrypoint.sh failed: ${r.stderr}`);
}

beforeAll(async () => {
  slack = await startReceiver();
  workerChannel = await startReceiver();
  worker = await startWorker('bun', {
    AIS_API_TOKEN: API_TOKEN,
    AIS_METRICS_TOKEN: METRICS_TOKEN,
    AIS_ALERT_WEBHOOK_URL: workerChannel.url,
    AIS_LOOP_INTERVAL_MS: '100',
    // Room for the drawdown drill's big position, and stop-losses that trigger on the synthetic market.
    AIS_MAX_POSITION_WEIGHT: '0.6',
    AIS_MAX_NET_EXPOSURE: '1',
    AIS_MAX_ORDER_NOTIONAL_USD: '1000000',
    AIS_STOP_LOSS: '0.002',
  });
  fake = await startFakeAster({ balanceUsd: 20_000, symbols: ['BTCUSDT', 'ETHUSDT'] });
  fake.setMark('BTCUSDT', 60_000);
  fake.setMark('ETHUSDT', 3_000);
  // A position the aster worker starts with, so that its margin read exports a liquidation distance.
  fake.setPosition('ETHUSDT', -0.5, 3_000);
  fake.inject({ kind: 'status', status: 502 }, { path: '/fapi/v1/klines' }, 3);
  asterWorker = await startWorker(
    'bun',
    asterEnv(fake, {
      AIS_API_TOKEN: API_TOKEN,
      AIS_METRICS_TOKEN: METRICS_TOKEN,
      AIS_SYMBOLS: 'BTCUSDT,ETHUSDT',
      AIS_LOOP_INTERVAL_MS: '200',
      AIS_INSTANCE_ID: 'worker-aster',
    }),
  );
  pushgateway = await startPushgateway();

  // Alertmanager: the committed template rendered by entrypoint.sh, then faster grouping.
  const amDir = tempDir('ais-e2e-am-');
  entrypoint({
    AIS_SECRETS_DIR: amDir,
    AM_CONFIG_TEMPLATE: join(MONITORING, 'alertmanager.yml'),
    AIS_API_TOKEN: API_TOKEN,
    AIS_SLACK_WEBHOOK_URL: slack.url,
    AIS_WORKER_URL: worker.url,
  });
  const amConfig = parse(readFileSync(join(amDir, 'alertmanager.yml'), 'utf8'));
  Object.assign(amConfig.route, { group_wait: '1s', group_interval: '1s' });
  writeFileSync(join(amDir, 'alertmanager.yml'), stringify(amConfig));
  alertmanager = await startAlertmanager(join(amDir, 'alertmanager.yml'), join(amDir, 'data'));

  // Prometheus: a copy of the committed config and rules; targets on loopback, 1 s intervals.
  const promDir = tempDir('ais-e2e-prom-');
  cpSync(join(MONITORING, 'rules'), join(promDir, 'rules'), { recursive: true });
  entrypoint({ AIS_SECRETS_DIR: join(promDir, 'secrets'), AIS_METRICS_TOKEN: METRICS_TOKEN });
  const promConfig = parse(readFileSync(join(MONITORING, 'prometheus.yml'), 'utf8'));
  Object.assign(promConfig.global, { scrape_interval: '1s', evaluation_interval: '1s' });
  const host = (url: string) => new URL(url).host;
  const targets: Record<string, string> = {
    'worker:8000': host(worker.url),
    'worker-aster:8000': host(asterWorker.url),
    'pushgateway:9091': host(pushgateway.url),
    'alertmanager:9093': host(alertmanager.url),
  };
  promConfig.alerting.alertmanagers[0].static_configs[0].targets = [host(alertmanager.url)];
  promConfig.scrape_configs = promConfig.scrape_configs
    .filter((j: { job_name: string }) => j.job_name !== 'prometheus')
    .map((j: { job_name: string; static_configs: { targets: string[] }[] }) => ({
      ...j,
      static_configs: j.static_configs.map((s) => ({
        targets: [...s.targets, ...(j.job_name === 'ais-worker' ? ['worker-aster:8000'] : [])].map(
          (t) => targets[t] ?? t,
        ),
      })),
    }));
  writeFileSync(join(promDir, 'prometheus.yml'), stringify(promConfig));
  prometheus = await startPrometheus(join(promDir, 'prometheus.yml'), join(promDir, 'data'));
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([
    prometheus?.stop(),
    alertmanager?.stop(),
    pushgateway?.stop(),
    worker?.stop(),
    asterWorker?.stop(),
    slack?.close(),
    workerChannel?.close(),
  ]);
  await fake?.stop();
});

const query = async (promql: string) => {
  const res = await fetch(
    `${prometheus.url}/api/v1/query?${new URLSearchParams({ query: promql })}`,
  );
  const body = (await res.json()) as {
    status: string;
    data: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  if (body.status !== 'success') throw new Error(`query ${promql} failed`);
  return body.data.result;
};
const api = (path: string, body?: unknown) =>
  fetch(`${worker.url}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });

describe('monitoring stack end to end', () => {
  it('Prometheus scrapes the worker with the metrics token, and the Pushgateway', async () => {
    const up = await waitFor('both scrape targets up', async () => {
      const r = await query('up');
      return r.length >= 4 && r.every((s) => s.value[1] === '1') && r;
    });
    expect(up.map((s) => s.metric.job).sort()).toEqual([
      'ais-worker',
      'ais-worker',
      'alertmanager',
      'pushgateway',
    ]);
    // Without the token the worker refuses the scrape: the token file is what made it work.
    expect((await fetch(`${worker.url}/metrics`)).status).toBe(401);
  }, 30_000);

  it('serves data for the Overview dashboard expressions', async () => {
    const overview = buildDashboards()['ais-overview.json']!;
    const exprs = (overview.panels ?? []).flatMap((p) =>
      ((p as { targets?: { expr: string }[] }).targets ?? []).map((t) => t.expr),
    );
    // ais_exposure has no series until a position exists.
    for (const expr of exprs.filter((e) => e !== 'ais_exposure')) {
      const result = await waitFor(`data for ${expr}`, async () => {
        const r = await query(expr);
        return r.length > 0 && r;
      });
      expect(result[0]!.metric.job).toBe('ais-worker');
    }
  }, 30_000);

  it('keeps pushed job and run_id labels (honor_labels)', async () => {
    await pushMetrics({
      url: pushgateway.url,
      job: 'ais_backtest',
      groupingKey: { run_id: 'e2e-1' },
      text: 'ais_backtest_e2e_trades 17\n',
    });
    const result = await waitFor('the pushed series in Prometheus', async () => {
      const r = await query('ais_backtest_e2e_trades');
      return r.length > 0 && r;
    });
    expect(result[0]!.metric).toMatchObject({ job: 'ais_backtest', run_id: 'e2e-1' });
    expect(result[0]!.value[1]).toBe('17');
  }, 30_000);

  it('a drawdown drill past 5 % fires HighDrawdown: Prometheus → Alertmanager → worker webhook → stored alert', async () => {
    // A big long position through an external signal, then a crash against it.
    const position = await waitFor(
      'a position of at least 10 % of NAV',
      async () => {
        await api('/v1/signals', {
          agent_id: 'e2e',
          symbol: 'BTCUSDT',
          direction: 'LONG',
          confidence: 1,
          size_hint: 0.5,
        });
        const p = (await (await api('/v1/portfolio')).json()) as {
          positions: { symbol: string; weight: number }[];
        };
        const btc = p.positions.find((x) => x.symbol === 'BTCUSDT');
        return btc && btc.weight >= 0.1 && btc;
      },
      30_000,
    );
    expect(
      (
        await api('/v1/paper/shock', {
          symbol: 'BTCUSDT',
          fraction: -Math.min(0.9, 0.1 / position.weight),
          reason: 'e2e drawdown drill',
        })
      ).status,
    ).toBe(200);
    const drawdown = await waitFor(
      'ais_drawdown past 0.05 in Prometheus',
      async () => {
        const r = await query('ais_drawdown{instance!~".*aster.*"} > 0.05');
        return r.length > 0 && r;
      },
      20_000,
    );
    expect(Number(drawdown[0]!.value[1])).toBeGreaterThan(0.05);
    const events = await waitFor(
      'a HighDrawdown alert event from Alertmanager',
      async () => {
        const body = (await (await api('/v1/events?type=alert&stream=HighDrawdown')).json()) as {
          events: { payload: Record<string, unknown> }[];
        };
        return body.events.length > 0 && body.events;
      },
      45_000,
    );
    expect(events[0]!.payload).toMatchObject({
      source: 'alertmanager',
      status: 'firing',
      severity: 'critical',
    });
    // The coordinator tripped the kill switch on the same breach.
    expect((await (await fetch(`${worker.url}/health`)).json()).kill_switch).toMatchObject({
      active: true,
      reason: expect.stringContaining('drawdown'),
    });
  }, 90_000);

  it('a triggered kill switch reaches the worker as a stored alert event, Slack and the worker channel', async () => {
    const t0 = Date.now();
    expect(
      (
        await api('/v1/control/kill-switch', {
          action: 'trigger',
          reason: 'e2e test',
          operator: 'e2e',
        })
      ).status,
    ).toBe(200);

    const events = await waitFor(
      'an alert event from Alertmanager',
      async () => {
        const body = (await (
          await api('/v1/events?type=alert&stream=KillSwitchTriggered')
        ).json()) as { events: { stream: string; payload: Record<string, any> }[] };
        return body.events.length > 0 && body.events;
      },
      45_000,
    );
    const seconds = (Date.now() - t0) / 1000;
    console.log(`kill switch -> stored alert event: ${seconds.toFixed(1)} s`);
    expect(events[0]!.payload).toMatchObject({
      source: 'alertmanager',
      status: 'firing',
      severity: 'critical',
      summary: expect.stringContaining('Kill switch triggered'),
      receiver: 'critical',
      annotations: { runbook_url: 'docs/runbooks/KillSwitchTriggered.md' },
    });
    const metrics = await (
      await fetch(`${worker.url}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      })
    ).text();
    expect(metrics).toMatch(
      /ais_alerts_received_total\{alertname="KillSwitchTriggered",severity="critical",status="firing"\} [1-9]/,
    );

    // Alertmanager's own Slack receiver read the URL from the file entrypoint.sh wrote.
    const slackPost = await waitFor(
      'a Slack post about the kill switch',
      async () =>
        slack.received.find((r) => JSON.stringify(r.body).includes('KillSwitchTriggered')),
      15_000,
    );
    expect(slackPost!.body).toMatchObject({ channel: '#trading-alerts' });
    expect(JSON.stringify(slackPost!.body)).toContain('AIS Alert');
    expect(JSON.stringify(slackPost!.body)).toContain('KillSwitchTriggered');

    // The worker's fan-out: its JSON webhook channel got the alert too.
    const fanned = await waitFor(
      'the worker channel post about the kill switch',
      async () =>
        workerChannel.received.find((r) =>
          r.body?.alerts?.some((a: { name: string }) => a.name === 'KillSwitchTriggered'),
        ),
      15_000,
    );
    expect(
      fanned!.body.alerts.find((a: { name: string }) => a.name === 'KillSwitchTriggered'),
    ).toMatchObject({ name: 'KillSwitchTriggered', severity: 'critical', status: 'firing' });
  }, 60_000);

  it('Alertmanager inhibits the warning of an alert that is also critical, and routes a lone warning to the worker', async () => {
    // Alerts posted straight to Alertmanager's API (test-only names), as Prometheus would send them.
    const alert = (alertname: string, severity: string) => ({
      labels: { alertname, severity, instance: 'e2e' },
      annotations: { summary: `${alertname} ${severity}` },
    });
    const res = await fetch(`${alertmanager.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        alert('E2EBoth', 'critical'),
        alert('E2EBoth', 'warning'),
        alert('E2EWarningOnly', 'warning'),
      ]),
    });
    expect(res.status).toBe(200);
    const stored = async (stream: string) =>
      (
        (await (await api(`/v1/events?type=alert&stream=${stream}`)).json()) as {
          events: { payload: { severity: string; receiver: string } }[];
        }
      ).events;
    const lone = await waitFor(
      'the lone warning',
      async () => (await stored('E2EWarningOnly')).length > 0 && stored('E2EWarningOnly'),
    );
    expect(lone[0]!.payload).toMatchObject({ severity: 'warning', receiver: 'ais-worker' });
    await waitFor('the critical one', async () => (await stored('E2EBoth')).length > 0);
    // Several group intervals (1 s) later the warning still has not been delivered.
    await new Promise((r) => setTimeout(r, 3_000));
    expect((await stored('E2EBoth')).map((e) => [e.payload.severity, e.payload.receiver])).toEqual([
      ['critical', 'critical'],
    ]);
  }, 30_000);
  it('every query of every dashboard panel returns data through Prometheus', async () => {
    // Activity the panels show: a risk rejection (order_notional) on the paper worker ...
    await api('/v1/orders/check', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      quantity: 1_000,
      price: 60_000,
    });
    // ... and an order the exchange refuses (-2019, margin insufficient) on the Aster worker.
    const aster = workerApi(API_TOKEN);
    seedFlatMarket(fake, 'BTCUSDT', 60_000);
    fake.inject({ kind: 'reject', code: -2019 }, { method: 'POST', path: '/fapi/v1/order' });
    await aster(asterWorker, '/v1/control/trading-state', { state: 'ACTIVE', reason: 'e2e' });
    await aster(asterWorker, '/v1/signals', {
      agent_id: 'e2e',
      symbol: 'BTCUSDT',
      direction: 'LONG',
      confidence: 1,
      size_hint: 0.04,
    });
    const dashboards = buildDashboards();
    const exprs = Object.entries(dashboards).flatMap(([file, d]) =>
      (d.panels ?? []).flatMap((p) =>
        ((p as { title?: string; targets?: { expr: string }[] }).targets ?? []).map((t) => ({
          file,
          title: (p as { title?: string }).title,
          expr: t.expr,
        })),
      ),
    );
    expect(exprs.length).toBeGreaterThan(40);
    const empty: string[] = [];
    for (const { file, title, expr } of exprs) {
      const promql = expr.replaceAll('$__rate_interval', '1m');
      try {
        await waitFor(`data for ${promql}`, async () => (await query(promql)).length > 0, 20_000);
      } catch {
        empty.push(`${file} / ${title}: ${promql}`);
      }
    }
    expect(empty).toEqual([]);
  }, 300_000);

  it("a real backtest's summary pushed to the Pushgateway is queryable in Prometheus by run id", async () => {
    const summary = await runBacktest({
      days: 0.5,
      seed: 3,
      runId: 'e2e-backtest',
      symbols: ['BTCUSDT'],
    });
    await pushSummary(pushgateway.url, summary);
    const result = await waitFor('ais_backtest_trades in Prometheus', async () => {
      const r = await query('ais_backtest_trades{run_id="e2e-backtest"}');
      return r.length > 0 && r;
    });
    expect(result[0]!.metric).toMatchObject({ job: 'ais_backtest', run_id: 'e2e-backtest' });
    expect(Number(result[0]!.value[1])).toBe(summary.trades);
  }, 60_000);
});
