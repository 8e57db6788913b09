// Reconciliation through the real Aster adapter against the fake Aster server (a real HTTP server
// on 127.0.0.1): divergences injected with the fake's hooks (setPosition, setBalance,
// addForeignTrade), outages with its faults (5xx, hang, garbled bodies) and an open breaker.
import { afterEach, describe, expect, it } from 'bun:test';
import { createAsterExchange } from '../../src/adapters/exchange/aster/aster-exchange.ts';
import { guardExchange } from '../../src/adapters/exchange/guarded.ts';
import { componentLogger } from '../../src/adapters/logging/logger.ts';
import { applyFill } from '../../src/domain/portfolio/portfolio.ts';
import { createReconciliationLoop } from '../../src/domain/reconciliation/loop.ts';
import { bookOf, createReconciler } from '../../src/domain/reconciliation/reconciler.ts';
import type { ReconciliationReport } from '../../src/domain/reconciliation/report.ts';
import type { Exchange } from '../../src/ports/exchange.ts';
import { type FakeAster, type Fault, startFakeAster } from '../fake-aster/server.ts';
import { createTestDeps } from '../helpers/test-deps.ts';

const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];
const running: FakeAster[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((f) => f.stop()));
});

async function setup(o: { guarded?: boolean } = {}) {
  const fake = await startFakeAster({ balanceUsd: 100_000, symbols: SYMBOLS });
  running.push(fake);
  fake.setMark('BTCUSDT', 60_000);
  fake.setMark('ETHUSDT', 3_000);
  fake.setMark('SOLUSDT', 150);
  const t = await createTestDeps({ AIS_INITIAL_BALANCE_USD: '100000' });
  const aster = createAsterExchange({
    baseUrl: fake.url,
    apiKey: fake.apiKey,
    apiSecret: fake.apiSecret,
    nowMs: Date.now,
    timeoutMs: 300,
    retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 },
  });
  const exchange: Exchange = o.guarded
    ? guardExchange(aster, t.deps.resilience, {
        metrics: t.metrics,
        breaker: { failureThreshold: 2, openMs: 60_000 },
      })
    : aster;
  const ourOrders = new Set<string>();
  const book = t.deps.risk.portfolio;
  const log = componentLogger(t.deps.logger, 'ais.reconciliation');
  const reconciler = createReconciler({
    exchange,
    worker: {
      internal: (marks) => bookOf(book.get(), marks),
      isOurOrder: (id) => ourOrders.has(id),
      symbols: () => SYMBOLS,
    },
    store: t.store,
    metrics: t.metrics,
    log,
    nowMs: Date.now,
    tuning: {
      tolerance: t.deps.config.reconciliation.tolerance,
      // Real time here: judge trades at once, read a divergence once.
      settleMs: 0,
      confirmAfterMs: 0,
    },
  });
  const loop = createReconciliationLoop({
    reconciler,
    control: t.deps.risk.control,
    alerts: t.deps.alerts,
    log,
    intervalMs: 60_000,
    onMismatch: 'HALTED',
    schedule: () => () => {},
  });
  let seq = 0;
  /** Places a market order through the adapter and books its fills, as the executor does. */
  async function trade(symbol: string, side: 'BUY' | 'SELL', quantity: number) {
    const order = await aster.placeOrder({
      clientOrderId: `ais-${++seq}`,
      symbol,
      side,
      type: 'MARKET',
      quantity,
    });
    ourOrders.add(order.orderId);
    for (const f of (await aster.userTrades(symbol)).filter((x) => x.orderId === order.orderId)) {
      book.update((p) =>
        applyFill(p, {
          symbol,
          side: f.side,
          quantity: f.quantity,
          price: f.price,
          feeUsd: f.feeUsd,
        }),
      );
    }
  }
  const requests = (path: string) => fake.requests.filter((r) => r.path === path).length;
  return {
    ...t,
    fake,
    reconciler,
    loop,
    trade,
    book,
    requests,
    state: () => t.deps.risk.control.state(),
  };
}

const result = (r: ReconciliationReport, checkType: string, symbol: string | null) =>
  r.results.find((x) => x.checkType === checkType && x.symbol === symbol);

