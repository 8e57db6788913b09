// Reconciliation against the real paper exchange: each kind of divergence injected for real
// (mis-booked fills, an order the worker never sent, a balance gap, an outage), with the stored
// event, the metrics, the halt that a clean run does not lift, and the alert.
import { describe, expect, it } from 'bun:test';
import { DEFAULT_SETTLE_MS } from '../../src/domain/reconciliation/reconciler.ts';
import type { ReconciliationReport } from '../../src/domain/reconciliation/report.ts';
import { type Exchange, ExchangeError } from '../../src/ports/exchange.ts';
import { CircuitOpenError } from '../../src/ports/resilience.ts';
import { paperHarness } from '../domain/reconciliation/paper-harness.ts';

const SETTLE = DEFAULT_SETTLE_MS + 1;
const statuses = (r: ReconciliationReport) =>
  r.results.map((x) => `${x.checkType}:${x.symbol}:${x.status}`);
const result = (r: ReconciliationReport, checkType: string, symbol: string | null) =>
  r.results.find((x) => x.checkType === checkType && x.symbol === symbol);

describe('reconciliation on the paper exchange', () => {
  it('passes when the worker booked every fill: one stored event, metrics, an info log', async () => {
    const h = await paperHarness();
    await h.trade('BTCUSDT', 'BUY', 0.05);
    await h.trade('ETHUSDT', 'SELL', 1.5);
    h.tick(SETTLE);
    const report = await h.loop.runNow();
    expect(report.status).toBe('passed');
    expect(statuses(report)).toEqual([
      'position:BTCUSDT:MATCH',
      'position:ETHUSDT:MATCH',
      'balance:null:MATCH',
      'unauthorized_trade:BTCUSDT:MATCH',
      'unauthorized_trade:ETHUSDT:MATCH',
    ]);
    const events = await h.newEvents({ type: 'reconciliation' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      stream: 'paper',
      timeMs: report.timeMs,
      payload: { status: 'passed', totals: { checks: 5, matched: 5 } },
    });
    const text = await h.metrics.render();
    // The worker's own run at start-up, then this one.
    expect(text).toContain('ais_reconciliation_runs_total{status="passed"} 2');
    expect(text).toContain('ais_reconciliation_mismatches{check_type="position"} 0');
    expect(text).toContain(`ais_reconciliation_last_run_timestamp_seconds ${report.timeMs / 1000}`);
    expect(text).toContain('ais_reconciliation_duration_seconds_count 2');
    expect(h.logs.lines).toContainEqual(
      expect.objectContaining({
        level: 'INFO',
        logger: 'ais.reconciliation',
        message: 'Reconciliation passed',
      }),
    );
    expect(h.deps.risk.control.state().tradingState).toBe('ACTIVE');
  });

  it('finds a quantity drift, halts trading as `reconciliation`, raises a critical alert, and a clean run does not resume', async () => {
    const h = await paperHarness();
    await h.trade('BTCUSDT', 'BUY', 0.05, { bookedQuantity: 0.049 });
    h.tick(SETTLE);
    const report = await h.loop.runNow();
    expect(result(report, 'position', 'BTCUSDT')).toMatchObject({
      status: 'MISMATCH',
      internalValue: 0.049,
      exchangeValue: 0.05,
    });
    expect(report).toMatchObject({ status: 'failed', mismatchedSymbols: ['BTCUSDT'] });
    expect(h.deps.risk.control.state().tradingState).toBe('HALTED');
    expect((await h.store.latest('trading_state'))?.payload).toMatchObject({
      state: 'HALTED',
      by: 'reconciliation',
    });
    const [alert] = await h.alerts();
    expect(alert).toMatchObject({ stream: 'ReconciliationMismatch', severity: 'critical' });
    expect(await h.metrics.render()).toContain(
      'ais_reconciliation_mismatches{check_type="position"} 1',
    );

    // Book the missing 0.001 BTC: the books agree again, trading stays halted.
    const fill = h.paper.allTrades()[0]!;
    h.bookFill({ symbol: 'BTCUSDT', side: 'BUY', quantity: 0.001, price: fill.price });
    h.tick(60_000);
    const again = await h.loop.runNow();
    expect(again.status).toBe('passed');
    expect(h.deps.risk.control.state().tradingState).toBe('HALTED');
    expect(await h.metrics.render()).toContain(
      'ais_reconciliation_mismatches{check_type="position"} 0',
    );
    expect(await h.metrics.render()).toContain('ais_reconciliation_runs_total{status="failed"} 1');
  });

  it('reports MISSING_INTERNAL for a position the worker never booked', async () => {
    const h = await paperHarness();
    await h.trade('SOLUSDT', 'BUY', 10, { booked: false });
    h.tick(SETTLE);
    const report = await h.loop.runNow();
    expect(result(report, 'position', 'SOLUSDT')).toMatchObject({
      status: 'MISSING_INTERNAL',
      internalValue: 0,
      exchangeValue: 10,
    });
    expect(result(report, 'unauthorized_trade', 'SOLUSDT')?.status).toBe('MATCH');
    expect(h.deps.risk.control.state().tradingState).toBe('HALTED');
  });

  it('reports MISSING_EXCHANGE for a position only the worker holds', async () => {
    const h = await paperHarness();
    h.bookFill({ symbol: 'ETHUSDT', side: 'SELL', quantity: 2, price: h.market.price('ETHUSDT')! });
    const report = await h.loop.runNow();
    expect(result(report, 'position', 'ETHUSDT')).toMatchObject({
      status: 'MISSING_EXCHANGE',
      internalValue: -2,
      exchangeValue: 0,
    });
  });

  it('reports a balance gap between NAV and the exchange equity', async () => {
    const h = await paperHarness({ env: { AIS_INITIAL_BALANCE_USD: '100000' } });
    h.deps.risk.portfolio.update((p) => ({ ...p, cashUsd: p.cashUsd + 500 })); // a deposit the worker imagines
    const report = await h.loop.runNow();
    expect(result(report, 'balance', null)).toMatchObject({
      status: 'MISMATCH',
      internalValue: 100_500,
      exchangeValue: 100_000,
    });
    expect(report.mismatchedSymbols).toEqual([]);
    expect(h.deps.risk.control.state().tradingState).toBe('HALTED');
  });

  it('flags a trade from an order the worker never sent, once it has settled', async () => {
    const h = await paperHarness();
    await h.trade('BNBUSDT', 'BUY', 1, { ours: false });
    // Too fresh: the executor may not know the order id yet.
    expect(result(await h.reconciler.run(), 'unauthorized_trade', 'BNBUSDT')).toBeUndefined();
    h.tick(SETTLE);
    const report = await h.loop.runNow();
    const foreign = result(report, 'unauthorized_trade', 'BNBUSDT')!;
    expect(foreign).toMatchObject({ status: 'MISMATCH', internalValue: 0, exchangeValue: 1 });
    expect(foreign.message).toContain(h.paper.allTrades()[0]!.orderId);
    expect(result(report, 'position', 'BNBUSDT')?.status).toBe('MATCH');
    expect(h.deps.risk.control.state().tradingState).toBe('HALTED');
    expect(await h.metrics.render()).toContain(
      'ais_reconciliation_mismatches{check_type="unauthorized_trade"} 1',
    );
  });

  it('reads each symbol only from the previous run on, so old trades are not read again', async () => {
    const h = await paperHarness();
    await h.trade('BTCUSDT', 'BUY', 0.01);
    // Past the settle time and the 5 s clock-skew overlap that the next window starts with.
    h.tick(10_000);
    expect(result(await h.reconciler.run(), 'unauthorized_trade', 'BTCUSDT')?.message).toContain(
      '1 trades',
    );
    h.tick(60_000);
    await h.trade('BTCUSDT', 'BUY', 0.01);
    h.tick(SETTLE);
    expect(result(await h.reconciler.run(), 'unauthorized_trade', 'BTCUSDT')?.message).toContain(
      '1 trades',
    );
  });

  it('does not act on a divergence that a second reading no longer shows (a fill not booked yet)', async () => {
    const h = await paperHarness();
    const { fills } = await h.trade('BTCUSDT', 'BUY', 0.02, { booked: false });
    h.tick(SETTLE);
    h.onConfirm(() => {
      for (const f of fills)
        h.bookFill({
          symbol: f.symbol,
          side: f.side,
          quantity: f.quantity,
          price: f.price,
          feeUsd: f.feeUsd,
        });
    });
    const report = await h.loop.runNow();
    expect(report.status).toBe('passed');
    expect(h.deps.risk.control.state().tradingState).toBe('ACTIVE');
  });

  it('turns an outage into an ERROR report, stored and counted, without touching trading', async () => {
    const down = (e: Exchange): Exchange => ({
      ...e,
      name: e.name,
      balance: async () => {
        throw new CircuitOpenError('aster.account', 30_000);
      },
    });
    const h = await paperHarness({ wrap: down });
    const report = await h.loop.runNow();
    expect(report).toMatchObject({ status: 'error', passed: false, totals: { errors: 3 } });
    expect(report.error).toBe(
      'circuit_open in aster.account: circuit breaker aster.account is open',
    );
    expect((await h.store.latest('reconciliation'))?.payload).toMatchObject({
      status: 'error',
      error: report.error,
    });
    expect(await h.metrics.render()).toContain('ais_reconciliation_runs_total{status="error"} 1');
    expect(h.deps.risk.control.state().tradingState).toBe('ACTIVE');
    expect((await h.alerts()).map((a) => a.severity)).toEqual(['warning']);
  });

  it("checks what it can when one symbol's trades cannot be read", async () => {
    const flaky = (e: Exchange): Exchange => ({
      ...e,
      userTrades: async (symbol, since, limit) => {
        if (symbol === 'ETHUSDT')
          throw new ExchangeError('timeout', 'no answer within 5000 ms', {
            operation: 'user_trades',
          });
        return e.userTrades(symbol, since, limit);
      },
    });
    const h = await paperHarness({ wrap: flaky });
    await h.trade('BTCUSDT', 'BUY', 0.01);
    h.tick(SETTLE);
    const report = await h.loop.runNow();
    expect(result(report, 'unauthorized_trade', 'ETHUSDT')).toMatchObject({ status: 'ERROR' });
    expect(result(report, 'position', 'BTCUSDT')?.status).toBe('MATCH');
    expect(report.status).toBe('error');
  });

  it('joins a run in progress instead of starting a second one', async () => {
    const h = await paperHarness();
    const [a, b] = await Promise.all([h.reconciler.run(), h.reconciler.run()]);
    expect(a).toBe(b);
    expect(await h.newEvents({ type: 'reconciliation' })).toHaveLength(1);
  });
});
