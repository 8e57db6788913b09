// Start-up on Deno: `deno run --node-modules-dir=manual -A src/main/deno.ts`.
import { buildWorkerOrExit } from './build-deps.ts';

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

const worker = await buildWorkerOrExit('deno', Deno.env.toObject(), (code) => Deno.exit(code));
const server = Deno.serve(
  {
    port: worker.config.port,
    hostname: worker.config.host,
    onListen: ({ port }) => worker.listening(port),
  },
  worker.fetch,
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
