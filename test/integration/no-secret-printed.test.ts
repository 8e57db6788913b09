// Every secret-bearing variable gets a distinct secret; the worker, the backtest and the stack
// script then run as a user would run them, and no byte of what they print (stdout, stderr, logs,
// /health, /v1/resilience, the console, error answers) may contain any of them.
import { afterAll, describe, expect, it } from 'bun:test';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startReceiver } from '../adapters/alerts/loopback-receiver.ts';
import { startFakeSqld } from '../fake-sqld/server.ts';
import { requireBinary } from '../helpers/binaries.ts';
import { ROOT, startWorker, tempDir } from '../helpers/worker-process.ts';
import { freePort, waitFor } from '../monitoring/processes.ts';

/** One distinct secret per secret-bearing variable (or part of a URL); each must never be printed. */
const S = {
  apiToken: 'SECRET-api-token-7f3a91c2',
  metricsToken: 'SECRET-metrics-token-4be0d7',
  dbAuthToken: 'SECRET-db-auth-token-91ac',
  dbUrlToken: 'SECRET-db-url-token-c7d2e8',
  dbUrlPassword: 'SECRET-db-url-password-55e1',
  asterKey: 'SECRET-aster-api-key-a1b2c3',
  asterSecret: 'SECRET-aster-api-secret-d4e5f6',
  // ASTER_SIGNER_PRIVATE_KEY (V3): a valid secp256k1 key, printed neither with nor without 0x.
  signerKey: '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318',
  hmac: 'SECRET-risk-hmac-secret-0123456789abcdef',
  hmacPrevious: 'SECRET-risk-hmac-previous-0123456789abcdef',
  slackPath: 'T00SECRET/B00SECRET/SECRETslackpath0123',
  webhookPassword: 'SECRET-webhook-password-8d9e',
  webhookToken: 'SECRET-webhook-query-token-2f1a',
  pushgatewayPassword: 'SECRET-pgw-password-6c5b',
  workerUrlPassword: 'SECRET-worker-url-password-3a4b',
};
const SECRETS = [...Object.values(S), S.signerKey.slice(2)];
/** Fails naming the secret and where it showed up. */
function expectNoSecret(where: string, text: string) {
  const leaked = SECRETS.filter((s) => text.includes(s));
  expect({ where, leaked }).toEqual({ where, leaked: [] });
}

const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f();
});

