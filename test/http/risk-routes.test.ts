// The control API through createApp(): order checks, kill switch, trading state, portfolio; auth
// failures; bad bodies answer 400 and record nothing.
import { describe, expect, it } from 'bun:test';
import { applyFill, markPrice } from '../../src/domain/portfolio/portfolio.ts';
import { storedChecks } from '../../src/domain/risk/checks.ts';
import { createApp } from '../../src/http/app.ts';
import { createLibsqlEventStore } from '../../src/adapters/store/libsql/event-store.ts';
import { loadWasmCore } from '../../src/adapters/wasm/load.ts';
import { loadConfig } from '../../src/config/config.ts';
import { buildRisk } from '../../src/main/build-risk.ts';
import { auth, createTestDeps } from '../helpers/test-deps.ts';

async function setup(env: Record<string, string> = {}) {
  const t = await createTestDeps(env);
  const app = createApp(t.deps);
  const post = (path: string, body: unknown, headers: Record<string, string> = auth()) =>
    app.request(path, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  return { ...t, app, post };
}
const btc = { symbol: 'BTCUSDT', side: 'BUY', quantity: 0.01, price: 60_000 };

describe('POST /v1/orders/check', () => {
  it("refuses the issue's BNBUSDT order, naming the exchange rule, its value and its bound", async () => {
    const { post } = await setup();
    const body = await (
      await post('/v1/orders/check', {
        symbol: 'BNBUSDT',
        side: 'BUY',
        quantity: 3.333,
        price: 600,
      })
    ).json();
    expect(body).toMatchObject({
      approved: false,
      guard: 'exchange_rules',
      reason:
        'the exchange would refuse it: quantity 3.333 is not a multiple of the step size 0.01 (LOT_SIZE)',
    });
    expect(body.checks.find((c: { guard: string }) => c.guard === 'exchange_rules')).toEqual({
      guard: 'exchange_rules',
      value: 3.333,
      limit: 0.01,
      passed: false,
      filter: 'LOT_SIZE.stepSize',
    });
    expect(
      (
        await (
          await post('/v1/orders/check', {
            symbol: 'BNBUSDT',
            side: 'BUY',
            quantity: 3.33,
            price: 600,
          })
        ).json()
      ).approved,
    ).toBe(true);
  });

  it('refuses an order whose initial margin does not fit the available balance, and shows the margin in GET /v1/portfolio', async () => {
    const { post, app, deps } = await setup();
    expect(
      (await (await app.request('/v1/portfolio', { headers: auth() })).json()).margin,
    ).toBeNull();
    deps.risk.engine.setMargin({
      walletUsd: 1_000,
      marginBalanceUsd: 900,
      maintenanceMarginUsd: 240,
      availableUsd: 500,
      leverage: { BTCUSDT: 10 },
      timeMs: Date.UTC(2026, 10, 30),
      positions: [
        {
          symbol: 'BTCUSDT',
          quantity: 1,
          entryPrice: 60_100,
          markPrice: 60_000,
          liquidationPrice: 59_400,
          leverage: 10,
        },
      ],
    });
    const body = await (
      await post('/v1/orders/check', { symbol: 'ETHUSDT', side: 'BUY', quantity: 1, price: 3_000 })
    ).json();
    expect(body).toMatchObject({
      approved: false,
      guard: 'margin',
      reason:
        'initial margin 3000 USD (notional / leverage 1) is over the available balance 500 USD',
    });
    expect(body.checks.find((c: { guard: string }) => c.guard === 'margin')).toEqual({
      guard: 'margin',
      value: 3_000,
      limit: 500,
      passed: false,
    });
    // The BTC position is 1 % from its liquidation price: a new ETH order fails liquidation_distance too.
    expect(body.checks.find((c: { guard: string }) => c.guard === 'liquidation_distance')).toEqual({
      guard: 'liquidation_distance',
      value: 0.01,
      limit: 0.1,
      passed: false,
    });
    const portfolio = await (await app.request('/v1/portfolio', { headers: auth() })).json();
    expect(portfolio.margin).toEqual({
      wallet_usd: 1_000,
      margin_balance_usd: 900,
      maintenance_margin_usd: 240,
      available_usd: 500,
      margin_ratio: 240 / 900,
      read_at: '2026-11-30T00:00:00.000Z',
      positions: [
        {
          symbol: 'BTCUSDT',
          quantity: 1,
          mark_price: 60_000,
          liquidation_price: 59_400,
          liquidation_distance: 600 / 60_000,
          leverage: 10,
        },
      ],
    });
  });

  it('approves with a token that verifies for the order, and records the decision', async () => {
    const { post, store, decisions, deps, metrics } = await setup();
    const res = await post('/v1/orders/check', {
      ...btc,
      client_order_id: 'cid-1',
      agent_id: 'momentum',
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ approved: true, order_id: 'cid-1' });
    expect(body.checks).toHaveLength(13);
    expect(deps.risk.tokens.verify(body.token, 'cid-1', Date.now()).ok).toBe(true);
    const [event] = await store.query({ type: 'risk_decision' });
    expect(event).toMatchObject({
      stream: 'BTCUSDT',
      payload: { order_id: 'cid-1', approved: true, order: { agent_id: 'momentum' } },
    });
    expect(JSON.stringify(event!.payload)).not.toContain(body.token);
    // One record per decision: the event, with every guard's outcome in its compact stored form.
    const payload = event!.type === 'risk_decision' ? event!.payload : undefined;
    expect(payload!.checks).toEqual(storedChecks(body.checks));
    expect(payload!.duration_ms).toBeGreaterThanOrEqual(0);
    expect(decisions).toHaveLength(0);
    expect(await metrics.render()).toContain('ais_signals_approved_total 1');
  });

  it('answers a batch with one result per order, recorded in one append', async () => {
    const { post, store, metrics } = await setup();
    const res = await post('/v1/orders/check', {
      orders: [btc, { ...btc, quantity: 1 }, { ...btc, symbol: 'ETHUSDT', price: 3_000 }],
    });
    const { results } = await res.json();
    expect(
      results.map((r: { approved: boolean; guard?: string }) => r.guard ?? r.approved),
    ).toEqual([true, 'net_exposure', true]);
    expect(await store.query({ type: 'risk_decision' })).toHaveLength(3);
    expect(await metrics.render()).toContain('ais_risk_rejections_total{guard="net_exposure"} 1');
  });

  it.each([
    ['not JSON', '{"symbol":'],
    ['a missing field', { symbol: 'BTCUSDT', side: 'BUY', quantity: 1 }],
    ['a bad side', { ...btc, side: 'HOLD' }],
    ['a zero quantity', { ...btc, quantity: 0 }],
    ['a negative price', { ...btc, price: -1 }],
    ['a string number', { ...btc, price: '60000' }],
    ['an unknown field', { ...btc, leverage: 10 }],
    ['a lower-case symbol', { ...btc, symbol: 'btcusdt' }],
    ['an empty batch', { orders: [] }],
    ['a batch over 1,000', { orders: Array.from({ length: 1_001 }, () => btc) }],
    ['a bad order inside a batch', { orders: [btc, { ...btc, quantity: -1 }] }],
  ])('answers 400 for %s and records nothing', async (_what, body) => {
    const { post, newEvents, decisions } = await setup();
    const res = await post('/v1/orders/check', body);
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('invalid_request');
    expect(await newEvents()).toHaveLength(0);
    expect(decisions).toHaveLength(0);
  });

  it('refuses without or with a wrong token, and with no token configured', async () => {
    const { post } = await setup();
    expect((await post('/v1/orders/check', btc, {})).status).toBe(401);
    expect((await post('/v1/orders/check', btc, auth('wrong-token-0123456789'))).status).toBe(403);
    expect(
      (await post('/v1/control/kill-switch', { action: 'trigger', reason: 'x' }, {})).status,
    ).toBe(401);
    const off = await setup({ AIS_API_TOKEN: '' });
    expect((await off.post('/v1/control/trading-state', { state: 'ACTIVE' })).status).toBe(503);
  });

  it('trips the kill switch on a drawdown breach', async () => {
    const { post, deps, store, metrics } = await setup();
    deps.risk.portfolio.update((p) =>
      markPrice(
        applyFill(p, { symbol: 'BTCUSDT', side: 'BUY', quantity: 1, price: 60_000 }),
        'BTCUSDT',
        54_000,
      ),
    );
    const first = await (await post('/v1/orders/check', { ...btc, side: 'SELL' })).json();
    expect(first.guard).toBe('drawdown');
    expect(deps.risk.control.state().killSwitch).toMatchObject({ active: true, by: 'risk-engine' });
    expect((await (await post('/v1/orders/check', btc)).json()).guard).toBe('kill_switch');
    expect((await store.latest('kill_switch'))?.payload).toMatchObject({
      active: true,
      source: 'drawdown',
    });
    expect(await metrics.render()).toContain('ais_kill_switch_triggers_total{source="drawdown"} 1');
  });
});

describe('POST /v1/orders/check, idempotent', () => {
  const decisionsOf = async (store: { query: Function }, orderId?: string) =>
    (
      (await store.query({ type: 'risk_decision', limit: 100 })) as {
        payload: { order_id: string };
      }[]
    ).filter((e) => orderId === undefined || e.payload.order_id === orderId);

  it('answers the stored decision, token included, when a client_order_id comes again, and stores one', async () => {
    const { post, store } = await setup();
    const first = await (
      await post('/v1/orders/check', { ...btc, client_order_id: 'same-1' })
    ).json();
    // The same id with another order: the stored decision, not a new one.
    const again = await (
      await post('/v1/orders/check', { ...btc, quantity: 1_000, client_order_id: 'same-1' })
    ).json();
    expect(first.approved).toBe(true);
    expect(again).toEqual(first);
    expect(await decisionsOf(store, 'same-1')).toHaveLength(1);
  });

  it('keys a check by its Idempotency-Key header, a batch per order index', async () => {
    const { post, store } = await setup();
    const headers = { ...auth(), 'idempotency-key': 'retry-me' };
    const one = await (await post('/v1/orders/check', btc, headers)).json();
    const oneAgain = await (await post('/v1/orders/check', btc, headers)).json();
    expect(oneAgain).toEqual(one);
    const batch = { orders: [btc, { ...btc, side: 'SELL' }] };
    const batchHeaders = { ...auth(), 'idempotency-key': 'batch-1' };
    const b1 = await (await post('/v1/orders/check', batch, batchHeaders)).json();
    const b2 = await (await post('/v1/orders/check', batch, batchHeaders)).json();
    expect(b2).toEqual(b1);
    expect(await decisionsOf(store)).toHaveLength(3);
  });

  it('refuses a malformed Idempotency-Key with 400 and records nothing', async () => {
    const { post, store } = await setup();
    const r = await post('/v1/orders/check', btc, { ...auth(), 'idempotency-key': 'no spaces' });
    expect(r.status).toBe(400);
    expect((await r.json()).error.code).toBe('invalid_request');
    expect(await decisionsOf(store)).toHaveLength(0);
  });
});

describe('control endpoints', () => {
  it('trigger, refuse ACTIVE, reset to HALTED, then ACTIVE; each step stored with who and why', async () => {
    const { post, app, store, metrics, newEvents } = await setup();
    let res = await post('/v1/control/kill-switch', {
      action: 'trigger',
      reason: 'exchange acting up',
      operator: 'alice',
    });
    expect(await res.json()).toMatchObject({
      changed: true,
      kill_switch: { active: true, reason: 'exchange acting up' },
    });
    expect(await metrics.render()).toContain('ais_kill_switch_active 1');
    res = await post('/v1/control/trading-state', { state: 'ACTIVE' });
    expect(res.status).toBe(409);
    res = await post('/v1/control/kill-switch', { action: 'reset' });
    expect(await res.json()).toMatchObject({
      changed: true,
      trading_state: 'HALTED',
      kill_switch: { active: false },
    });
    res = await post('/v1/control/trading-state', {
      state: 'REDUCING',
      reason: 'cautious restart',
    });
    expect(await res.json()).toMatchObject({ trading_state: 'REDUCING' });
    expect(await metrics.render()).toContain('ais_trading_state 1');
    const types = (await newEvents()).map((e) => e.type);
    expect(types.filter((t) => t !== 'kill_switch_orders')).toEqual([
      'kill_switch',
      'control_action',
      'control_action',
      'kill_switch',
      'trading_state',
      'control_action',
      'trading_state',
      'control_action',
    ]);
    // The worker's own reaction too (it runs beside the answers): the kill switch, and the HALTED
    // its reset leaves, each swept the paper exchange's open orders.
    const sweeps = async () => (await newEvents({ type: 'kill_switch_orders' })).length;
    for (let i = 0; i < 50 && (await sweeps()) < 2; i++) await Bun.sleep(20);
    expect(await sweeps()).toBe(2);
    const actions = await store.query({ type: 'control_action' });
    expect(actions.map((e) => (e.payload as { result: string }).result)).toEqual([
      'applied',
      'kill_switch_active',
      'applied',
      'applied',
    ]);
    expect(actions[0]!.payload).toMatchObject({ by: 'alice', reason: 'exchange acting up' });
    const portfolio = await (await app.request('/v1/portfolio', { headers: auth() })).json();
    expect(portfolio).toMatchObject({
      nav_usd: 100_000,
      trading_state: 'REDUCING',
      limits: { max_drawdown: 0.05 },
      positions: [],
    });
  });

  it.each([
    ['/v1/control/kill-switch', { action: 'explode' }],
    ['/v1/control/kill-switch', { action: 'trigger' }],
    ['/v1/control/kill-switch', { action: 'trigger', reason: '' }],
    ['/v1/control/trading-state', { state: 'PAUSED' }],
    ['/v1/control/trading-state', { state: 'ACTIVE', extra: 1 }],
  ])('answers 400 for a bad body on %s and changes nothing', async (path, body) => {
    const { post, newEvents, deps } = await setup();
    expect((await post(path, body)).status).toBe(400);
    expect(await newEvents()).toHaveLength(0);
    expect(deps.risk.control.state()).toMatchObject({
      tradingState: 'ACTIVE',
      killSwitch: { active: false },
    });
  });

  // The risk side alone (buildRisk, as the worker builds it): a whole aster worker would first
  // need an exchange to answer its start-up checks.
  it('starts an aster install HALTED when the store holds no state', async () => {
    const { deps } = await setup();
    const config = loadConfig({
      AIS_EXCHANGE: 'aster',
      ASTER_API_KEY: 'k',
      ASTER_API_SECRET: 's',
      AIS_RISK_HMAC_SECRET: 'x'.repeat(32),
      AIS_DB_URL: ':memory:',
    });
    const store = await createLibsqlEventStore({ url: ':memory:', nowMs: Date.now });
    const risk = await buildRisk({
      config,
      core: await loadWasmCore(),
      store,
      metrics: deps.monitoring.metrics,
      logger: deps.logger,
      nowMs: Date.now,
      monoMs: () => performance.now(),
    });
    expect(risk.control.state().tradingState).toBe('HALTED');
  });
});
