import { describe, expect, it } from 'bun:test';
import type { Signal } from '../../../src/domain/trading/agents/agent.ts';
import { arbitrate } from '../../../src/domain/trading/arbitration.ts';

const sig = (
  agentId: string,
  symbol: string,
  direction: Signal['direction'],
  confidence: number,
  sizeHint = 0.02,
): Signal => ({
  agentId,
  symbol,
  direction,
  confidence,
  sizeHint,
  rationale: 'test',
  timeMs: 0,
});

describe('arbitrate', () => {
  it('selects nothing from no signals', () => {
    expect(arbitrate([])).toBeUndefined();
  });

  it('picks the symbol with the strongest net weighted vote', () => {
    const s = arbitrate([sig('a', 'BTCUSDT', 'LONG', 0.5), sig('b', 'ETHUSDT', 'SHORT', 0.9)]);
    expect(s).toMatchObject({ symbol: 'ETHUSDT', direction: 'SHORT', confidence: 0.9 });
  });

  it('lets opposing votes cancel', () => {
    expect(
      arbitrate([sig('a', 'BTCUSDT', 'LONG', 0.8), sig('b', 'BTCUSDT', 'SHORT', 0.8)]),
    ).toBeUndefined();
  });

  it('weighs agents by their configured weight', () => {
    const signals = [sig('a', 'BTCUSDT', 'LONG', 0.6), sig('b', 'BTCUSDT', 'SHORT', 0.6)];
    expect(arbitrate(signals, { a: 3, b: 1 })).toMatchObject({
      direction: 'LONG',
      confidence: (3 * 0.6 - 0.6) / 4,
    });
  });

  it('keeps the supporting signals and blends their size hints by confidence', () => {
    const s = arbitrate([
      sig('a', 'BTCUSDT', 'LONG', 1, 0.04),
      sig('b', 'BTCUSDT', 'LONG', 0.5, 0.01),
    ]);
    expect(s?.supporting.map((x) => x.agentId)).toEqual(['a', 'b']);
    expect(s?.sizeHint).toBeCloseTo((0.04 + 0.005) / 1.5, 10);
  });

  it('drops a winner below the minimum confidence', () => {
    expect(arbitrate([sig('a', 'BTCUSDT', 'LONG', 0.05)])).toBeUndefined();
  });
});
