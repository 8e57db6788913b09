// The reconciliation wiring of src/main/build-deps.ts (build-reconciliation.ts), on the real trading side (buildTrading: synthetic
// market, paper exchange, coordinator, gated executor booking fills into the risk portfolio): many
// cycles of real trading reconcile clean (no false alarms), a trade the worker never made halts
// trading, and the halted coordinator then places nothing.
import { describe, expect, it } from 'bun:test';
import { buildReconciliation } from '../../src/main/build-reconciliation.ts';
import { buildTrading } from '../../src/main/build-trading.ts';
import { createTestDeps } from '../helpers/test-deps.ts';

describe('reconciliation wired to the paper trading side', () => {
  it('stays clean while the coordinator trades, then halts it on a foreign trade', async () => {
    const t = await createTestDeps({ AIS_MAX_POSITION_WEIGHT: '0.2', AIS_MAX_NET_EXPOSURE: '1' });
    let now = Date.now();
    const nowMs = () => now;
    const { config, store, metrics, logger, decisionLog, risk, alerts } = { ...t.deps, ...t };
    const trading = buildTrading({ config, risk, store, metrics, logger, decisionLog, nowMs });
    const paper = trading.paper!;

    // The composition build-deps.ts uses, with a clock the test moves.
    const { loop } = buildReconciliation({
      config,
      trading,
      risk,
      store,
      metrics,
      logger,
      alerts,
      nowMs,
      timers: { sleep: async (ms) => void (now += ms), schedule: () => () => {} },
    });

    expect((await loop.start()).status).toBe('passed');
    const cycle = async () => {
      now += config.market.barMs;
      if (paper.market.advanceTo(now) > 0) paper.exchange.onBar();
      await trading.coordinator.runCycle();
    };
    for (let i = 0; i < 10; i++) {
      for (let c = 0; c < 20; c++) await cycle();
      const report = await loop.runNow();
      expect({
        round: i,
        status: report.status,
        problems: report.results.filter((r) => r.status !== 'MATCH').map((r) => r.message),
      }).toEqual({ round: i, status: 'passed', problems: [] });
    }
    const fills = (await store.query({ type: 'fill', limit: 10_000 })).length;
    expect(fills).toBeGreaterThan(5); // the clean rounds above checked real trading
    expect(risk.control.state().tradingState).toBe('ACTIVE');

    // Someone trades on the account behind the worker's back.
    await paper.exchange.placeOrder({
      clientOrderId: 'web-1',
      symbol: trading.symbols[0]!,
      side: 'BUY',
      type: 'MARKET',
      quantity: 0.01,
    });
    now += 5_000;
    const report = await loop.runNow();
    expect(report.status).toBe('failed');
    const symbol = trading.symbols[0]!;
    const bySymbol = report.results.filter((r) => r.symbol === symbol && r.checkType !== 'balance');
    expect(bySymbol.find((r) => r.checkType === 'unauthorized_trade')).toMatchObject({
      status: 'MISMATCH',
      exchangeValue: 1,
    });
    // Long already: the quantities drift apart; flat: the position exists only on the exchange.
    expect(['MISMATCH', 'MISSING_INTERNAL']).toContain(
      bySymbol.find((r) => r.checkType === 'position')!.status,
    );
    expect(risk.control.state().tradingState).toBe('HALTED');

    const orders = (await store.query({ type: 'order', limit: 10_000 })).length;
    for (let c = 0; c < 30; c++) await cycle();
    expect((await store.query({ type: 'order', limit: 10_000 })).length).toBe(orders);
  });
});
