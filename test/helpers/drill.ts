// Driving a worker process in a drill against the fake Aster server: its control API with a
// bearer token, flat candles (the built-in agents then see no signal of their own), and one trade
// led by an external signal.
import { afterAll, expect } from 'bun:test';
import type { FakeAster } from '../fake-aster/server.ts';
import type { WorkerProcess } from './worker-process.ts';

/**
 * The worker processes a test file starts (push each one), SIGKILLed after its last test, and then
 * the fake server `fake()` returns, if one was started.
 */
export function stoppedAfterAll(fake: () => FakeAster | undefined): WorkerProcess[] {
  const workers: WorkerProcess[] = [];
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await fake()?.stop();
  });
  return workers;
}

/** GET (no body) or POST (JSON body) on the worker's API with the token; the JSON answer. */
export const workerApi = (token: string) => (w: WorkerProcess, path: string, body?: unknown) =>
  fetch(`${w.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).then((r) => r.json());

/** The mark and 100 flat one-minute candles at `price` up to now. */
export function seedFlatMarket(fake: FakeAster, symbol: string, price: number) {
  fake.setMark(symbol, price);
  const t0 = Date.now() - 100 * 60_000;
  fake.seedCandles(
    symbol,
    Array.from({ length: 100 }, (_, i) => ({
      openTime: t0 + i * 60_000,
      open: price,
      high: price,
      low: price,
      close: price,
      volume: 1,
      closeTime: t0 + (i + 1) * 60_000 - 1,
    })),
  );
}

/**
 * Sends one external signal (confidence 1, size hint 0.2) and waits until the fake holds one more
 * order from it (protective stops, which follow each fill, are not counted).
 */
export async function tradeBySignal(
  api: ReturnType<typeof workerApi>,
  fake: FakeAster,
  w: WorkerProcess,
  symbol: string,
  direction: 'LONG' | 'SHORT',
) {
  const traded = () => fake.orders().filter((o) => o.type !== 'STOP_MARKET').length;
  const before = traded();
  await api(w, '/v1/signals', {
    agent_id: 'drill',
    symbol,
    direction,
    confidence: 1,
    size_hint: 0.2,
  });
  for (let i = 0; i < 100 && traded() === before; i++) await Bun.sleep(50);
  expect(traded()).toBe(before + 1);
}
