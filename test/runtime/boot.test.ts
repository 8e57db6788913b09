// Boots each runtime's start-up file as a real process and talks to it over loopback.
import { afterAll, describe, expect, it } from 'bun:test';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startFakeSqld } from '../fake-sqld/server.ts';
import { httpSmoke } from './smoke.ts';
import {
  RUNTIME_COMMANDS,
  ROOT,
  startWorker,
  tempDir,
  type Runtime,
  type WorkerProcess,
} from '../helpers/worker-process.ts';

const started: WorkerProcess[] = [];

/** Boots `runtime` against a fresh stand-in libSQL server and checks /health says the db is ok. */
async function bootOnRemoteDb(
  runtime: Runtime,
  env: Record<string, string>,
  authToken?: string,
): Promise<{ worker: WorkerProcess; requests: number }> {
  const sqld = startFakeSqld(join(tempDir(), 'remote.db'), { authToken });
  try {
    const worker = await startWorker(runtime, {
      AIS_DB_URL: sqld.url,
      ...(authToken ? { AIS_DB_AUTH_TOKEN: authToken } : {}),
      ...env,
    });
    started.push(worker);
    const health = await (await fetch(`${worker.url}/health`)).json();
    expect(health.components.db.status).toBe('ok');
    expect(await worker.stop('SIGTERM')).toBe(0);
    return { worker, requests: sqld.requests };
  } finally {
    await sqld.stop();
  }
}
afterAll(async () => {
  await Promise.all(started.map((w) => w.stop('SIGKILL')));
});

describe.each(['bun', 'deno', 'node'] as Runtime[])('the %s start-up file', (runtime) => {
  it('serves /health and /metrics, then stops cleanly on SIGTERM', async () => {
    const worker = await startWorker(runtime);
    started.push(worker);
    const health = await fetch(`${worker.url}/health`);
    expect(health.status).toBe(200);
    expect((await health.json()).components.db.status).toBe('ok');
    const metrics = await (await fetch(`${worker.url}/metrics`)).text();
    expect(metrics).toContain(
      `ais_build_info{version="0.1.0",runtime="${runtime}",instance="worker-1"} 1`,
    );
    expect(metrics).toContain('# TYPE ais_nav gauge');
    expect(worker.logs.find((l) => l.message === 'Worker listening')).toMatchObject({
      level: 'INFO',
      logger: 'ais.main',
    });
    expect(await worker.stop('SIGTERM')).toBe(0);
    expect(worker.logs.some((l) => l.message === 'Worker stopped')).toBe(true);
  });

  it('passes the HTTP smoke suite (console, OpenAPI, auth, risk check, signal, loop, JSON errors)', async () => {
    const token = 'smoke-test-token-0123456789';
    const worker = await startWorker(runtime, {
      AIS_API_TOKEN: token,
      AIS_LOOP_INTERVAL_MS: '100',
    });
    started.push(worker);
    await httpSmoke(worker.url, token);
    expect(worker.logs.some((l) => l.message === 'Cycle completed')).toBe(true);
    expect(await worker.stop('SIGTERM')).toBe(0);
  });

  it('stores its events in a remote libSQL server given by URL and token', async () => {
    const { requests } = await bootOnRemoteDb(runtime, {}, 'remote-db-token');
    expect(requests).toBeGreaterThan(0);
  });

  it('refuses a bad config with one line naming the variable', () => {
    const [cmd, ...args] = RUNTIME_COMMANDS[runtime];
    const result = spawnSync(cmd!, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, AIS_PORT: 'eighty' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toEqual([
      'config: AIS_PORT expected a whole number from 0 to 65535 (got "eighty")',
    ]);
  });

  it('refuses a decision trail it cannot open with one line naming the path', () => {
    const dir = tempDir();
    const [cmd, ...args] = RUNTIME_COMMANDS[runtime];
    const result = spawnSync(cmd!, args, {
      cwd: ROOT,
      // The trail's path is a directory: the writer thread cannot open it as a file.
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        AIS_PORT: '0',
        AIS_DB_URL: `file:${join(dir, 'ais.db')}`,
        AIS_DECISION_LOG_PATH: dir,
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^cannot open the decision trail ${dir}: EISDIR`)),
    ]);
  });
});

describe('the Deno start-up file under edge-host limits (no FFI, no file writes)', () => {
  it('runs on a remote libSQL URL with the decision trail in the store', async () => {
    const { worker } = await bootOnRemoteDb('deno-edge', { AIS_DECISION_LOG_PATH: 'store:' });
    expect(worker.logs.find((l) => l.message === 'Worker listening')).toMatchObject({
      extra_json: { runtime: 'deno' },
    });
  });

  it('cannot open a local file database there (the native engine needs FFI)', async () => {
    await expect(
      startWorker('deno-edge', { AIS_DECISION_LOG_PATH: 'store:' }, { timeoutMs: 20_000 }),
    ).rejects.toThrow();
  });
});
