// A real HTTP server on 127.0.0.1 that records what alert channels post to it (test helper).
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
}

export interface LoopbackReceiver {
  url: string;
  received: Received[];
  /** The most requests that were open at the same time. */
  maxConcurrent(): number;
  /** Resolves once `n` requests have arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** `status` and `delayMs` shape the answer, to play a failing or slow receiver. */
export async function startReceiver(
  opts: { status?: number; delayMs?: number } = {},
): Promise<LoopbackReceiver> {
  const received: Received[] = [];
  const waiters: (() => void)[] = [];
  let open = 0;
  let maxOpen = 0;
  const server = createServer((req, res) => {
    maxOpen = Math.max(maxOpen, ++open);
    res.on('close', () => open--);
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        headers: req.headers,
        body: raw ? JSON.parse(raw) : undefined,
      });
      for (const w of waiters.splice(0)) w();
      setTimeout(() => {
        res.writeHead(opts.status ?? 200, { 'Content-Type': 'text/plain' });
        res.end(opts.status && opts.status >= 400 ? 'no_service' : 'ok');
      }, opts.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    maxConcurrent: () => maxOpen,
    async waitFor(n, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > deadline)
          throw new Error(`expected ${n} requests, got ${received.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return received;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
