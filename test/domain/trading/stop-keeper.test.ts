// Protective stops on the paper exchange, through the real trading composition (buildTrading):
// a stop follows each position, the paper exchange triggers it on the mark, and the keeper books
// the fill so the book and the exchange agree (reconciliation passes).
import { describe, expect, it } from 'bun:test';
import { buildReconciliation } from '../../../src/main/build-reconciliation.ts';
import { buildTrading } from '../../../src/main/build-trading.ts';
import { createTestDeps } from '../../helpers/test-deps.ts';

describe('protective stops on paper', () => {
  it('places a stop after a fill, triggers it on the mark, books the close, and reconciles clean', async () => {
    const t = await createTestDeps({
      AIS_SYMBOLS: 'BTCUSDT',
      AIS_STOP_LOSS: '0.03',
      AIS_MAX_POSITION_WEIGHT: '0.5',
      AIS_MAX_NET_EXPOSURE: '1',
      AIS_MAX_ORDER_NOTIONAL_USD: '60000',
    });
    let now = Date.now();
    const nowMs = () => now;
    const { config, store, metrics, logger, decisionLog, risk, alerts } = { ...t.deps, ...t };
    const trading = buildTrading({
      config,
      risk,
      store,
      metrics,
      logger,
      decisionLog,
      nowMs,
      overrides: { agents: [] },
    });
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
    const paper = trading.paper!;

    trading.coordinator.submitSignal({
      agentId: 'drill',
      symbol: 'BTCUSDT',
      direction: 'LONG',
      confidence: 1,
      sizeHint: 0.2,
      timeMs: now,
      rationale: 'drill',
    });
    await trading.coordinator.runCycle();
    const held = risk.portfolio.get().positions.BTCUSDT!;
    expect(held.quantity).toBeGreaterThan(0);
    await trading.stops!.sync();
    const [stop] = await paper.exchange.openOrders('BTCUSDT');
    expect(stop).toMatchObject({ type: 'STOP_MARKET', side: 'SELL', closePosition: true });
    // 3 % under the entry, rounded up to BTCUSDT's 0.1 tick (toward the market).
    expect(stop!.stopPrice! - held.avgEntryPrice * 0.97).toBeGreaterThanOrEqual(0);
    expect(stop!.stopPrice! - held.avgEntryPrice * 0.97).toBeLessThan(0.1);
    expect(Math.round(stop!.stopPrice! * 10) / 10).toBe(stop!.stopPrice!);
    expect(trading.stops!.stops().get('BTCUSDT')?.clientOrderId).toBe(stop!.clientOrderId);
    expect(await metrics.render()).toContain('ais_protective_stop_price{symbol="BTCUSDT"}');

    // The market falls 10 % in one bar: the exchange's stop fires before the loop sees it.
    paper.market.shock('BTCUSDT', -0.1);
    now += config.market.barMs;
    paper.market.advanceTo(now);
    const trades = paper.exchange.onBar();
    expect(trades).toHaveLength(1);
    expect((await paper.exchange.positions()).length).toBe(0);
    expect(await trading.stops!.sync()).toMatchObject({ executed: 1, placed: 0 });
    expect(risk.portfolio.get().positions.BTCUSDT?.quantity ?? 0).toBeCloseTo(0, 9);
    expect(trading.stops!.stops().size).toBe(0);
    const fills = await store.query({ type: 'fill', limit: 10 });
    expect(fills.map((e) => (e.payload as { order_id: string }).order_id)).toContain(
      stop!.clientOrderId,
    );
    expect((await loop.runNow()).status).toBe('passed');
  });
});
