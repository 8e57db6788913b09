// Boots a start-up file as a real process on a free port and waits for its "Worker listening" line.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dir, '../..');
const BIN = join(ROOT, 'node_modules/.bin');

export type Runtime = 'bun' | 'deno' | 'node' | 'deno-edge';

/**
 * What `npm start`, the systemd unit and the Dockerfile set for Bun: the heap budget JSC sizes its
 * collections by (docs/performance.md, "Memory"); test/deploy checks that all four agree.
 */
export const BUN_ENV = { BUN_JSC_forceRAMSize: '268435456' };

/**
 * What docs/deploy-edge.md tells an operator to set for Deno on an edge host (`deno deploy env add
 * DENO_V8_FLAGS …`; locally the same as `--v8-flags=…`): V8's old generation capped at 64 MB and
 * its young generation's semi-spaces at 1 MB, so that the process stays under 128 MB resident
 * (measured: test/bench/edge.bench.ts). The Deno CLI reads DENO_V8_FLAGS at start.
 */
export const DENO_EDGE_ENV = { DENO_V8_FLAGS: '--max-old-space-size=64,--max-semi-space-size=1' };

/** The command line that runs each runtime's start-up file (the same as the npm scripts). */
export const RUNTIME_COMMANDS: Record<Runtime, string[]> = {
  bun: [join(BIN, 'bun'), 'src/main/bun.ts'],
  deno: [join(BIN, 'deno'), 'run', '--node-modules-dir=manual', '-A', 'src/main/deno.ts'],
  // One process (tsx's loader inside node), not the tsx CLI, which forwards only SIGINT and SIGTERM to its child.
  node: ['node', '--experimental-websocket', '--import', 'tsx', 'src/main/node.ts'],
  // An edge host's limits: no native addons (no --allow-ffi) and no file writes (no --allow-write).
  'deno-edge': [
    join(BIN, 'deno'),
    'run',
    '--node-modules-dir=manual',
    '--allow-net',
    '--allow-env',
    '--allow-read',
    '--allow-sys',
    'src/main/deno.ts',
  ],
};

export interface WorkerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  dir: string;
  /** Every stdout line so far, parsed where it is JSON. */
  logs: Record<string, unknown>[];
  stderr: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const tempDirs: string[] = [];
// Temporary directories live until the test process exits (workers may still be writing to them).
process.once('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'ais-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export async function startWorker(
  runtime: Runtime,
  /** Added to the defaults below; a variable given as `undefined` is left out altogether. */
  env: Record<string, string | undefined> = {},
  /** runtimeArgs: given to the runtime before the entry script (e.g. bun's --cpu-prof-md). */
  opts: { dir?: string; timeoutMs?: number; runtimeArgs?: string[] } = {},
): Promise<WorkerProcess> {
  const dir = opts.dir ?? tempDir();
  const [cmd, ...args] = RUNTIME_COMMANDS[runtime];
  const entry = args.length - 1;
  const merged: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AIS_PORT: '0',
    AIS_HOST: '127.0.0.1',
    AIS_DB_URL: `file:${join(dir, 'ais.db')}`,
    AIS_DECISION_LOG_PATH: join(dir, 'decisions.jsonl'),
    // Tests read /metrics right after what they check: every scrape a fresh render.
    AIS_METRICS_CACHE_MS: '0',
    ...(runtime === 'bun' ? BUN_ENV : {}),
    ...(runtime === 'deno-edge' ? DENO_EDGE_ENV : {}),
    ...env,
  };
  const childEnv = Object.fromEntries(
    Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined),
  );
  const child = spawn(
    cmd!,
    [...args.slice(0, entry), ...(opts.runtimeArgs ?? []), ...args.slice(entry)],
    {
      cwd: ROOT,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  let buffered = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${runtime} worker did not start: ${stderr}`)),
      opts.timeoutMs ?? 30_000,
    );
    child.on('exit', (code) =>
      reject(new Error(`${runtime} worker exited with ${code}: ${stderr}`)),
    );
    child.stdout!.on('data', (d) => {
      buffered += String(d);
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        try {
          const entry = JSON.parse(line);
          logs.push(entry);
          if (entry.message === 'Worker listening') {
            clearTimeout(timer);
            resolvePort(entry.extra_json.port);
          }
        } catch {
          logs.push({ raw: line });
        }
      }
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    dir,
    logs,
    stderr: () => stderr,
    stop(signal = 'SIGTERM') {
      return new Promise((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done(child.exitCode);
        // 'close', not 'exit': it comes after the child's stdout has been read to the end, so its
        // last log lines ("Worker stopped") are in `logs` when this resolves.
        child.once('close', (code) => done(code));
        child.kill(signal);
      });
    },
  };
}

/** The environment of a worker trading "Aster" through a fake Aster server (test/fake-aster), V1 (HMAC) credentials. */
export function asterEnv(
  fake: FakeEndpoints & { apiKey: string; apiSecret: string },
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...asterBase(fake),
    ASTER_API_KEY: fake.apiKey,
    ASTER_API_SECRET: fake.apiSecret,
    ...extra,
  };
}

/** The same with only the V3 (API wallet) variables: the fake's registered wallet and chain id. */
export function asterV3Env(
  fake: FakeEndpoints & {
    wallet: { user: string; signer: string; privateKey: string; chainId: number };
  },
  extra: Record<string, string> = {},
): Record<string, string> {
  const w = fake.wallet;
  return {
    ...asterBase(fake),
    ASTER_USER: w.user,
    ASTER_SIGNER: w.signer,
    ASTER_SIGNER_PRIVATE_KEY: w.privateKey,
    ASTER_CHAIN_ID: String(w.chainId),
    ...extra,
  };
}

/** The fake's REST URL and its user-data stream's WebSocket URL (never the real exchange's). */
type FakeEndpoints = { url: string; stream: { url: string } };
const asterBase = (fake: FakeEndpoints) => ({
  AIS_EXCHANGE: 'aster',
  ASTER_BASE_URL: fake.url,
  ASTER_WS_URL: fake.stream.url,
  AIS_RISK_HMAC_SECRET: 'fake-aster-risk-secret-0123456789abcdef',
  // These workers trade the fake through the built-in agents, which a live exchange runs only when named.
  AIS_AGENTS: 'momentum,mean_reversion,volatility_breakout',
});