describe('no secret in anything printed', () => {
  it('the worker: logs, /health, /v1/resilience, the console, error answers, shutdown', async () => {
    const sqld = startFakeSqld(join(tempDir(), 'remote.db'), { authToken: S.dbUrlToken });
    cleanup.push(() => sqld.stop());
    const webhook = await startReceiver({ status: 500 });
    cleanup.push(() => webhook.close());
    const hook = new URL(webhook.url);
    const env = {
      AIS_API_TOKEN: S.apiToken,
      AIS_METRICS_TOKEN: S.metricsToken,
      // The URL's token is the one the server checks (it overrides AIS_DB_AUTH_TOKEN).
      AIS_DB_URL: `http://aisdb:${S.dbUrlPassword}@${new URL(sqld.url).host}/?authToken=${S.dbUrlToken}`,
      AIS_DB_AUTH_TOKEN: S.dbAuthToken,
      AIS_RISK_HMAC_SECRET: S.hmac,
      AIS_RISK_HMAC_SECRET_PREVIOUS: S.hmacPrevious,
      AIS_SLACK_WEBHOOK_URL: `https://hooks.slack.com/services/${S.slackPath}`,
      AIS_ALERT_WEBHOOK_URL: `http://bot:${S.webhookPassword}@${hook.host}/hook?token=${S.webhookToken}`,
      AIS_PUSHGATEWAY_URL: `http://ci-bot:${S.pushgatewayPassword}@127.0.0.1:9/`,
      AIS_SLACK_MIN_SEVERITY: 'info',
      AIS_ALERT_WEBHOOK_MIN_SEVERITY: 'info',
      AIS_EXCHANGE_TIMEOUT_MS: '1000',
    };
    // V1 keys and the V3 private key cannot be set together: one worker each.
    const schemes: Record<string, string>[] = [
      { ASTER_API_KEY: S.asterKey, ASTER_API_SECRET: S.asterSecret },
      {
        ASTER_USER: `0x${'1'.repeat(40)}`,
        ASTER_SIGNER: '0x2c7536E3605D9C16a7a3D7b1898e529396a65c23',
        ASTER_SIGNER_PRIVATE_KEY: S.signerKey,
      },
    ];
    for (const aster of schemes) {
      const worker = await startWorker('bun', { ...env, ...aster });
      cleanup.push(() => worker.stop('SIGKILL'));
      const auth = { authorization: `Bearer ${S.apiToken}`, 'content-type': 'application/json' };
      const bodies: string[] = [];
      const get = async (path: string, headers: Record<string, string> = auth) =>
        bodies.push(`${path}: ${await (await fetch(`${worker.url}${path}`, { headers })).text()}`);
      const alert = {
        status: 'firing',
        labels: { alertname: 'LeakCheck', severity: 'critical' },
        annotations: { summary: 'leak check' },
        startsAt: '2026-01-02T03:04:05Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus:9090/graph',
        fingerprint: 'f1',
      };
      const delivery = {
        version: '4',
        groupKey: '{}:{alertname="LeakCheck"}',
        truncatedAlerts: 0,
        status: 'firing',
        receiver: 'ais-worker',
        groupLabels: {},
        commonLabels: {},
        commonAnnotations: {},
        externalURL: 'http://alertmanager:9093',
        alerts: [alert],
      };
      bodies.push(
        await (
          await fetch(`${worker.url}/webhooks/alertmanager`, {
            method: 'POST',
            headers: auth,
            body: JSON.stringify(delivery),
          })
        ).text(),
      );
      // The webhook channel fails (500) and the Slack host is unreachable here: both log their failure.
      await waitFor('the webhook channel tried', async () => webhook.received.length > 0);
      await Bun.sleep(1_500);
      sqld.down = true; // the database fails: its errors reach /health and the logs
      await get('/health');
      await get('/v1/events?limit=5');
      sqld.down = false;
      for (const path of [
        '/health',
        '/v1/resilience',
        '/',
        '/console/snapshot',
        '/v1/portfolio',
        '/v1/events?type=alert&limit=5',
        '/openapi.json',
        '/v1/nowhere',
      ])
        await get(path);
      await get('/metrics', { authorization: `Bearer ${S.metricsToken}` });
      bodies.push(
        await (
          await fetch(`${worker.url}/v1/orders/check`, {
            method: 'POST',
            headers: auth,
            body: '{"symbol": 1',
          })
        ).text(),
      );
      expect(await worker.stop('SIGTERM')).toBe(0);
      expect(worker.logs.some((l) => l['message'] === 'Worker listening')).toBe(true);
      expectNoSecret('worker stdout', worker.logs.map((l) => JSON.stringify(l)).join('\n'));
      expectNoSecret('worker stderr', worker.stderr());
      expectNoSecret('worker answers', bodies.join('\n'));
    }
  }, 90_000);

  it('the worker refusing a config: the one line shows no URL credentials', () => {
    const r = spawnSync(join(ROOT, 'node_modules/.bin/bun'), ['src/main/bun.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        AIS_DB_URL: `postgres://u:${S.dbUrlPassword}@db/?authToken=${S.dbUrlToken}`,
        AIS_API_TOKEN: S.apiToken,
      },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('AIS_DB_URL');
    expectNoSecret('config error', r.stdout + r.stderr);
  });

  it('the backtest: "pushed to …" and a failed push', async () => {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200).end());
    }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    cleanup.push(() => new Promise((r) => server.close(r)));
    const port = (server.address() as AddressInfo).port;
    const closed = await freePort();
    for (const target of [port, closed]) {
      // Not spawnSync: the stand-in Pushgateway answers from this process's event loop.
      const child = spawn(
        join(ROOT, 'node_modules/.bin/bun'),
        ['src/main/backtest.ts', '--days', '1'],
        {
          cwd: ROOT,
          env: {
            PATH: process.env.PATH,
            AIS_PUSHGATEWAY_URL: `http://ci-bot:${S.pushgatewayPassword}@127.0.0.1:${target}`,
            AIS_RISK_HMAC_SECRET: S.hmac,
          },
        },
      );
      let out = '';
      child.stdout.on('data', (d) => (out += String(d)));
      child.stderr.on('data', (d) => (out += String(d)));
      await new Promise((r) => child.once('exit', r));
      expect(out).toContain(
        target === port ? `pushed to http://127.0.0.1:${port}` : 'push to the Pushgateway failed',
      );
      expectNoSecret(`backtest pushing to ${target}`, out);
    }
  }, 60_000);

  it('the stack script: its lines and the programs it runs', async () => {
    requireBinary('prometheus');
    requireBinary('alertmanager', 'prometheus-alertmanager');
    requireBinary('prometheus-pushgateway', 'pushgateway');
    const ports = {
      prometheus: await freePort(),
      alertmanager: await freePort(),
      pushgateway: await freePort(),
    };
    const stack: ChildProcess = spawn(process.execPath, ['scripts/stack.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        AIS_WORKER_URL: `http://scrape:${S.workerUrlPassword}@127.0.0.1:9`,
        AIS_STACK_DIR: tempDir('ais-stack-'),
        AIS_STACK_PROMETHEUS_PORT: String(ports.prometheus),
        AIS_STACK_ALERTMANAGER_PORT: String(ports.alertmanager),
        AIS_STACK_PUSHGATEWAY_PORT: String(ports.pushgateway),
        AIS_API_TOKEN: S.apiToken,
        AIS_METRICS_TOKEN: S.metricsToken,
        AIS_SLACK_WEBHOOK_URL: `https://hooks.slack.com/services/${S.slackPath}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanup.push(() => stack.exitCode === null && stack.kill('SIGKILL'));
    let out = '';
    stack.stdout!.on('data', (d) => (out += String(d)));
    stack.stderr!.on('data', (d) => (out += String(d)));
    await waitFor('stack ready', async () => out.includes('stack ready'), 45_000);
    const exited = new Promise((r) => stack.once('exit', r));
    stack.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(out).toContain('scraping http://127.0.0.1:9');
    expectNoSecret('stack output', out);
  }, 60_000);
});
