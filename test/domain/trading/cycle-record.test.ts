import { describe, expect, it } from 'bun:test';
import type { ExchangeOrder } from '../../../src/ports/exchange.ts';
import {
  type CyclePlanRecord,
  cycleDecisionLine,
} from '../../../src/domain/trading/cycle-record.ts';
import { OrderRefusal } from '../../../src/domain/trading/refusals.ts';

const plan: CyclePlanRecord = {
  cycle: 4,
  signals: [
    { agent_id: 'momentum', symbol: 'BTCUSDT', direction: 'LONG', confidence: 1, size_hint: 0.04 },
  ],
  selected: { symbol: 'BTCUSDT', direction: 'LONG', confidence: 1, size_hint: 0.04 },
  order: { order_id: 'w-a', symbol: 'BTCUSDT', side: 'BUY', quantity: 0.08, price: 50_000 },
};
const approved = {
  approved: true,
  checks: [{ guard: 'drawdown' as const, value: 0, limit: 0.05, passed: true }],
};

describe('cycleDecisionLine', () => {
  it('writes the plan, the verdict and the execution in the trail order of fields', () => {
    const order = { orderId: 'x-9', status: 'FILLED' } as ExchangeOrder;
    const line = cycleDecisionLine(
      plan,
      { verdict: approved, execution: { order, fills: [{}, {}] as never } },
      1.5,
    );
    expect(Object.keys(line)).toEqual([
      'kind',
      'cycle',
      'signals',
      'selected',
      'verdict',
      'order',
      'execution',
      'duration_ms',
    ]);
    expect(line).toMatchObject({
      kind: 'cycle_decision',
      verdict: { approved: true, guard: null, reason: null, checks: [['drawdown', 0, 0.05, true]] },
      order: plan.order,
      execution: { exchange_order_id: 'x-9', status: 'FILLED', fills: 2 },
      duration_ms: 1.5,
    });
  });

  it('writes a refusal with its reason and code in place of the execution', () => {
    const refusal = new OrderRefusal(
      { reason: 'margin_insufficient', code: '-2019', message: 'Margin is insufficient.' },
      true,
    );
    expect(cycleDecisionLine(plan, { verdict: approved, refusal }, 1).execution).toEqual({
      refused: 'margin_insufficient',
      code: '-2019',
      held: true,
    });
  });

  it('writes null for what the cycle did not get to', () => {
    const refused = {
      approved: false,
      guard: 'kill_switch' as const,
      reason: 'kill switch active',
      checks: [],
    };
    expect(cycleDecisionLine(plan, { verdict: refused }, 1)).toMatchObject({
      verdict: { approved: false, guard: 'kill_switch', reason: 'kill switch active' },
      execution: null,
    });
    expect(cycleDecisionLine({ ...plan, order: null }, {}, 1)).toMatchObject({
      verdict: null,
      order: null,
      execution: null,
    });
  });
});
