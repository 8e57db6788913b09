// The account in real time (issue 11): a worker process against the fake Aster server and its
// user-data stream. A fill pushed twice is booked once; a margin call sets REDUCING within a
// second; while the stream is down the worker says so and, once it is back, the book equals the
// exchange's again (a trade made during the gap is caught up); a liquidation is booked and alerted
// within a second; an expired listen key is replaced.
import { expect, it } from 'bun:test';
import { type FakeAster, startFakeAster } from '../fake-aster/server.ts';
import { seedFlatMarket, stoppedAfterAll, tradeBySignal, workerApi } from '../helpers/drill.ts';
import { waitFor } from '../monitoring/processes.ts';
import { asterEnv, startWorker, tempDir } from '../helpers/worker-process.ts';

const TOKEN = 'user-stream-token-0123456789';
let fake: FakeAster | undefined;
const workers = stoppedAfterAll(() => fake);
const api = workerApi(TOKEN);

/** Polls until `fn` holds (waitFor); the milliseconds it took. */
async function within(
  limitMs: number,
  what: string,
  fn: () => boolean | Promise<boolean>,
): Promise<number> {
  const t0 = performance.now();
  await waitFor(what, async () => fn(), limitMs);
  return performance.now() - t0;
}

it('books stream fills once, reacts to a margin call and a liquidation within a second, and survives a dropped stream', async () => {
  fake = await startFakeAster({ balanceUsd: 100_000, symbols: ['BTCUSDT', 'ETHUSDT'] });
  seedFlatMarket(fake, 'BTCUSDT', 60_000);
  seedFlatMarket(fake, 'ETHUSDT', 3_000);
  const w = await startWorker(
    'bun',
    asterEnv(fake, {
      AIS_API_TOKEN: TOKEN,
      AIS_SYMBOLS: 'BTCUSDT,ETHUSDT',
      AIS_LOOP_INTERVAL_MS: '100',
      AIS_MAX_POSITION_WEIGHT: '0.5',
      AIS_MAX_NET_EXPOSURE: '1',
      AIS_MAX_ORDER_NOTIONAL_USD: '50000',
    }),
    { dir: tempDir('ais-user-stream-') },
  );
  workers.push(w);
  const f = fake;
  await within(5_000, 'the stream connected', () => f.stream.connections === 1);
  expect(await (await fetch(`${w.url}/metrics`)).text()).toContain(
    'ais_exchange_stream_connected{exchange="aster"} 1',
  );
  await api(w, '/v1/control/trading-state', { state: 'ACTIVE', reason: 'drill' });
  const bookQty = async (symbol: string) =>
    ((await api(w, '/v1/portfolio')).positions as { symbol: string; quantity: number }[]).find(
      (p) => p.symbol === symbol,
    )?.quantity ?? 0;

  // Every fill event pushed twice: booked once (the REST answer of the order books it a third time: no).
  f.stream.duplicateFills = true;
  await tradeBySignal(api, f, w, 'BTCUSDT', 'LONG');
  await within(2_000, 'the BTC fill booked', async () => (await bookQty('BTCUSDT')) !== 0);
  await Bun.sleep(300);
  expect(await bookQty('BTCUSDT')).toBeCloseTo(f.positionOf('BTCUSDT'), 9);
  const btcTrades = f
    .trades()
    .filter((t) => t.symbol === 'BTCUSDT')
    .map((t) => String(t.id));
  const fills = (await api(w, '/v1/events?type=fill&limit=100')).events as {
    payload: { trade_id: string };
  }[];
  for (const id of btcTrades)
    expect(fills.filter((e) => e.payload.trade_id === id)).toHaveLength(1);
  f.stream.duplicateFills = false;
  await tradeBySignal(api, f, w, 'ETHUSDT', 'SHORT');

  // A margin call: REDUCING within a second, and a critical alert.
  f.stream.marginCall('ETHUSDT');
  expect(
    await within(
      1_000,
      'REDUCING',
      async () => (await api(w, '/health')).trading_state === 'REDUCING',
    ),
  ).toBeLessThan(1_000);
  const marginAlerts = (await api(w, '/v1/events?type=alert&stream=MarginCall'))
    .events as unknown[];
  expect(marginAlerts.length).toBeGreaterThan(0);

  // The stream drops and stays down: /health says so; a trade made meanwhile is caught up on reconnect.
  f.stream.refuseConnections = true;
  f.stream.drop();
  await within(3_000, 'the worker sees the stream down', async () =>
    (await api(w, '/health')).components.exchange.detail.includes('user-data stream down'),
  );
  f.addForeignTrade({ symbol: 'BTCUSDT', side: 'BUY', qty: 0.05, price: 60_000 });
  f.stream.refuseConnections = false;
  await within(40_000, 'reconnected', () => f.stream.connections === 1);
  await within(
    5_000,
    'the gap caught up',
    async () => Math.abs((await bookQty('BTCUSDT')) - f.positionOf('BTCUSDT')) < 1e-9,
  );
  expect(await (await fetch(`${w.url}/metrics`)).text()).toMatch(
    /ais_exchange_stream_reconnects_total [1-9]/,
  );
  // The alert is stored right after the fill is booked (it may land just after the book is read).
  await within(
    2_000,
    'ForeignTrade alert',
    async () =>
      ((await api(w, '/v1/events?type=alert&stream=ForeignTrade')).events as unknown[]).length > 0,
  );

  // A liquidation: booked (the book follows the exchange) and alerted within a second.
  expect(f.liquidate('ETHUSDT')).toBeDefined();
  const took = await within(
    1_000,
    'the liquidation booked',
    async () => (await bookQty('ETHUSDT')) === 0,
  );
  expect(took).toBeLessThan(1_000);
  await within(
    1_000,
    'PositionLiquidated alert',
    async () =>
      ((await api(w, '/v1/events?type=alert&stream=PositionLiquidated')).events as unknown[])
        .length > 0,
  );

  // The listen key expires: a new key and connection.
  const oldKey = f.stream.listenKey;
  f.stream.expireListenKey();
  await within(
    5_000,
    'a new listen key connected',
    () =>
      f.stream.connections === 1 &&
      f.stream.listenKey !== undefined &&
      f.stream.listenKey !== oldKey,
  );
}, 90_000);
