// Start-up on Node.js: `node --experimental-websocket --import tsx src/main/node.ts` (Node 20 runs TypeScript through the tsx loader, in this one process; the flag gives Node 20 the WebSocket client of the user-data stream).
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { serveFirst } from './serve-first.ts';

const { worker, server } = await serveFirst<ReturnType<typeof serve>>(
  'node',
  process.env,
  (code) => process.exit(code),
  (config, fetch) =>
    new Promise((resolve, reject) => {
      const server = serve({ fetch, port: config.port, hostname: config.host }, (info) =>
        resolve({ port: (info as AddressInfo).port, server }),
      );
      server.once('error', reject);
    }),
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    worker.stopping();
    server.close(async () => {
      await worker.close();
      process.exit(0);
    });
    // close() drops the connections idle now; an event stream ends within a second of stopping()
    // and would then sit idle until the keep-alive timeout (5 s): drop those too as they come.
    const idle = setInterval(
      () => (server as { closeIdleConnections?: () => void }).closeIdleConnections?.(),
      250,
    );
    idle.unref();
  });
}
// logrotate renamed the decision trail (or an operator did): write to a new file at its path.
process.on('SIGHUP', () => void worker.reopenLogs());
