// `npm run stack`: Prometheus, Alertmanager and the Pushgateway from the locally installed binaries
// (Debian: prometheus, prometheus-alertmanager, prometheus-pushgateway), with the repository's
// configs and rules, against a worker already running on this host: the monitoring stack for a VPS
// without Docker (`npm run stack:docker` is the compose version).
//
//   AIS_WORKER_URL           the worker (default http://127.0.0.1:8000)
//   AIS_STACK_DIR            configs, secrets and data (default ./data/stack)
//   AIS_STACK_HOST           address the three programs listen on (default 127.0.0.1)
//   AIS_STACK_PROMETHEUS_PORT, AIS_STACK_ALERTMANAGER_PORT, AIS_STACK_PUSHGATEWAY_PORT (9090, 9093, 9091)
//   AIS_METRICS_TOKEN, AIS_API_TOKEN, AIS_SLACK_WEBHOOK_URL   as for the worker (written to files)
//
// Prints one line per program when it is ready, then `stack ready`; Ctrl-C stops all three. If one
// of them exits, the others are stopped and the script exits 1.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { REDACTED, redactText } from '../src/domain/redaction/redact.ts';
import { parseCli } from '../src/main/cli-args.ts';

const USAGE = `usage: npm run stack

Starts Prometheus, Alertmanager and the Pushgateway (Debian's packages) with this repository's
configs and rules against a worker on this host; Ctrl-C stops all three. Set by the environment:

  AIS_WORKER_URL      the worker (default http://127.0.0.1:8000)
  AIS_STACK_DIR       configs, secrets and data (default ./data/stack)
  AIS_STACK_HOST      address the programs listen on (default 127.0.0.1)
  AIS_STACK_PROMETHEUS_PORT, AIS_STACK_ALERTMANAGER_PORT, AIS_STACK_PUSHGATEWAY_PORT
                      their ports (9090, 9093, 9091)
  AIS_METRICS_TOKEN, AIS_API_TOKEN, AIS_SLACK_WEBHOOK_URL   as for the worker

  -h, --help          this text`;

const cli = parseCli({ name: 'stack', usage: USAGE, options: {} }, process.argv.slice(2));
if (!cli.ok) process.exit(cli.exitCode);

const ROOT = resolve(import.meta.dir, '..');
const MONITORING = join(ROOT, 'monitoring');
const env = process.env;

/** What this script prints: no secret value it was given, no URL's credentials (the programs' own output included). */
const SECRETS = [env.AIS_METRICS_TOKEN, env.AIS_API_TOKEN, env.AIS_SLACK_WEBHOOK_URL].filter(
  (v): v is string => !!v && v.length >= 4,
);
const shown = (text: string) =>
  redactText(SECRETS.reduce((t, secret) => t.split(secret).join(REDACTED), text));

function fail(message: string): never {
  console.error(shown(`stack: ${message}`));
  process.exit(1);
}

function port(name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    fail(`${name} must be a port from 1 to 65535 (got "${raw}")`);
  return n;
}

function binary(pkg: string, ...names: string[]): string {
  for (const name of names) {
    const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
    if (found) return found;
  }
  return fail(
    `${names[0]} not found: install it with "apt-get install -y ${pkg}" (Debian), or use npm run stack:docker`,
  );
}

const workerUrl = env.AIS_WORKER_URL ?? 'http://127.0.0.1:8000';
if (!URL.canParse(workerUrl) || !/^https?:$/.test(new URL(workerUrl).protocol))
  fail(`AIS_WORKER_URL must be an http(s) URL (got "${workerUrl}")`);
