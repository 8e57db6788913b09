import { describe, expect, test } from 'bun:test';
import { bookPaperLiquidations } from '../../../src/domain/trading/paper-liquidations.ts';
import type { ExchangeOrder } from '../../../src/ports/exchange.ts';
import type { RaisedAlert } from '../../../src/ports/alerts.ts';

const order = (id: string) =>
  ({
    symbol: 'ETHUSDT',
    side: 'SELL',
    executedQty: 2,
    avgPrice: 3_000,
    clientOrderId: id,
    orderId: 9,
  }) as unknown as ExchangeOrder;

describe('bookPaperLiquidations', () => {
  test('books each liquidation, logs it as an error and raises PositionLiquidated', async () => {
    const adopted: string[] = [];
    const errors: [object, string][] = [];
    const alerts: RaisedAlert[] = [];
    const n = await bookPaperLiquidations(
      { takeLiquidations: () => [order('autoclose-a'), order('autoclose-b')] },
      { adopt: async (o) => (adopted.push(o.clientOrderId), {}) as never },
      { error: (obj, msg) => errors.push([obj, msg]) },
      { raise: async (a) => void alerts.push(a) },
    );
    expect(n).toBe(2);
    expect(adopted).toEqual(['autoclose-a', 'autoclose-b']);
    expect(errors[0]).toEqual([
      {
        symbol: 'ETHUSDT',
        side: 'SELL',
        quantity: 2,
        price: 3_000,
        client_order_id: 'autoclose-a',
      },
      'Position liquidated by the exchange',
    ]);
    expect(alerts.map((a) => [a.name, a.severity, a.labels])).toEqual([
      ['PositionLiquidated', 'critical', { component: 'exchange', symbol: 'ETHUSDT' }],
      ['PositionLiquidated', 'critical', { component: 'exchange', symbol: 'ETHUSDT' }],
    ]);
  });

  test('an alert that cannot be raised is logged, and the booking goes on', async () => {
    const messages: string[] = [];
    const n = await bookPaperLiquidations(
      { takeLiquidations: () => [order('autoclose-c')] },
      { adopt: async () => ({}) as never },
      { error: (_obj, msg) => messages.push(msg) },
      { raise: async () => Promise.reject(new Error('store down')) },
    );
    expect(n).toBe(1);
    expect(messages).toEqual([
      'Position liquidated by the exchange',
      'Liquidation alert not raised',
    ]);
  });
});
