// `npm run stack` (scripts/stack.ts): the locally installed Prometheus, Alertmanager and Pushgateway
// with the repository's configs against a running worker, as on a VPS without Docker.
import { afterAll, expect, it } from 'bun:test';
import { type ChildProcess, spawn } from 'node:child_process';
import { ROOT, startWorker, tempDir, type WorkerProcess } from '../helpers/worker-process.ts';
import { requireBinary } from '../helpers/binaries.ts';
import { freePort, waitFor } from './processes.ts';

let worker: WorkerProcess;
let stack: ChildProcess;
afterAll(async () => {
  if (stack && stack.exitCode === null) stack.kill('SIGKILL');
  await worker?.stop();
});

it('starts the three programs on the repo configs, scraping the worker and loading the rules; Ctrl-C stops them', async () => {
  requireBinary('prometheus');
  requireBinary('alertmanager', 'prometheus-alertmanager');
  requireBinary('prometheus-pushgateway', 'pushgateway');
  const TOKEN = 'stack-token-0123456789abcdef';
  worker = await startWorker('bun', {
    AIS_API_TOKEN: TOKEN,
    AIS_METRICS_TOKEN: 'stack-metrics-token-0123456789',
  });
  const ports = {
    prometheus: await freePort(),
    alertmanager: await freePort(),
    pushgateway: await freePort(),
  };
  stack = spawn(process.execPath, ['scripts/stack.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      AIS_WORKER_URL: worker.url,
      AIS_STACK_DIR: tempDir('ais-stack-'),
      AIS_STACK_PROMETHEUS_PORT: String(ports.prometheus),
      AIS_STACK_ALERTMANAGER_PORT: String(ports.alertmanager),
      AIS_STACK_PUSHGATEWAY_PORT: String(ports.pushgateway),
      AIS_API_TOKEN: TOKEN,
      AIS_METRICS_TOKEN: 'stack-metrics-token-0123456789',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  stack.stdout!.on('data', (d) => (out += String(d)));
  stack.stderr!.on('data', (d) => (out += String(d)));
  await waitFor('stack ready', async () => out.includes('stack ready'), 45_000);

  const prom = `http://127.0.0.1:${ports.prometheus}`;
  const targets = await waitFor(
    'the worker target up',
    async () => {
      const body = (await (await fetch(`${prom}/api/v1/targets`)).json()) as {
        data: { activeTargets: { labels: { job: string }; health: string }[] };
      };
      const t = body.data.activeTargets;
      return t.find((x) => x.labels.job === 'ais-worker')?.health === 'up' && t;
    },
    30_000,
  );
  expect(targets.map((t) => t.labels.job).sort()).toEqual([
    'ais-worker',
    'alertmanager',
    'prometheus',
    'pushgateway',
  ]);
  const rules = (await (await fetch(`${prom}/api/v1/rules`)).json()) as {
    data: { groups: { rules: { name: string }[] }[] };
  };
  expect(rules.data.groups.flatMap((g) => g.rules.map((r) => r.name))).toEqual(
    expect.arrayContaining(['HighDrawdown', 'KillSwitchTriggered', 'WorkerDown']),
  );
  const ams = (await (await fetch(`${prom}/api/v1/alertmanagers`)).json()) as {
    data: { activeAlertmanagers: { url: string }[] };
  };
  expect(ams.data.activeAlertmanagers[0]!.url).toContain(`:${ports.alertmanager}`);

  const exited = new Promise((r) => stack.once('exit', r));
  stack.kill('SIGINT');
  expect(await exited).toBe(0);
  expect(
    await fetch(`${prom}/-/ready`).then(
      () => 'up',
      () => 'down',
    ),
  ).toBe('down');
}, 90_000);
