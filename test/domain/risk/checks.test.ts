import { describe, expect, it } from 'bun:test';
import { checkOf, type GuardCheck, storedChecks } from '../../../src/domain/risk/checks.ts';
import { parseEventPayload } from '../../../src/ports/events.ts';

const checks: GuardCheck[] = [
  { guard: 'trading_state', value: 'REDUCING', limit: 'reduce-only', passed: true },
  { guard: 'drawdown', value: null, limit: 0.05, passed: false },
  {
    guard: 'exchange_rules',
    value: 0.0001,
    limit: 0.001,
    passed: false,
    filter: 'LOT_SIZE.minQty',
  },
  { guard: 'order_rate', value: 59, limit: 60, passed: null },
];

const payload = (stored: unknown[]) => ({
  order_id: 'o-1',
  source: 'api',
  order: { symbol: 'BTCUSDT', side: 'BUY', quantity: 0.01, price: 60_000, agent_id: null },
  approved: false,
  guard: 'drawdown',
  reason: 'drawdown reached the limit',
  checks: stored,
});

describe('guard checks', () => {
  it('stores a check as [guard, value, limit, passed], with the filter only when there is one', () => {
    expect(storedChecks(checks)).toEqual([
      ['trading_state', 'REDUCING', 'reduce-only', true],
      ['drawdown', null, 0.05, false],
      ['exchange_rules', 0.0001, 0.001, false, 'LOT_SIZE.minQty'],
      ['order_rate', 59, 60, null],
    ]);
  });

  it('reads a stored check back as the check it was', () => {
    expect(storedChecks(checks).map(checkOf)).toEqual(checks);
  });

  it('reads a row written with the checks as objects as the stored form', () => {
    const old = parseEventPayload('risk_decision', payload(checks));
    const now = parseEventPayload('risk_decision', payload(storedChecks(checks)));
    expect(old.ok && now.ok).toBe(true);
    if (old.ok && now.ok) expect(old.payload.checks).toEqual(now.payload.checks);
    if (now.ok) expect(now.payload.checks).toEqual(storedChecks(checks));
  });
});
