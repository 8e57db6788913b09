// A console left open must not hold a stopping worker: its server-sent event stream ends when the
// worker begins to stop (Worker.stopping), so SIGTERM still stops the process within seconds on
// every runtime (Bun's server.stop, Node's server.close and Deno's shutdown wait for open answers).
import { describe, expect, test } from 'bun:test';
import { startWorker } from '../helpers/worker-process.ts';

describe('SIGTERM with a console open', () => {
  for (const runtime of ['bun', 'node', 'deno'] as const)
    test(`stops the ${runtime} worker within 5 s and ends the event stream`, async () => {
      const worker = await startWorker(runtime, { AIS_API_TOKEN: 'shutdown-token-0123456789' });
      const res = await fetch(`${worker.url}/console/stream`);
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const reader = res.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      expect(first).toContain('event: snapshot');
      const started = performance.now();
      const code = await worker.stop('SIGTERM');
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(code).toBe(0);
      // The stream ended rather than being cut: the reader reaches its end.
      for (let r = await reader.read(); !r.done; r = await reader.read());
    }, 60_000);
});
