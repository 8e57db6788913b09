// Runs the Cloudflare Workers entry (src/main/workers.ts) in workerd, as Cloudflare would: bundled
// by wrangler (`npm run build:workers`: the .wasm core as a compiled module, wrangler.toml's rules
// and aliases), loaded by Miniflare with the compatibility settings of wrangler.toml, on a loopback
// port. No network: no Request.cf fetch, no metrics to Cloudflare.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Miniflare } from 'miniflare';
import { ROOT, tempDir } from './worker-process.ts';

let bundled: string | undefined;

/** Bundles the entry once per test process with wrangler; answers the output directory. */
export function bundleWorkers(): string {
  if (bundled) return bundled;
  const dir = tempDir('ais-workers-bundle-');
  const result = spawnSync(
    join(ROOT, 'node_modules/.bin/wrangler'),
    ['deploy', '--dry-run', '--outdir', dir],
    {
      cwd: ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true' },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  if (result.status !== 0) throw new Error(`wrangler bundle failed: ${result.stderr}`);
  bundled = dir;
  return dir;
}

/** wrangler.toml's compatibility settings, so that the test runs what a deploy would. */
function compatibility(): { compatibilityDate: string; compatibilityFlags: string[] } {
  const toml = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8');
  const date = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
  const flags = /^compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(toml)?.[1];
  if (!date || flags === undefined) throw new Error('wrangler.toml lacks compatibility settings');
  return {
    compatibilityDate: date,
    compatibilityFlags: [...flags.matchAll(/"([^"]+)"/g)].map((m) => m[1]!),
  };
}

/** wrangler.toml's [vars], the settings a deploy carries. */
function tomlVars(): Record<string, string> {
  const vars: Record<string, string> = {};
  let inVars = false;
  for (const line of readFileSync(join(ROOT, 'wrangler.toml'), 'utf8').split('\n')) {
    if (line.startsWith('[')) inVars = line.trim() === '[vars]';
    const m = inVars && /^([A-Z0-9_]+)\s*=\s*"([^"]*)"/.exec(line);
    if (m) vars[m[1]!] = m[2]!;
  }
  if (Object.keys(vars).length === 0) throw new Error('wrangler.toml lacks [vars]');
  return vars;
}

export interface WorkerdInstance {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Every line the worker wrote to its console, parsed where it is JSON. */
  logs: Record<string, unknown>[];
  /** The workerd process (for its resident memory). */
  pid(): number | undefined;
  /**
   * The worker's V8 heap in bytes (Runtime.getHeapUsage through workerd's inspector): what
   * Cloudflare's 128 MB per isolate counts, without the runtime and Miniflare's own workers.
   * `gc`: collect garbage first, so that `used` is what is alive.
   */
  heapBytes(opts?: { gc?: boolean }): Promise<{ used: number; total: number }>;
  stop(): Promise<void>;
}

/** Starts the bundled entry in workerd with wrangler.toml's vars plus `bindings` (secrets). */
export async function startWorkerd(bindings: Record<string, string>): Promise<WorkerdInstance> {
  const dir = bundleWorkers();
  const inspectorPort = await freePort();
  const logs: Record<string, unknown>[] = [];
  const readLines = (stream: Readable) => {
    let rest = '';
    stream.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        try {
          logs.push(JSON.parse(line));
        } catch {
          logs.push({ text: line });
        }
      }
    });
  };
  const wasm = readdirSync(dir).filter((f) => f.endsWith('.wasm'));
  // wrangler.toml's Text rule: the console's script, styles and uPlot, emitted beside the bundle
  // under a content-hash prefix and imported by it as strings.
  const texts = readdirSync(dir).filter((f) => /^[0-9a-f]{40}-.+\.(js|css)$/.test(f));
  const mf = new Miniflare({
    ...compatibility(),
    modulesRoot: dir,
    // Listed, not discovered: Miniflare's discovery would chase the optional dynamic imports of
    // hono-openapi's schema converters (effect, sury, …), which the bundle never loads.
    modules: [
      { type: 'ESModule', path: join(dir, 'workers.js') },
      ...wasm.map((f) => ({ type: 'CompiledWasm' as const, path: join(dir, f) })),
      ...texts.map((f) => ({ type: 'Text' as const, path: join(dir, f) })),
    ],
    bindings: { ...tomlVars(), ...bindings },
    cf: false,
    name: 'ais',
    inspectorPort,
    host: '127.0.0.1',
    port: 0,
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      readLines(stdout);
      readLines(stderr);
    },
  });
  const url = (await mf.ready).origin;
  return {
    url,
    logs,
    pid: () => workerdPid(),
    heapBytes: (opts) => heapUsage(inspectorPort, opts?.gc ?? false),
    stop: () => mf.dispose(),
  };
}

/** The workerd child of this process (Miniflare spawns one per instance; tests run one at a time). */
function workerdPid(): number | undefined {
  const ps = spawnSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], {
    encoding: 'utf8',
  });
  const line = ps.stdout.split('\n').find((l) => /workerd/.test(l));
  return line ? Number(line.trim().split(/\s+/)[0]) : undefined;
}

/** A port free on loopback at the time of the call. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Runtime.getHeapUsage of the worker named `ais` (Miniflare's target core:user:ais). */
async function heapUsage(port: number, gc: boolean): Promise<{ used: number; total: number }> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as {
    title: string;
    webSocketDebuggerUrl: string;
  }[];
  const target = targets.find((t) => t.title.endsWith('core:user:ais'));
  if (!target) throw new Error(`no inspector target for the worker: ${JSON.stringify(targets)}`);
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  try {
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    const answers = new Map<number, (data: string) => void>();
    ws.onmessage = (m) => {
      const data = String(m.data);
      answers.get((JSON.parse(data) as { id?: number }).id ?? -1)?.(data);
    };
    const call = (id: number, method: string, params?: object) =>
      new Promise<string>((resolve) => {
        answers.set(id, resolve);
        ws.send(JSON.stringify({ id, method, params }));
      });
    // workerd leaves HeapProfiler.collectGarbage unanswered; a heap snapshot collects first.
    if (gc) {
      await call(1, 'HeapProfiler.enable');
      await call(2, 'HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    }
    const { result } = JSON.parse(await call(3, 'Runtime.getHeapUsage')) as {
      result: { usedSize: number; totalSize: number };
    };
    return { used: result.usedSize, total: result.totalSize };
  } finally {
    ws.close();
  }
}
