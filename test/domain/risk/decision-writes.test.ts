// adoptOnRefusal: when a refusal by the kill switch or the trading state makes the worker read the
// store's control state again.
import { describe, expect, it } from 'bun:test';
import { adoptOnRefusal } from '../../../src/domain/risk/decision-writes.ts';
import type { RiskDecision } from '../../../src/domain/risk/explain.ts';
import type { DecisionWritten } from '../../../src/ports/event-store.ts';

/** A control service whose syncs wait until released. */
function control() {
  const pending: (() => void)[] = [];
  return {
    syncs: () => pending.length,
    release: async () => {
      pending.shift()?.();
      await new Promise((r) => setTimeout(r, 0));
    },
    sync: () => new Promise<boolean>((r) => pending.push(() => r(true))),
  };
}
const refusal = (guard: string): RiskDecision =>
  ({ orderId: 'o', approved: false, guard, checks: [] }) as unknown as RiskDecision;
const written = (outcome: DecisionWritten['outcome']) => [{ outcome } as DecisionWritten];

describe('adoptOnRefusal', () => {
  it('reads again at once when the store overtook an approval, and once more after a read already running', async () => {
    const c = control();
    const adopt = adoptOnRefusal(c);
    adopt([refusal('kill_switch')], written('kill_switch'), 1_000);
    adopt([refusal('kill_switch')], written('kill_switch'), 1_001);
    adopt([refusal('trading_state')], written('trading_state'), 1_002);
    expect(c.syncs()).toBe(1);
    await c.release();
    // The refusals that came during the first read get one more read, not one each.
    expect(c.syncs()).toBe(1);
    await c.release();
    expect(c.syncs()).toBe(0);
  });

  it('reads at most every 50 ms for local refusals, and never for other guards', async () => {
    const c = control();
    const adopt = adoptOnRefusal(c);
    adopt([refusal('kill_switch')], written('as_decided'), 1_000);
    await c.release();
    adopt([refusal('kill_switch')], written('as_decided'), 1_030);
    expect(c.syncs()).toBe(0);
    adopt([refusal('order_notional')], written('as_decided'), 1_100);
    expect(c.syncs()).toBe(0);
    adopt([refusal('trading_state')], written('as_decided'), 1_100);
    expect(c.syncs()).toBe(1);
  });
});
