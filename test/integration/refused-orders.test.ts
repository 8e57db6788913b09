// The answers an operator meets in the first week, through the real executor and coordinator
// (buildTrading) over the guarded Aster adapter against the fake Aster server: each refusal is a
// typed OrderRefusal with its exchange code, counted by code, written to the decision trail with
// its reason; the same order is not sent again until something it depends on changed; a
// reduce-only order refused because the position is gone refreshes the book at once; a 403 from
// the web application firewall pauses the request budget like a 429.
import { afterEach, describe, expect, it } from 'bun:test';
import { createAsterExchange } from '../../src/adapters/exchange/aster/aster-exchange.ts';
import { guardExchange } from '../../src/adapters/exchange/guarded.ts';
import { applyFill } from '../../src/domain/portfolio/portfolio.ts';
import { isOrderRefusal, type OrderRefusal } from '../../src/domain/trading/refusals.ts';
import type { Exchange } from '../../src/ports/exchange.ts';
import { buildTrading } from '../../src/main/build-trading.ts';
import { type FakeAster, startFakeAster } from '../fake-aster/server.ts';
import { createTestDeps } from '../helpers/test-deps.ts';

const running: FakeAster[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((f) => f.stop()));
});
const POST_ORDER = { method: 'POST', path: '/fapi/v1/order' };

async function setup() {
  const fake = await startFakeAster({ balanceUsd: 100_000, symbols: ['BTCUSDT'] });
  running.push(fake);
  fake.setMark('BTCUSDT', 60_000);
  const t = await createTestDeps({ AIS_INITIAL_BALANCE_USD: '100000', AIS_SYMBOLS: 'BTCUSDT' });
  const aster = createAsterExchange({
    baseUrl: fake.url,
    apiKey: fake.apiKey,
    apiSecret: fake.apiSecret,
    nowMs: Date.now,
    retry: { attempts: 1 },
  });
  const { config, store, metrics, logger, decisionLog, risk } = { ...t.deps, ...t };
  const wrapExchange = (e: Exchange) =>
    guardExchange(e, t.deps.resilience, { metrics, maxWaitMs: 0 });
  const trading = buildTrading({
    config,
    risk,
    store,
    metrics,
    logger,
    decisionLog,
    nowMs: Date.now,
    overrides: { exchange: aster, wrapExchange, agents: [] },
  });
  let seq = 0;
  const order = (side: 'BUY' | 'SELL', quantity: number, price = 60_000, reduceOnly = false) => {
    const orderId = `ais-refused-${++seq}`;
    return trading.orders.executor.execute({
      orderId,
      riskToken: risk.tokens.sign(orderId, Date.now()),
      symbol: 'BTCUSDT',
      side,
      quantity,
      price,
      reduceOnly,
    });
  };
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => {
        throw new Error('expected a refusal');
      },
      (e: unknown) => {
        if (!isOrderRefusal(e)) throw e;
        return e as OrderRefusal;
      },
    );
  const posts = () =>
    fake.requests.filter((r) => r.method === 'POST' && r.path === '/fapi/v1/order').length;
  const metricsText = () => t.metrics.render();
  return { fake, trading, order, refusal, posts, metricsText, risk, store, decisions: t.decisions };
}

