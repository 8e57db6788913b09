// Starts the real monitoring programs (Debian packages) on free loopback ports for tests, and
// stops them when the test process exits.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { requireBinary } from '../helpers/binaries.ts';

const children: ChildProcess[] = [];
process.once('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

export interface Program {
  url: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** Polls `check` every 50 ms until it returns a value or `timeoutMs` passes. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Spawns `bin` with `args(port)` and waits for GET /-/ready (all three programs serve it). */
async function start(
  bin: string,
  args: (port: number) => string[],
  cwd?: string,
): Promise<Program> {
  const port = await freePort();
  const child = spawn(bin, args(port), { stdio: ['ignore', 'pipe', 'pipe'], cwd });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += String(d)));
  child.stderr!.on('data', (d) => (output += String(d)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${bin} on ${url}`, async () => {
      if (child.exitCode !== null)
        throw new Error(`${bin} exited with ${child.exitCode}: ${output}`);
      return (await fetch(`${url}/-/ready`)).ok;
    });
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${e instanceof Error ? e.message : e}\n${output}`);
  }
  // A program that lost a race for its port exits at once, while /-/ready may have been answered
  // by whatever held the port: make sure the answer came from this child.
  await new Promise((r) => setTimeout(r, 200));
  if (child.exitCode !== null)
    throw new Error(`${bin} exited with ${child.exitCode} after start-up: ${output}`);
  return {
    url,
    port,
    child,
    output: () => output,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * prometheus-pushgateway without a persistence file: metrics live in memory only. Debian's build
 * defaults to /var/lib/prometheus/pushgateway.data, which would carry groups from one test (and
 * one run) to the next, so the flag is set empty explicitly.
 */
export const startPushgateway = () =>
  start(requireBinary('prometheus-pushgateway', 'pushgateway'), (port) => [
    `--web.listen-address=127.0.0.1:${port}`,
    '--persistence.file=',
  ]);

export const startPrometheus = (configFile: string, dataDir: string) =>
  start(requireBinary('prometheus'), (port) => [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${dataDir}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ]);

export const startAlertmanager = (configFile: string, dataDir: string) =>
  start(requireBinary('alertmanager', 'prometheus-alertmanager'), (port) => [
    `--config.file=${configFile}`,
    `--storage.path=${dataDir}`,
    `--web.listen-address=127.0.0.1:${port}`,
    // No gossip: a single test instance, and no port clash with other tests.
    '--cluster.listen-address=',
  ]);