const host = env.AIS_STACK_HOST ?? '127.0.0.1';
const ports = {
  prometheus: port('AIS_STACK_PROMETHEUS_PORT', 9090),
  alertmanager: port('AIS_STACK_ALERTMANAGER_PORT', 9093),
  pushgateway: port('AIS_STACK_PUSHGATEWAY_PORT', 9091),
};
const dir = resolve(env.AIS_STACK_DIR ?? join(ROOT, 'data/stack'));
const bins = {
  prometheus: binary('prometheus', 'prometheus'),
  alertmanager: binary('prometheus-alertmanager', 'alertmanager', 'prometheus-alertmanager'),
  pushgateway: binary('prometheus-pushgateway', 'prometheus-pushgateway', 'pushgateway'),
};

// Configs: the committed ones, with the compose host names replaced by this host's addresses, and
// the secrets written to files by the same entrypoint.sh the containers use.
mkdirSync(dir, { recursive: true });
cpSync(join(MONITORING, 'rules'), join(dir, 'rules'), { recursive: true });
execFileSync('sh', [join(MONITORING, 'entrypoint.sh'), 'true'], {
  env: {
    ...env,
    AIS_SECRETS_DIR: join(dir, 'secrets'),
    AM_CONFIG_TEMPLATE: join(MONITORING, 'alertmanager.yml'),
    AIS_WORKER_URL: workerUrl.replace(/\/+$/, ''),
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const at = (p: number) => `${host === '0.0.0.0' ? '127.0.0.1' : host}:${p}`;
const targets: Record<string, string> = {
  'worker:8000': new URL(workerUrl).host,
  'pushgateway:9091': at(ports.pushgateway),
  'alertmanager:9093': at(ports.alertmanager),
  'localhost:9090': at(ports.prometheus),
};
const prom = parse(readFileSync(join(MONITORING, 'prometheus.yml'), 'utf8'));
for (const am of prom.alerting.alertmanagers)
  for (const sc of am.static_configs) sc.targets = sc.targets.map((t: string) => targets[t] ?? t);
for (const job of prom.scrape_configs) {
  for (const sc of job.static_configs) sc.targets = sc.targets.map((t: string) => targets[t] ?? t);
  if (new URL(workerUrl).protocol === 'https:' && job.job_name === 'ais-worker')
    job.scheme = 'https';
}
writeFileSync(join(dir, 'prometheus.yml'), stringify(prom));

const programs: { name: keyof typeof ports; args: string[] }[] = [
  {
    name: 'pushgateway',
    args: [
      `--web.listen-address=${host}:${ports.pushgateway}`,
      `--persistence.file=${join(dir, 'pushgateway.data')}`,
    ],
  },
  {
    name: 'alertmanager',
    args: [
      `--config.file=${join(dir, 'secrets/alertmanager.yml')}`,
      `--storage.path=${join(dir, 'alertmanager')}`,
      `--web.listen-address=${host}:${ports.alertmanager}`,
      '--cluster.listen-address=',
    ],
  },
  {
    name: 'prometheus',
    args: [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'prometheus')}`,
      `--web.listen-address=${host}:${ports.prometheus}`,
    ],
  },
];

const children: ChildProcess[] = [];
let stopping = false;
function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 1_000).unref();
  Promise.all(
    children.map((c) => (c.exitCode !== null ? undefined : new Promise((r) => c.once('exit', r)))),
  ).then(() => process.exit(code));
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

for (const p of programs) {
  const child = spawn(bins[p.name], p.args, { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let output = '';
  child.stderr!.on('data', (d) => (output = (output + String(d)).slice(-4_000)));
  child.on('exit', (code) => {
    if (stopping) return;
    console.error(shown(`stack: ${p.name} exited with ${code}:\n${output}`));
    stopAll(1);
  });
  const url = `http://${at(ports[p.name])}`;
  const deadline = Date.now() + 30_000;
  while (
    !(await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (stopping) break;
    if (Date.now() > deadline) {
      console.error(shown(`stack: ${p.name} not ready on ${url} after 30 s:\n${output}`));
      stopAll(1);
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!stopping) console.log(`stack: ${p.name} ready on ${url}`);
}
if (!stopping)
  console.log(
    shown(`stack ready: scraping ${workerUrl}; configs and data in ${dir}; Ctrl-C stops it`),
  );
