import { describe, expect, it } from 'bun:test';
import { reconciliationHealth } from '../../../src/domain/reconciliation/health.ts';
import { reconcile } from '../../../src/domain/reconciliation/reconcile.ts';
import { errorReport } from '../../../src/domain/reconciliation/report.ts';

const T = 1_764_000_000_000;
const side = (positions: Record<string, number>) => ({
  positions: Object.entries(positions).map(([symbol, quantity]) => ({ symbol, quantity })),
  equityUsd: 1,
  trades: [],
});
const passed = reconcile(
  { positions: { BTCUSDT: 1 }, navUsd: 1, sentOrderIds: new Set() },
  side({ BTCUSDT: 1 }),
  { nowMs: T },
);
const failed = reconcile(
  { positions: { BTCUSDT: 1 }, navUsd: 1, sentOrderIds: new Set() },
  side({}),
  { nowMs: T },
);

describe('reconciliationHealth', () => {
  it('is ok before the first run and after a clean one', () => {
    expect(reconciliationHealth(undefined, 0, 60_000)).toEqual({
      status: 'ok',
      detail: 'no run yet',
    });
    expect(reconciliationHealth(passed, 5_000, 60_000)).toEqual({
      status: 'ok',
      detail: 'last run 5 s ago passed 2 checks',
    });
  });

  it('stays ok on a divergence, naming it (trading state carries the halt)', () => {
    expect(reconciliationHealth(failed, 0, 60_000)).toEqual({
      status: 'ok',
      detail: 'last run 0 s ago found 1 divergence(s) (BTCUSDT)',
    });
  });

  it('is degraded when the exchange could not be read, or no run came for three intervals', () => {
    expect(
      reconciliationHealth(errorReport('timeout in balance: no answer', T), 0, 60_000),
    ).toMatchObject({ status: 'degraded', detail: expect.stringContaining('timeout in balance') });
    expect(reconciliationHealth(passed, 180_001, 60_000)).toEqual({
      status: 'degraded',
      detail: 'no run for 180 s (every 60 s expected)',
    });
    expect(reconciliationHealth(passed, 180_000, 60_000).status).toBe('ok');
  });
});
