// The account stays protected when the worker is blind (issue 10), with the real worker process
// against the fake Aster server: every position carries a STOP_MARKET Close-All order on the
// exchange; the kill switch cancels orders that could add exposure and keeps the stops; after a
// SIGKILL the stop still closes the position when the mark crosses it; a restarted worker keeps its
// stops without duplicates; a flatten closes every position.
import { expect, it } from 'bun:test';
import { createAsterExchange } from '../../src/adapters/exchange/aster/aster-exchange.ts';
import { type FakeAster, startFakeAster } from '../fake-aster/server.ts';
import { seedFlatMarket, stoppedAfterAll, tradeBySignal, workerApi } from '../helpers/drill.ts';
import { waitFor } from '../monitoring/processes.ts';
import { asterEnv, startWorker, tempDir } from '../helpers/worker-process.ts';

const TOKEN = 'protection-token-0123456789';
let fake: FakeAster | undefined;
const workers = stoppedAfterAll(() => fake);

const api = workerApi(TOKEN);

const PRICES = { BTCUSDT: 60_000, ETHUSDT: 3_000 } as const;
const openStops = () =>
  fake!.orders().filter((o) => o.type === 'STOP_MARKET' && o.status === 'NEW');

it('keeps stops on the exchange through a kill switch, a SIGKILL and a restart, and flattens on demand', async () => {
  fake = await startFakeAster({ balanceUsd: 100_000, symbols: Object.keys(PRICES) });
  for (const [symbol, price] of Object.entries(PRICES)) seedFlatMarket(fake, symbol, price);
  const dir = tempDir('ais-protection-');
  const env = asterEnv(fake, {
    AIS_API_TOKEN: TOKEN,
    AIS_SYMBOLS: 'BTCUSDT,ETHUSDT',
    AIS_LOOP_INTERVAL_MS: '100',
    AIS_MAX_POSITION_WEIGHT: '0.5',
    AIS_MAX_NET_EXPOSURE: '1',
    AIS_MAX_ORDER_NOTIONAL_USD: '50000',
    AIS_STOP_LOSS: '0.03',
  });
  let w = await startWorker('bun', env, { dir });
  workers.push(w);
  await api(w, '/v1/control/trading-state', { state: 'ACTIVE', reason: 'drill' });
  await tradeBySignal(api, fake, w, 'BTCUSDT', 'LONG');
  await tradeBySignal(api, fake, w, 'ETHUSDT', 'SHORT');
  // Each position gets its stop right after the fill: a SELL below the long, a BUY above the short.
  await waitFor('two protective stops', async () => openStops().length === 2, 10_000);
  const stops = openStops();
  const btcStop = stops.find((o) => o.symbol === 'BTCUSDT')!;
  expect(btcStop).toMatchObject({ side: 'SELL', closePosition: true, workingType: 'MARK_PRICE' });
  expect(btcStop.stopPrice).toBeCloseTo(60_000 * 0.97, 0);
  expect(stops.find((o) => o.symbol === 'ETHUSDT')).toMatchObject({
    side: 'BUY',
    closePosition: true,
  });
  expect(await (await fetch(`${w.url}/metrics`)).text()).toContain(
    'ais_protective_stop_price{symbol="BTCUSDT"}',
  );

  // Someone leaves a LIMIT BUY resting on the account; the kill switch cancels it and keeps the stops.
  const other = createAsterExchange({
    baseUrl: fake.url,
    apiKey: fake.apiKey,
    apiSecret: fake.apiSecret,
    nowMs: Date.now,
  });
  await other.placeOrder({
    clientOrderId: 'web-limit-1',
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'LIMIT',
    quantity: 0.1,
    price: 55_000,
  });
  const trigger = await api(w, '/v1/control/kill-switch', { action: 'trigger', reason: 'drill' });
  expect(trigger.orders.cancelled).toEqual([
    { symbol: 'BTCUSDT', client_order_id: 'web-limit-1', type: 'LIMIT', side: 'BUY' },
  ]);
  expect(
    trigger.orders.kept.map((o: { client_order_id: string }) => o.client_order_id).sort(),
  ).toEqual(stops.map((s) => s.clientOrderId).sort());
  expect(fake.orders().find((o) => o.clientOrderId === 'web-limit-1')?.status).toBe('CANCELED');
  expect(openStops().length).toBe(2);
  expect((await api(w, '/health')).kill_switch).toMatchObject({
    active: true,
    effective_on_exchange: true,
    pending_cancels: 0,
  });
  const stored = (await api(w, '/v1/events?type=kill_switch_orders&limit=5')) as {
    events: { payload: { cancelled: unknown[] } }[];
  };
  expect(stored.events.at(-1)?.payload.cancelled).toHaveLength(1);

  // A restarted worker finds its stops and keeps them: no duplicates, same orders.
  expect(await w.stop('SIGKILL')).not.toBe(0);
  w = await startWorker('bun', env, { dir });
  workers.push(w);
  await Bun.sleep(1_500); // start-up reconciliation, then several cycles (each syncs the stops on a timer)
  expect(
    openStops()
      .map((o) => o.clientOrderId)
      .sort(),
  ).toEqual(stops.map((s) => s.clientOrderId).sort());

  // Blind: the worker is killed; the mark falls through the stop; the exchange closes the long.
  expect(await w.stop('SIGKILL')).not.toBe(0);
  fake.setMark('BTCUSDT', btcStop.stopPrice - 100);
  expect(fake.positionOf('BTCUSDT')).toBe(0);
  expect(fake.orders().find((o) => o.clientOrderId === btcStop.clientOrderId)?.status).toBe(
    'FILLED',
  );

  // Back up: a flatten closes what is left (the ETH short) with a reduce-only market order.
  w = await startWorker('bun', env, { dir });
  workers.push(w);
  const flat = await api(w, '/v1/control/kill-switch', {
    action: 'trigger',
    reason: 'flatten drill',
    flatten: true,
  });
  expect(flat.flatten.failed).toEqual([]);
  expect(flat.flatten.closed).toMatchObject([{ symbol: 'ETHUSDT', side: 'BUY', status: 'FILLED' }]);
  expect(fake.positionOf('ETHUSDT')).toBe(0);
  expect(fake.positionOf('BTCUSDT')).toBe(0);
  const closing = fake.orders().find((o) => o.clientOrderId === flat.flatten.closed[0].order_id);
  expect(closing).toMatchObject({ type: 'MARKET', reduceOnly: true });
  // Flat: the stops go too (the ETH stop is cancelled once the position is gone).
  await waitFor('no stop left', async () => openStops().length === 0, 10_000);
}, 90_000);