describe('reconciliation against the fake Aster server', () => {
  it('passes after real orders that the worker booked, and stores the report on the aster stream', async () => {
    const h = await setup();
    await h.trade('BTCUSDT', 'BUY', 0.05);
    await h.trade('ETHUSDT', 'SELL', 2);
    const report = await h.loop.runNow();
    expect(report.status).toBe('passed');
    expect(report.totals).toEqual({ checks: 5, matched: 5, mismatched: 0, errors: 0, deferred: 0 });
    expect(await h.store.latest('reconciliation')).toMatchObject({
      stream: 'aster',
      payload: { status: 'passed' },
    });
    expect(h.state().tradingState).toBe('ACTIVE');
  });

  it('passes with an isolated-margin position in profit and a cross one in loss (equity counts both unrealised P&Ls)', async () => {
    const h = await setup();
    h.fake.setSymbolSettings('ETHUSDT', { marginType: 'isolated', leverage: 5 });
    await h.trade('ETHUSDT', 'BUY', 2);
    await h.trade('BTCUSDT', 'BUY', 0.05);
    h.fake.setMark('ETHUSDT', 3_300); // +600 USD on the isolated position: not in the balance answer's crossUnPnl
    h.fake.setMark('BTCUSDT', 59_000); // -50 USD on the cross one
    const report = await h.loop.runNow();
    expect(report.status).toBe('passed');
    const balance = result(report, 'balance', null)!;
    expect(balance.status).toBe('MATCH');
    expect(balance.exchangeValue as number).toBeCloseTo(balance.internalValue as number, 6);
    expect(h.state().tradingState).toBe('ACTIVE');
  });

  it('halts on a quantity drift, alerts, and stays halted after the drift is gone', async () => {
    const h = await setup();
    await h.trade('BTCUSDT', 'BUY', 0.05);
    h.fake.setPosition('BTCUSDT', 0.06, 60_000);
    const report = await h.loop.runNow();
    expect(result(report, 'position', 'BTCUSDT')).toMatchObject({
      status: 'MISMATCH',
      internalValue: 0.05,
      exchangeValue: 0.06,
    });
    expect(h.state().tradingState).toBe('HALTED');
    expect((await h.store.latest('trading_state'))?.payload).toMatchObject({
      state: 'HALTED',
      previous: 'ACTIVE',
      by: 'reconciliation',
    });
    const [alert] = await h.store.query({ type: 'alert' });
    expect(alert).toMatchObject({
      stream: 'ReconciliationMismatch',
      payload: { severity: 'critical', source: 'worker' },
    });
    expect(h.logs.lines).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        logger: 'ais.reconciliation',
        message: 'Reconciliation mismatch',
      }),
    );

    h.fake.setPosition('BTCUSDT', 0.05, 60_000);
    expect((await h.loop.runNow()).status).toBe('passed');
    expect(h.state().tradingState).toBe('HALTED');
  });

  it('reports MISSING_INTERNAL for a position only the exchange holds', async () => {
    const h = await setup();
    h.fake.setPosition('ETHUSDT', 2, 3_000);
    const report = await h.loop.runNow();
    expect(result(report, 'position', 'ETHUSDT')).toMatchObject({
      status: 'MISSING_INTERNAL',
      internalValue: 0,
      exchangeValue: 2,
    });
    expect(h.state().tradingState).toBe('HALTED');
  });

  it('reports MISSING_EXCHANGE for a position only the worker holds', async () => {
    const h = await setup();
    h.book.update((p) =>
      applyFill(p, { symbol: 'SOLUSDT', side: 'SELL', quantity: 10, price: 150 }),
    );
    const report = await h.loop.runNow();
    expect(result(report, 'position', 'SOLUSDT')).toMatchObject({
      status: 'MISSING_EXCHANGE',
      internalValue: -10,
      exchangeValue: 0,
    });
    expect(result(report, 'balance', null)?.status).toBe('MATCH');
  });

  it('reports a balance gap', async () => {
    const h = await setup();
    h.fake.setBalance(98_000);
    const report = await h.loop.runNow();
    expect(result(report, 'balance', null)).toMatchObject({
      status: 'MISMATCH',
      internalValue: 100_000,
      exchangeValue: 98_000,
    });
    expect(report.mismatchedSymbols).toEqual([]);
    expect(h.state().tradingState).toBe('HALTED');
  });

  it('flags a trade from an order the worker never sent', async () => {
    const h = await setup();
    await h.trade('ETHUSDT', 'BUY', 1);
    const foreign = h.fake.addForeignTrade({
      symbol: 'ETHUSDT',
      side: 'BUY',
      qty: 0.5,
      price: 3_000,
      timeMs: Date.now() - 1_000,
      applyToPosition: false,
    });
    const report = await h.loop.runNow();
    const r = result(report, 'unauthorized_trade', 'ETHUSDT')!;
    expect(r).toMatchObject({ status: 'MISMATCH', exchangeValue: 1 });
    expect(r.message).toBe(
      `ETHUSDT: 1 of 2 trades come from 1 order(s) we never sent (${foreign.orderId})`,
    );
    expect(result(report, 'position', 'ETHUSDT')?.status).toBe('MATCH');
    expect(h.state().tradingState).toBe('HALTED');
    expect(await h.metrics.render()).toContain(
      'ais_reconciliation_mismatches{check_type="unauthorized_trade"} 1',
    );
  });

  const outages: [string, Fault, string][] = [
    ['5xx answers', { kind: 'status', status: 502 }, 'unavailable'],
    ['no answer (time-out)', { kind: 'hang' }, 'timeout'],
    ['a body that is not JSON', { kind: 'malformed' }, 'bad_response'],
    ['JSON of the wrong shape', { kind: 'off_schema' }, 'bad_response'],
  ];
  for (const [what, fault, kind] of outages) {
    it(`answers an ERROR report for ${what}, stored and counted, trading untouched`, async () => {
      const h = await setup();
      h.fake.inject(fault, { path: '/fapi/v2/positionRisk' }, 5);
      const report = await h.loop.runNow();
      expect(report).toMatchObject({ status: 'error', totals: { checks: 3, errors: 3 } });
      expect(report.error).toStartWith(kind);
      expect((await h.store.latest('reconciliation'))?.payload).toMatchObject({ status: 'error' });
      expect(await h.metrics.render()).toContain('ais_reconciliation_runs_total{status="error"} 1');
      expect(h.state().tradingState).toBe('ACTIVE');
      expect(JSON.stringify(report)).not.toContain(h.fake.apiSecret);
    });
  }

  it('answers ERROR without calling the exchange while the account breaker is open', async () => {
    const h = await setup({ guarded: true });
    h.fake.inject({ kind: 'status', status: 503 }, { path: '/fapi/v2/balance' }, 20);
    expect((await h.reconciler.run()).error).toStartWith('unknown_outcome');
    await h.reconciler.run(); // the second failure opens aster.account
    const before = h.requests('/fapi/v2/balance');
    const report = await h.reconciler.run();
    expect(report.error).toBe(
      'circuit_open in aster.account: circuit breaker aster.account is open',
    );
    expect(h.requests('/fapi/v2/balance')).toBe(before);
  });

  it('still checks positions and the balance when trades cannot be read', async () => {
    const h = await setup();
    await h.trade('BTCUSDT', 'BUY', 0.01);
    // Every userTrades call of this run fails (3 symbols x 2 tries).
    h.fake.inject({ kind: 'status', status: 500 }, { path: '/fapi/v1/userTrades' }, 6);
    const report = await h.reconciler.run();
    const errors = report.results.filter((r) => r.status === 'ERROR');
    expect(errors.map((r) => `${r.checkType}:${r.symbol}`).sort()).toEqual(
      SYMBOLS.map((s) => `unauthorized_trade:${s}`),
    );
    expect(errors[0]!.message).toContain('trades not read: unavailable');
    expect(result(report, 'position', 'BTCUSDT')?.status).toBe('MATCH');
    expect(result(report, 'balance', null)?.status).toBe('MATCH');
    expect(report.status).toBe('error');
  });
});
