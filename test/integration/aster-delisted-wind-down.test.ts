// A delisted symbol's wind-down on a real worker against the fake Aster server: while the symbol
// settles the exchange still takes closing orders, so the risk check lets a closing order through
// (exchange_rules) and nothing else; once CLOSE, nothing; ais_symbol_trading says which symbols
// trade; AIS_DELISTED_POLICY=close closes the position at once, `hold` (the default) keeps it.
import { expect, it } from 'bun:test';
import { type FakeAster, startFakeAster } from '../fake-aster/server.ts';
import { stoppedAfterAll } from '../helpers/drill.ts';
import { pollUntil, workerApi } from '../helpers/worker-api.ts';
import { asterEnv, startWorker } from '../helpers/worker-process.ts';

const TOKEN = 'aster-wind-down-token-0123456789';
let fake: FakeAster;
const workers = stoppedAfterAll(() => fake);

async function setup(env: Record<string, string> = {}) {
  fake = await startFakeAster({ balanceUsd: 50_000, symbols: ['BTCUSDT', 'ETHUSDT'] });
  fake.setMark('BTCUSDT', 60_000);
  fake.setMark('ETHUSDT', 3_000);
  fake.setPosition('BTCUSDT', 0.01, 60_000);
  fake.setPosition('ETHUSDT', 0.1, 3_000);
  fake.setSymbolRules('BTCUSDT', { status: 'SETTLING' });
  const w = await startWorker(
    'bun',
    asterEnv(fake, {
      AIS_API_TOKEN: TOKEN,
      AIS_SYMBOLS: 'BTCUSDT,ETHUSDT',
      AIS_LOOP_ENABLED: 'false',
      AIS_SYMBOL_RULES_REFRESH_S: '1',
      ...env,
    }),
  );
  workers.push(w);
  const { get, post } = workerApi(w.url, TOKEN);
  const until = <T>(read: () => Promise<T> | T, ok: (v: T) => boolean) => pollUntil(read, ok, 80);
  const metrics = async () => (await fetch(`${w.url}/metrics`)).text();
  const check = (side: string, quantity: number) =>
    post('/v1/orders/check', { symbol: 'BTCUSDT', side, quantity, price: 60_000 });
  await post('/v1/control/trading-state', { state: 'ACTIVE', reason: 'drill' });
  return { w, get, post, until, metrics, check };
}

const quantityOf = (p: { positions: { symbol: string; quantity: number }[] }, s: string) =>
  p.positions.find((x) => x.symbol === s)?.quantity ?? 0;

it('hold: a settling symbol takes a closing order and nothing else; CLOSE takes none; the gauge says which trade', async () => {
  const h = await setup();
  const closing = await h.check('SELL', 0.01);
  expect(closing).toMatchObject({ approved: true });
  expect(closing.checks.find((c: { guard: string }) => c.guard === 'exchange_rules').passed).toBe(
    true,
  );
  // More than the position would open a short: refused (the symbol's hold and the exchange's rule).
  const opening = await h.check('SELL', 0.02);
  expect(opening.approved).toBe(false);
  expect(opening.checks.find((c: { guard: string }) => c.guard === 'exchange_rules').passed).toBe(
    false,
  );
  const gauge = await h.metrics();
  expect(gauge).toMatch(/^ais_symbol_trading\{symbol="BTCUSDT"\} 0$/m);
  expect(gauge).toMatch(/^ais_symbol_trading\{symbol="ETHUSDT"\} 1$/m);
  // `hold` closes nothing: the position stays, as on the exchange.
  await Bun.sleep(1_500);
  expect(fake.positionOf('BTCUSDT')).toBe(0.01);
  expect(quantityOf(await h.get('/v1/portfolio'), 'BTCUSDT')).toBe(0.01);
  // Once the symbol is CLOSE the exchange takes no order at all, closing ones included.
  fake.setSymbolRules('BTCUSDT', { status: 'CLOSE' });
  const closed = await h.until(
    () => h.check('SELL', 0.01),
    (v) => v.approved === false,
  );
  expect(closed.checks.find((c: { guard: string }) => c.guard === 'exchange_rules').passed).toBe(
    false,
  );
}, 60_000);

it('close: the settling symbol is closed at once, reduce-only; the other symbol keeps its position and trades', async () => {
  const h = await setup({ AIS_DELISTED_POLICY: 'close' });
  expect(
    await h.until(
      () => fake.positionOf('BTCUSDT'),
      (q) => q === 0,
    ),
  ).toBe(0);
  const flat = await h.until(
    () => h.get('/v1/portfolio'),
    (p) => quantityOf(p, 'BTCUSDT') === 0,
  );
  expect(quantityOf(flat, 'BTCUSDT')).toBe(0);
  expect(quantityOf(flat, 'ETHUSDT')).toBe(0.1);
  expect(fake.positionOf('ETHUSDT')).toBe(0.1);
  const closes = fake
    .orders()
    .filter((o) => o.symbol === 'BTCUSDT' && o.type === 'MARKET' && o.status === 'FILLED');
  expect(closes).toHaveLength(1);
  expect(closes[0]).toMatchObject({ side: 'SELL', reduceOnly: true });
  // The hold stays (the symbol is still not TRADING); reconciliation finds the books equal.
  const run = await h.post('/v1/reconciliation/run');
  expect(run.status).toBe('passed');
  expect(
    await h.post('/v1/orders/check', {
      symbol: 'ETHUSDT',
      side: 'BUY',
      quantity: 0.01,
      price: 3_000,
    }),
  ).toMatchObject({ approved: true });
}, 60_000);
