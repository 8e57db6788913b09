import { describe, expect, it } from 'bun:test';
import { stateWord } from '../../../src/domain/risk/state-word.ts';

describe('stateWord', () => {
  it('says KILLED whenever the kill switch is active, whatever the trading state', () => {
    for (const tradingState of ['ACTIVE', 'REDUCING', 'HALTED'] as const)
      expect(stateWord({ killSwitch: { active: true }, tradingState })).toBe('KILLED');
  });

  it('says the trading state when the kill switch is off', () => {
    for (const tradingState of ['ACTIVE', 'REDUCING', 'HALTED'] as const)
      expect(stateWord({ killSwitch: { active: false }, tradingState })).toBe(tradingState);
  });
});
