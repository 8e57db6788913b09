// GET /v1/orders/open and POST /v1/control/flatten on the paper exchange, in process: the open
// orders as the exchange lists them (a protective stop marked as such), a flatten of one symbol
// that leaves the others, and every operator request stored as a control_action event.
import { beforeAll, describe, expect, test } from 'bun:test';
import { createApp } from '../../src/http/app.ts';
import { buildTrading } from '../../src/main/build-trading.ts';
import { tradingPort } from '../../src/main/trading-port.ts';
import { EventType } from '../../src/ports/event-store.ts';
import { auth, createTestDeps } from '../helpers/test-deps.ts';

let t: Awaited<ReturnType<typeof createTestDeps>>;
let trading: ReturnType<typeof buildTrading>;
let app: ReturnType<typeof createApp>;
const json = { ...auth(), 'content-type': 'application/json' };

beforeAll(async () => {
  t = await createTestDeps();
  trading = buildTrading({
    config: t.deps.config,
    risk: t.risk,
    store: t.store,
    metrics: t.metrics,
    logger: t.deps.logger,
    decisionLog: t.decisionLog,
    nowMs: Date.now,
  });
  t.deps.trading = tradingPort(trading);
  t.deps.protection = trading.protection;
  app = createApp(t.deps);
});

const [A, B] = ['BTCUSDT', 'ETHUSDT'];
const market = (symbol: string, side: 'BUY' | 'SELL', quantity: number) =>
  trading.exchange.placeOrder({
    clientOrderId: `t-${symbol}-${side}-${quantity}`,
    symbol,
    side,
    type: 'MARKET',
    quantity,
  });

describe('GET /v1/orders/open', () => {
  test('refuses without the token', async () => {
    expect((await app.request('/v1/orders/open')).status).toBe(401);
  });

  test('lists the resting orders of the traded symbols, the protective stop marked protective', async () => {
    expect(trading.symbols).toContain(A);
    await market(A, 'BUY', 0.01);
    const mark = (await trading.exchange.markPrice(A)).markPrice;
    await trading.exchange.placeOrder({
      clientOrderId: 'stop-a',
      symbol: A,
      side: 'SELL',
      type: 'STOP_MARKET',
      quantity: 0,
      stopPrice: Math.round(mark * 0.9),
      closePosition: true,
    });
    await trading.exchange.placeOrder({
      clientOrderId: 'limit-a',
      symbol: A,
      side: 'BUY',
      type: 'LIMIT',
      quantity: 0.01,
      price: Math.round(mark * 0.5),
    });
    const res = await app.request('/v1/orders/open', { headers: auth() });
    expect(res.status).toBe(200);
    const { orders } = await res.json();
    const byId = Object.fromEntries(
      orders.map((o: { client_order_id: string }) => [o.client_order_id, o]),
    );
    expect(byId['stop-a']).toMatchObject({
      symbol: A,
      side: 'SELL',
      type: 'STOP_MARKET',
      stop_price: Math.round(mark * 0.9),
      close_position: true,
      protective: true,
    });
    expect(byId['limit-a']).toMatchObject({ type: 'LIMIT', protective: false, stop_price: null });
    expect(Object.keys(byId).sort()).toEqual(['limit-a', 'stop-a']);
  });

  test('is in the OpenAPI document behind the bearer token, as is the flatten', async () => {
    const doc = await (await app.request('/openapi.json')).json();
    expect(doc.paths['/v1/orders/open'].get.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/v1/control/flatten'].post).toBeDefined();
  });
});

describe('POST /v1/control/flatten', () => {
  test('closes one symbol and leaves the others, recorded as a control action', async () => {
    await market(B, 'SELL', 0.1);
    const res = await app.request('/v1/control/flatten', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ reason: 'drill', symbol: B, operator: 'ops' }),
    });
    expect(res.status).toBe(200);
    const { flatten } = await res.json();
    expect(flatten.failed).toEqual([]);
    expect(flatten.closed).toEqual([
      expect.objectContaining({ symbol: B, side: 'BUY', quantity: 0.1 }),
    ]);
    const open = await trading.exchange.positions();
    expect(open.map((p) => p.symbol)).toEqual([A]);
    const [action] = await t.store.query({
      type: EventType.controlAction,
      newestFirst: true,
      limit: 1,
    });
    expect(action!.payload).toMatchObject({
      endpoint: 'flatten',
      symbol: B,
      reason: 'drill',
      by: 'ops',
      result: 'applied',
    });
  });

  test('refuses a body without a reason', async () => {
    const res = await app.request('/v1/control/flatten', {
      method: 'POST',
      headers: json,
      body: '{}',
    });
    expect(res.status).toBe(400);
  });
});

describe('POST /v1/resilience/breakers/:name/reset', () => {
  test('takes an optional reason and records the request as a control action', async () => {
    t.deps.resilience.breaker('test.breaker');
    const bare = await app.request('/v1/resilience/breakers/test.breaker/reset', {
      method: 'POST',
      headers: auth(),
    });
    expect(bare.status).toBe(200);
    const res = await app.request('/v1/resilience/breakers/test.breaker/reset', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ reason: 'exchange back', operator: 'console' }),
    });
    expect(res.status).toBe(200);
    const actions = await t.store.query({
      type: EventType.controlAction,
      newestFirst: true,
      limit: 2,
    });
    expect(actions.map((a) => a.payload)).toEqual([
      expect.objectContaining({
        endpoint: 'breaker-reset',
        breaker: 'test.breaker',
        reason: 'exchange back',
        by: 'console',
        result: 'unchanged',
      }),
      expect.objectContaining({ endpoint: 'breaker-reset', breaker: 'test.breaker', by: 'api' }),
    ]);
  });
});
