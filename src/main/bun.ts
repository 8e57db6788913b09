// Start-up on Bun (the default runtime): `bun src/main/bun.ts`.
import { buildWorkerOrExit } from './build-deps.ts';

const worker = await buildWorkerOrExit('bun', process.env, (code) => process.exit(code));
const server = Bun.serve({
  port: worker.config.port,
  hostname: worker.config.host,
  fetch: worker.fetch,
});
worker.listening(server.port ?? worker.config.port);

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
