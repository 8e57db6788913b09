// Symbol holds are stored and restored: a restart never lifts one by itself; a clear does.
import { describe, expect, it } from 'bun:test';
import { createLogger } from '../../../src/adapters/logging/logger.ts';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus.ts';
import { createLibsqlEventStore } from '../../../src/adapters/store/libsql/event-store.ts';
import { createSymbolHoldService } from '../../../src/domain/risk/symbol-hold-service.ts';
import { stricterState } from '../../../src/domain/risk/symbol-holds.ts';

async function setup() {
  const store = await createLibsqlEventStore({ url: ':memory:', nowMs: Date.now });
  const metrics = createPrometheusMetrics({
    version: 'test',
    runtime: 'bun',
    instance: 'test',
    processMetrics: false,
  });
  const start = () =>
    createSymbolHoldService({
      store,
      metrics,
      log: createLogger({ level: 'silent' }),
      nowMs: Date.now,
    });
  return { store, metrics, start };
}

const liquidation = {
  state: 'REDUCING',
  cause: 'liquidation',
  reason: 'drill',
  by: 'exchange',
} as const;

describe('symbol holds', () => {
  it('restores a hold after a restart, and forgets it once cleared', async () => {
    const h = await setup();
    const first = await h.start();
    await first.hold('BTCUSDT', liquidation);
    expect(await h.metrics.render()).toContain(
      'ais_symbol_hold{symbol="BTCUSDT",cause="liquidation"} 1',
    );
    const second = await h.start();
    expect(second.of('BTCUSDT')).toMatchObject(liquidation);
    expect(second.of('ETHUSDT')).toBeUndefined();
    expect(await second.clear('BTCUSDT', 'alice')).toBe(true);
    expect(await second.clear('BTCUSDT', 'alice')).toBe(false);
    expect((await h.start()).all()).toEqual({});
  });

  it('never loosens a hold: a REDUCING hold does not replace a HALTED one', async () => {
    const h = await setup();
    const s = await h.start();
    await s.hold('BTCUSDT', { ...liquidation, state: 'HALTED' });
    await s.hold('BTCUSDT', liquidation);
    expect(s.of('BTCUSDT')?.state).toBe('HALTED');
    expect(stricterState('ACTIVE', 'REDUCING')).toBe('REDUCING');
    expect(stricterState('HALTED', 'REDUCING')).toBe('HALTED');
    expect(stricterState('REDUCING', undefined)).toBe('REDUCING');
  });
});
