// Start-up on Deno: `deno run --node-modules-dir=manual -A src/main/deno.ts`.
import { getHeapStatistics } from 'node:v8';
import { serveFirst } from './serve-first.ts';

// The few Deno APIs used here, typed locally so that tsc needs no Deno type package.
declare const Deno: {
  env: { toObject(): Record<string, string> };
  exit(code: number): never;
  serve(
    opts: { port: number; hostname: string; onListen?: (addr: { port: number }) => void },
    handler: (req: Request) => Response | Promise<Response>,
  ): { shutdown(): Promise<void> };
  addSignalListener(signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP', fn: () => void): void;
};

type DenoServer = ReturnType<typeof Deno.serve>;

const { worker, server } = await serveFirst<DenoServer>(
  'deno',
  Deno.env.toObject(),
  (code) => Deno.exit(code),
  async (config, fetch) => {
    // Deno.serve throws (AddrInUse) when it cannot bind; onListen runs once it is bound.
    let bound: (port: number) => void = () => undefined;
    const port = new Promise<number>((resolve) => (bound = resolve));
    const server = Deno.serve(
      { port: config.port, hostname: config.host, onListen: (addr) => bound(addr.port) },
      fetch,
    );
    return { port: await port, server };
  },
);

// V8's heap limit as this process was started: DENO_V8_FLAGS (or --v8-flags) sets it on an edge
// host (docs/deploy-edge.md, "Memory"); this line shows whether the host passed the flags through.
worker.logger.info(
  { heap_limit_mb: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20) },
  'V8 heap limit',
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  Deno.addSignalListener(signal, async () => {
    worker.stopping();
    await server.shutdown();
    await worker.close();
    Deno.exit(0);
  });
}
// logrotate renamed the decision trail (or an operator did): write to a new file at its path.
Deno.addSignalListener('SIGHUP', () => void worker.reopenLogs());
