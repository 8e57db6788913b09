// Start-up on Bun (the default runtime): `bun src/main/bun.ts`.
import { serveFirst } from './serve-first.ts';

const { worker, server } = await serveFirst(
  'bun',
  process.env,
  (code) => process.exit(code),
  async (config, fetch) => {
    const server = Bun.serve({ port: config.port, hostname: config.host, fetch });
    return { port: server.port ?? config.port, server };
  },
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    worker.stopping();
    await server.stop();
    await worker.close();
    process.exit(0);
  });
}
// logrotate renamed the decision trail (or an operator did): write to a new file at its path.
process.on('SIGHUP', () => void worker.reopenLogs());