describe('refused orders', () => {
  it('margin insufficient (-2019): a typed refusal, counted by code; the same order is held until the price moves beyond the band', async () => {
    const h = await setup();
    h.fake.inject({ kind: 'reject', code: -2019 }, POST_ORDER);
    const first = await h.refusal(h.order('BUY', 1));
    expect(first).toMatchObject({
      held: false,
      refusal: { reason: 'margin_insufficient', code: '-2019' },
    });
    expect(first.refusal.message).toContain('Margin is insufficient');
    const again = await h.refusal(h.order('BUY', 0.9, 60_100)); // same symbol, side and intent; price inside the 1 % band
    expect(again).toMatchObject({
      held: true,
      refusal: { reason: 'margin_insufficient', code: '-2019' },
    });
    expect(again.until).toContain('price beyond 1 %');
    expect(h.posts()).toBe(1);
    const text = await h.metricsText();
    expect(text).toContain(
      'ais_exchange_refusals_total{exchange="aster",operation="new_order",code="-2019"} 1',
    );
    expect(text).toContain('ais_orders_held_total{reason="margin_insufficient"} 1');
    // Another order (the other side) is not held; the price beyond the band releases this one.
    expect((await h.order('SELL', 0.01)).fills).toHaveLength(1);
    expect((await h.order('BUY', 0.01, 60_700)).fills).toHaveLength(1);
    // The two sent after the hold (protective stop orders the worker keeps after a fill are not counted).
    expect(h.fake.orders().filter((x) => x.type === 'MARKET')).toHaveLength(2);
  });

  it('notional too small (-4164) and precision (-1111) are typed with their codes', async () => {
    const h = await setup();
    h.fake.inject({ kind: 'reject', code: -4164 }, POST_ORDER);
    expect(await h.refusal(h.order('BUY', 0.00001))).toMatchObject({
      held: false,
      refusal: { reason: 'notional_too_small', code: '-4164' },
    });
    h.fake.inject({ kind: 'reject', code: -1111 }, POST_ORDER);
    expect(await h.refusal(h.order('SELL', 0.123456789))).toMatchObject({
      held: false,
      refusal: { reason: 'precision', code: '-1111' },
    });
  });

  it('reduce-only refused because the position is gone (-2022): the book takes the exchange’s position at once', async () => {
    const h = await setup();
    // The book believes it holds 0.1 BTCUSDT; the exchange is flat (closed by hand on the web UI, say).
    h.risk.portfolio.update((p) =>
      applyFill(p, { symbol: 'BTCUSDT', side: 'BUY', quantity: 0.1, price: 60_000 }),
    );
    const refused = await h.refusal(h.order('SELL', 0.1, 60_000, true));
    expect(refused).toMatchObject({
      held: false,
      refusal: { reason: 'position_gone', code: '-2022' },
    });
    expect(h.risk.portfolio.get().positions.BTCUSDT).toBeUndefined();
  });

  it('writes the refusal with its reason and code to the decision trail (order_refused and the cycle line)', async () => {
    const h = await setup();
    h.fake.inject({ kind: 'reject', code: -2019 }, POST_ORDER);
    h.trading.coordinator.submitSignal({
      agentId: 'ext',
      symbol: 'BTCUSDT',
      direction: 'LONG',
      confidence: 1,
      sizeHint: 0.02,
      rationale: 'test',
      timeMs: Date.now(),
    });
    await h.trading.coordinator.runCycle();
    const refused = h.decisions.find((d) => d.kind === 'order_refused');
    expect(refused).toMatchObject({
      symbol: 'BTCUSDT',
      side: 'BUY',
      reason: 'margin_insufficient',
      code: '-2019',
      held: false,
    });
    const cycle = h.decisions.find((d) => d.kind === 'cycle_decision');
    expect(cycle?.execution).toEqual({
      refused: 'margin_insufficient',
      code: '-2019',
      held: false,
    });
    // The next cycle plans the same order: held, not sent, and the trail says what it waits for.
    h.trading.coordinator.submitSignal({
      agentId: 'ext',
      symbol: 'BTCUSDT',
      direction: 'LONG',
      confidence: 1,
      sizeHint: 0.02,
      rationale: 'test',
      timeMs: Date.now(),
    });
    await h.trading.coordinator.runCycle();
    expect(h.decisions.filter((d) => d.kind === 'order_refused').at(-1)).toMatchObject({
      held: true,
      until: expect.stringContaining('a change of position'),
    });
    expect(h.posts()).toBe(1);
  });

  it('books a commission paid in BNB as 0 USD against cash and records its asset and amount in the fill event', async () => {
    const h = await setup();
    h.fake.setFees({ asset: 'BNB', rate: 0.0001 });
    await h.order('BUY', 0.1);
    const [fill] = await h.store.query({ type: 'fill' });
    expect(fill?.payload).toMatchObject({ fee_usd: 0, fee_asset: 'BNB', fee_amount: 0.6 });
    // The USDT wallet paid nothing, and neither did the book's cash: both still agree.
    expect(h.risk.portfolio.get().cashUsd).toBe(100_000);
    expect((await h.trading.exchange.balance()).walletUsd).toBe(100_000);
  });

  it('a 403 from the web application firewall pauses the request budget like a 429 and is counted as http_403', async () => {
    const h = await setup();
    h.fake.inject({ kind: 'waf', retryAfterS: 30 }, { path: '/fapi/v2/balance' });
    expect(await h.trading.exchange.balance().catch((e) => e)).toMatchObject({
      kind: 'rate_limited',
      details: { status: 403 },
    });
    expect(await h.trading.exchange.positions().catch((e) => e)).toMatchObject({
      kind: 'throttled',
    });
    expect(h.fake.requests.filter((r) => r.path === '/fapi/v2/positionRisk')).toHaveLength(0);
    expect(await h.metricsText()).toContain(
      'ais_exchange_refusals_total{exchange="aster",operation="balance",code="http_403"} 1',
    );
  });
});
