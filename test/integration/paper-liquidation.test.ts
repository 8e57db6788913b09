// A paper liquidation in the running worker's loop: a 15x long, a shock past its liquidation price,
// and the paper exchange closes it by an `autoclose-` order that the worker books (book flat, order
// and fill events), logs and alerts (PositionLiquidated, as the user-data stream names a live one).
import { describe, expect, test } from 'bun:test';
import { buildTrading } from '../../src/main/build-trading.ts';
import { createTestDeps } from '../helpers/test-deps.ts';

describe('paper liquidation in the loop', () => {
  test('is booked, logged and alerted', async () => {
    const t = await createTestDeps({
      AIS_MARKET_BAR_MS: '40',
      AIS_LOOP_INTERVAL_MS: '50',
      AIS_SYMBOLS: 'BTCUSDT',
      AIS_INITIAL_BALANCE_USD: '10000',
      AIS_PAPER_LEVERAGE: '20',
      AIS_STOP_LOSS: '0',
      AIS_MIN_LIQUIDATION_DISTANCE: '0',
    });
    const trading = buildTrading({
      config: t.deps.config,
      risk: t.risk,
      store: t.store,
      metrics: t.metrics,
      logger: t.deps.logger,
      decisionLog: t.decisionLog,
      nowMs: Date.now,
      alerts: t.deps.alerts,
      overrides: { agents: [] },
    });
    const { market } = trading.paper!;
    const mark = market.price('BTCUSDT')!;
    const quantity = Math.floor(((10_000 * 15) / mark) * 1_000) / 1_000;
    const orderId = 'ais-test-15x';
    await trading.orders.executor.execute({
      orderId,
      riskToken: t.risk.tokens.sign(orderId, Date.now()),
      symbol: 'BTCUSDT',
      side: 'BUY',
      quantity,
      price: mark,
    });
    expect(t.risk.portfolio.get().positions.BTCUSDT!.quantity).toBe(quantity);
    market.shock('BTCUSDT', -0.12);

    trading.loop.start();
    const deadline = Date.now() + 5_000;
    let alerts: Awaited<ReturnType<typeof t.store.query>> = [];
    while (Date.now() < deadline && alerts.length === 0) {
      await Bun.sleep(25);
      alerts = await t.store.query({ type: 'alert', stream: 'PositionLiquidated' });
    }
    await trading.loop.stop();

    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.payload).toMatchObject({
      severity: 'critical',
      status: 'firing',
      labels: { alertname: 'PositionLiquidated', symbol: 'BTCUSDT' },
    });
    expect(String((alerts[0]!.payload as { summary: string }).summary)).toContain(
      `SELL ${quantity}`,
    );
    expect(t.risk.portfolio.get().positions.BTCUSDT).toBeUndefined();
    const fills = await t.store.query({ type: 'fill' });
    expect(
      fills.some((f) =>
        String((f.payload as { order_id: string }).order_id).startsWith('autoclose-'),
      ),
    ).toBe(true);
    expect(t.logs.lines.some((l) => l.message === 'Position liquidated by the exchange')).toBe(
      true,
    );
  });
});
