import { describe, expect, it } from 'bun:test';
import { createLogger } from '../../../src/adapters/logging/logger.ts';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus.ts';
import { createLibsqlEventStore } from '../../../src/adapters/store/libsql/event-store.ts';
import { createControlService } from '../../../src/domain/risk/control-service.ts';
import { tripOnDrawdown } from '../../../src/domain/risk/drawdown-trip.ts';
import {
  actOnDrawdownTrip,
  type DrawdownAction,
} from '../../../src/domain/trading/drawdown-action.ts';
import type { ExchangePosition } from '../../../src/ports/exchange.ts';

const position = (symbol: string, unrealizedPnlUsd: number): ExchangePosition => ({
  symbol,
  quantity: 1,
  entryPrice: 100,
  markPrice: 100 + unrealizedPnlUsd,
  unrealizedPnlUsd,
});
const positions = [position('BTCUSDT', -50), position('ETHUSDT', 20), position('SOLUSDT', -1)];

/** A real control service, and a protection that records which positions it was asked to close. */
async function setup(action: DrawdownAction) {
  const control = await createControlService({
    store: await createLibsqlEventStore({ url: ':memory:', nowMs: Date.now }),
    metrics: createPrometheusMetrics({ version: 't', runtime: 'bun', instance: 't' }),
    log: createLogger({ level: 'silent' }),
    nowMs: Date.now,
    initialState: 'ACTIVE',
  });
  const closed: string[][] = [];
  const reasons: string[] = [];
  const protection = {
    async flatten(reason: string, which?: string | ((p: ExchangePosition) => boolean)) {
      reasons.push(reason);
      const picked = positions.filter((p) => typeof which === 'function' && which(p));
      closed.push(picked.map((p) => p.symbol));
      return { closed: [], failed: [] };
    },
  };
  const log = { warn() {}, error() {} };
  const reaction = actOnDrawdownTrip(control, action, protection, log);
  return { control, closed, reasons, reaction };
}

describe('actOnDrawdownTrip', () => {
  it('flatten: closes every position on an automatic drawdown trip, once', async () => {
    const { control, closed, reasons, reaction } = await setup('flatten');
    expect(await tripOnDrawdown(control, 0.051, 0.05, 'coordinator')).toBe(true);
    expect(await tripOnDrawdown(control, 0.06, 0.05, 'coordinator')).toBe(false);
    await reaction.settled();
    expect(closed).toEqual([['BTCUSDT', 'ETHUSDT', 'SOLUSDT']]);
    expect(reasons).toEqual(['drawdown action flatten: drawdown 5.10% reached the 5.00% limit']);
  });

  it('reduce: closes only the positions in loss', async () => {
    const { control, closed, reaction } = await setup('reduce');
    await tripOnDrawdown(control, 0.05, 0.05, 'risk-engine');
    await reaction.settled();
    expect(closed).toEqual([['BTCUSDT', 'SOLUSDT']]);
  });

  it('cancel: closes nothing (the sweep of open orders is the kill switch’s own)', async () => {
    const { control, closed, reaction } = await setup('cancel');
    await tripOnDrawdown(control, 0.2, 0.05, 'coordinator');
    await reaction.settled();
    expect(closed).toEqual([]);
  });

  it('does not act on a manual trigger, even one that names the drawdown', async () => {
    const { control, closed, reaction } = await setup('flatten');
    await control.apply({ type: 'trigger', reason: 'drawdown limit', by: 'ops', source: 'manual' });
    await reaction.settled();
    expect(closed).toEqual([]);
  });
});
