// The reconciler's own mechanics on the real paper exchange: paging through trades, a store that
// fails, a second reading that fails; and the loop on real timers.
import { describe, expect, it } from 'bun:test';
import { createReconciliationLoop } from '../../../src/domain/reconciliation/loop.ts';
import type { Exchange } from '../../../src/ports/exchange.ts';
import { paperHarness } from './paper-harness.ts';

describe('createReconciler', () => {
  it('pages through more trades than one userTrades answer holds', async () => {
    let calls = 0;
    const counting = (e: Exchange): Exchange => ({
      ...e,
      userTrades: (symbol, since, limit) => {
        if (symbol === 'BTCUSDT') calls++;
        return e.userTrades(symbol, since, limit);
      },
    });
    const h = await paperHarness({ wrap: counting });
    for (let i = 0; i < 2_500; i++) {
      await h.trade('BTCUSDT', i % 2 ? 'SELL' : 'BUY', 0.001);
      h.tick(1);
    }
    h.tick(10_000);
    const report = await h.reconciler.run();
    const trades = report.results.find(
      (r) => r.checkType === 'unauthorized_trade' && r.symbol === 'BTCUSDT',
    );
    expect(trades?.message).toBe('BTCUSDT: 2500 trades, all from orders we sent');
    expect(calls).toBe(3); // 1,000 + 1,000 + 500 (+1 overlap trade per page, deduplicated)
    expect(report.status).toBe('passed');
  });

  it('still answers (and logs) when the report cannot be stored', async () => {
    const h = await paperHarness();
    await h.store.close();
    const report = await h.reconciler.run();
    expect(report.status).toBe('passed');
    expect(h.reconciler.latest()).toBe(report);
    expect(h.logs.lines).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        logger: 'ais.reconciliation',
        message: 'Reconciliation report not stored',
        extra_json: { err: expect.objectContaining({ type: expect.any(String) }) },
      }),
    );
  });

  it('keeps the first reading of a divergence when the second reading fails', async () => {
    let fail = false;
    const flaky = (e: Exchange): Exchange => ({
      ...e,
      positions: () => (fail ? Promise.reject(new Error('socket hang up')) : e.positions()),
    });
    const h = await paperHarness({ wrap: flaky });
    await h.trade('ETHUSDT', 'BUY', 1, { booked: false });
    h.tick(10_000);
    h.onConfirm(() => (fail = true));
    const report = await h.reconciler.run();
    expect(
      report.results.find((r) => r.symbol === 'ETHUSDT' && r.checkType === 'position')?.status,
    ).toBe('MISSING_INTERNAL');
  });

  it('confirms with a second reading only when asked to', async () => {
    let confirmations = 0;
    const h = await paperHarness({ reconciler: { confirmAfterMs: 0 } });
    h.onConfirm(() => confirmations++);
    await h.trade('ETHUSDT', 'BUY', 1, { booked: false });
    expect((await h.reconciler.run()).status).toBe('failed');
    expect(confirmations).toBe(0);
  });
});

describe('ReconciliationLoop on real timers', () => {
  it('repeats every interval and stops', async () => {
    const h = await paperHarness();
    let runs = 0;
    const loop = createReconciliationLoop({
      reconciler: { run: () => (runs++, h.reconciler.run()) },
      control: h.deps.risk.control,
      alerts: h.deps.alerts,
      log: h.deps.logger,
      intervalMs: 20,
      onMismatch: 'HALTED',
    });
    await loop.start();
    expect(runs).toBe(1);
    await Bun.sleep(150);
    loop.stop();
    const after = runs;
    expect(after).toBeGreaterThanOrEqual(3);
    await Bun.sleep(60);
    expect(runs).toBe(after);
  });
});
