// Start-up on Node.js: `tsx src/main/node.ts` (Node 20 runs TypeScript through tsx).
import { serve } from '@hono/node-server';
import { buildWorkerOrExit } from './build-deps.ts';

const worker = await buildWorkerOrExit('node', process.env, (code) => process.exit(code));
const server = serve({ fetch: worker.fetch, port: worker.config.port, hostname: worker.config.host }, (info) =>
  worker.listening(info.port),
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close(async () => {
      await worker.close();
      process.exit(0);
    });
  });
}
