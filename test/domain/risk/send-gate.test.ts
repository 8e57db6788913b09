// confirmBeforeSend: the check's rule once more as an order leaves. Two control services on one
// store stand for two workers: one stops trading after the other's check, and the order is not sent.
import { describe, expect, it } from 'bun:test';
import { createLogger } from '../../../src/adapters/logging/logger.ts';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus.ts';
import { createLibsqlEventStore } from '../../../src/adapters/store/libsql/event-store.ts';
import { createControlService } from '../../../src/domain/risk/control-service.ts';
import { confirmBeforeSend, TradingStoppedError } from '../../../src/domain/risk/send-gate.ts';
import type { EventStore } from '../../../src/ports/event-store.ts';
import type { Exchange, PlaceOrderRequest } from '../../../src/ports/exchange.ts';

const control = (store: EventStore) =>
  createControlService({
    store,
    metrics: createPrometheusMetrics({
      version: 't',
      runtime: 'bun',
      instance: 't',
      processMetrics: false,
    }),
    log: createLogger({ level: 'silent' }),
    nowMs: Date.now,
    initialState: 'ACTIVE',
  });
/** An exchange that records what it was asked to place. */
const recording = () => {
  const placed: PlaceOrderRequest[] = [];
  const exchange = {
    placeOrder: async (o: PlaceOrderRequest) => {
      placed.push(o);
      return { clientOrderId: o.clientOrderId } as never;
    },
  } as unknown as Exchange;
  return { exchange, placed };
};
const open = (id: string): PlaceOrderRequest => ({
  clientOrderId: id,
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'MARKET',
  quantity: 0.01,
});

describe('confirmBeforeSend', () => {
  it('sends while trading runs, and not after another worker triggers the kill switch or sets HALTED', async () => {
    const store = await createLibsqlEventStore({ url: ':memory:', nowMs: Date.now });
    const [mine, other] = [await control(store), await control(store)];
    const { exchange, placed } = recording();
    const gated = confirmBeforeSend(exchange, mine);
    await gated.placeOrder(open('a'));
    await other.apply({ type: 'trigger', reason: 'drill', by: 'ops', source: 'manual' });
    const refused = await gated.placeOrder(open('b')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TradingStoppedError);
    expect((refused as TradingStoppedError).guard).toBe('kill_switch');
    await other.apply({ type: 'reset', by: 'ops' });
    const halted = await gated.placeOrder(open('c')).catch((e: unknown) => e);
    expect((halted as TradingStoppedError).guard).toBe('trading_state');
    expect(placed.map((o) => o.clientOrderId)).toEqual(['a']);
  });

  it('always sends what can only cut risk: reduce-only and close-position orders', async () => {
    const store = await createLibsqlEventStore({ url: ':memory:', nowMs: Date.now });
    const mine = await control(store);
    await mine.apply({ type: 'trigger', reason: 'drill', by: 'ops', source: 'manual' });
    const { exchange, placed } = recording();
    const gated = confirmBeforeSend(exchange, mine);
    await gated.placeOrder({ ...open('flatten'), side: 'SELL', reduceOnly: true });
    await gated.placeOrder({ ...open('stop'), type: 'STOP_MARKET', closePosition: true });
    expect(placed.map((o) => o.clientOrderId)).toEqual(['flatten', 'stop']);
  });

  it('sends nothing when the store cannot be read', async () => {
    const { exchange, placed } = recording();
    const unreadable = {
      sync: () => Promise.reject(new Error('store down')),
      state: () => ({}) as never,
    };
    await expect(confirmBeforeSend(exchange, unreadable).placeOrder(open('x'))).rejects.toThrow(
      'store down',
    );
    expect(placed).toEqual([]);
  });
});
