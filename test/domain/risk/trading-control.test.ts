import { describe, expect, it } from 'bun:test';
import {
  isTradingStopped,
  applyControl,
  initialControl,
  restoreControl,
} from '../../../src/domain/risk/trading-control.ts';

describe('trading control state machine', () => {
  const active = initialControl('ACTIVE');

  it('triggers the kill switch once, with who, why and since', () => {
    const r = applyControl(
      active,
      { type: 'trigger', reason: 'fat finger', by: 'alice', source: 'manual' },
      5,
    );
    expect(r.ok && r.events).toEqual([
      {
        type: 'kill_switch',
        payload: { active: true, reason: 'fat finger', by: 'alice', source: 'manual' },
      },
    ]);
    expect(r.state.killSwitch).toEqual({
      active: true,
      reason: 'fat finger',
      sinceMs: 5,
      by: 'alice',
    });
    const again = applyControl(
      r.state,
      { type: 'trigger', reason: 'again', by: 'bob', source: 'manual' },
      6,
    );
    expect(again.ok && again.events).toEqual([]);
    expect(again.state.killSwitch.reason).toBe('fat finger');
  });

  it('refuses any state but HALTED while the kill switch is active; a reset leaves trading HALTED', () => {
    const killed = applyControl(
      active,
      { type: 'trigger', reason: 'x', by: 'a', source: 'drawdown' },
      1,
    ).state;
    for (const state of ['ACTIVE', 'REDUCING'] as const) {
      expect(applyControl(killed, { type: 'set_state', state, by: 'a' }, 2)).toMatchObject({
        ok: false,
        code: 'kill_switch_active',
      });
    }
    const reset = applyControl(killed, { type: 'reset', by: 'a' }, 3);
    expect(reset.state).toMatchObject({ killSwitch: { active: false }, tradingState: 'HALTED' });
    expect(reset.ok && reset.events.map((e) => e.type)).toEqual(['kill_switch', 'trading_state']);
    const resumed = applyControl(
      reset.state,
      { type: 'set_state', state: 'ACTIVE', by: 'a', reason: 'checked' },
      4,
    );
    expect(resumed.state.tradingState).toBe('ACTIVE');
  });

  it('restores from the newest events, falling back only when none are stored', () => {
    expect(restoreControl('HALTED').tradingState).toBe('HALTED');
    const s = restoreControl(
      'ACTIVE',
      {
        payload: { active: true, reason: 'boom', by: 'risk-engine', source: 'drawdown' },
        timeMs: 7,
      },
      { payload: { state: 'REDUCING', previous: 'ACTIVE', reason: null, by: 'a' }, timeMs: 3 },
    );
    expect(s).toMatchObject({
      tradingState: 'REDUCING',
      killSwitch: { active: true, reason: 'boom', sinceMs: 7 },
    });
  });
});

describe('isTradingStopped', () => {
  const off = { active: false };
  it('is stopped while the kill switch is on, whatever the state', () => {
    for (const tradingState of ['ACTIVE', 'REDUCING', 'HALTED'] as const)
      expect(isTradingStopped({ killSwitch: { active: true }, tradingState })).toBe(true);
  });
  it('is stopped when HALTED, not when ACTIVE or REDUCING', () => {
    expect(isTradingStopped({ killSwitch: off, tradingState: 'HALTED' })).toBe(true);
    expect(isTradingStopped({ killSwitch: off, tradingState: 'REDUCING' })).toBe(false);
    expect(isTradingStopped({ killSwitch: off, tradingState: 'ACTIVE' })).toBe(false);
  });
});
