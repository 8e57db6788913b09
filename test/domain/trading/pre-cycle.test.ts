import { describe, expect, test } from 'bun:test';
import { createPreCycle, type PreCycleOptions } from '../../../src/domain/trading/pre-cycle.ts';
import type { ExchangeOrder } from '../../../src/ports/exchange.ts';

const liquidation = {
  symbol: 'BTCUSDT',
  side: 'SELL',
  executedQty: 1,
  avgPrice: 50_000,
  clientOrderId: 'autoclose-1',
  orderId: 7,
} as unknown as ExchangeOrder;

/** A recorder of what the jobs did, in order, with clocks the test moves (`stepWall` steps only the wall clock). */
function rig(o: { paper?: boolean; stops?: boolean; inFlight?: number; bars?: number[] } = {}) {
  const calls: string[] = [];
  let now = 1_000;
  let wallStep = 0;
  const bars = [...(o.bars ?? [])];
  let liquidations: ExchangeOrder[] = [liquidation];
  const options: PreCycleOptions = {
    paper: o.paper
      ? {
          market: { advanceTo: (ms) => (calls.push(`advance ${ms}`), bars.shift() ?? 0) },
          exchange: {
            onBar: () => (calls.push('onBar'), ['trade']),
            takeLiquidations: () => {
              const taken = liquidations;
              liquidations = [];
              return taken;
            },
          },
        }
      : undefined,
    executor: {
      adopt: async (order) => (calls.push(`adopt ${order.clientOrderId}`), {}) as never,
      resolveInFlight: async () => (calls.push('resolveInFlight'), 0),
    },
    inFlight: { size: o.inFlight ?? 0 },
    syncStops: o.stops ? async () => calls.push('syncStops') : undefined,
    alerts: { raise: async (a) => void calls.push(`alert ${a.name}`) },
    log: { error: () => undefined },
    nowMs: () => now + wallStep,
    monoMs: () => now,
    stopSyncMs: 5_000,
  };
  return {
    calls,
    run: createPreCycle(options),
    advance: (ms: number) => (now += ms),
    stepWall: (ms: number) => (wallStep += ms),
  };
}

describe('createPreCycle', () => {
  test('paper: a new bar is traded, its liquidations booked and alerted, then the stops synced', async () => {
    const r = rig({ paper: true, stops: true, bars: [1] });
    await r.run();
    expect(r.calls).toEqual([
      'advance 1000',
      'onBar',
      'adopt autoclose-1',
      'alert PositionLiquidated',
      'syncStops',
    ]);
  });

  test('paper: no new bar, no trading, no stop sync', async () => {
    const r = rig({ paper: true, stops: true, bars: [0] });
    await r.run();
    expect(r.calls).toEqual(['advance 1000']);
  });

  test('orders left in flight are looked up before the cycle', async () => {
    const r = rig({ inFlight: 1 });
    await r.run();
    expect(r.calls).toContain('resolveInFlight');
    const idle = rig({ inFlight: 0 });
    await idle.run();
    expect(idle.calls).not.toContain('resolveInFlight');
  });

  test('a real exchange: stops synced at most every stopSyncMs', async () => {
    const r = rig({ stops: true });
    await r.run();
    r.advance(4_999);
    await r.run();
    expect(r.calls).toEqual(['syncStops']);
    r.advance(1);
    await r.run();
    expect(r.calls).toEqual(['syncStops', 'syncStops']);
  });

  test('a wall-clock step of an hour neither stalls nor hurries the stop sync', async () => {
    const r = rig({ stops: true });
    await r.run();
    r.stepWall(-3_600_000); // back: on the wall clock the next sync would be an hour away
    r.advance(5_000);
    await r.run();
    expect(r.calls).toEqual(['syncStops', 'syncStops']);
    r.stepWall(+7_200_000); // forward: on the wall clock every cycle would be due
    r.advance(1_000);
    await r.run();
    await r.run();
    expect(r.calls).toEqual(['syncStops', 'syncStops']);
    r.advance(4_000);
    await r.run();
    expect(r.calls).toEqual(['syncStops', 'syncStops', 'syncStops']);
  });

  test('without stops nothing is synced', async () => {
    const r = rig({ stops: false });
    await r.run();
    expect(r.calls).toEqual([]);
  });
});
