import { describe, expect, it } from 'bun:test';
import type { ControlService } from '../../../src/domain/risk/control-service.ts';
import { tripOnDrawdown } from '../../../src/domain/risk/drawdown-trip.ts';
import {
  applyControl,
  type ControlEvent,
  initialControl,
} from '../../../src/domain/risk/trading-control.ts';

/** A control service over the pure machine, keeping the events it would store. */
function control() {
  let state = initialControl('ACTIVE');
  const events: ControlEvent[] = [];
  const service: ControlService = {
    state: () => state,
    basis: () => ({ killSwitchId: 0, tradingStateId: 0 }),
    async apply(cmd) {
      const outcome = applyControl(state, cmd, 1_000);
      state = outcome.state;
      if (outcome.ok) events.push(...outcome.events);
      return outcome;
    },
    sync: async () => false,
    idle: async () => undefined,
    subscribe: () => undefined,
  };
  return { service, events };
}

describe('tripOnDrawdown', () => {
  it('triggers the kill switch when the drawdown reaches the limit, saying both as percentages', async () => {
    const c = control();
    expect(await tripOnDrawdown(c.service, 0.05, 0.05, 'coordinator')).toBe(true);
    expect(c.service.state().killSwitch).toMatchObject({
      active: true,
      by: 'coordinator',
      reason: 'drawdown 5.00% reached the 5.00% limit',
    });
    expect(c.events).toEqual([
      {
        type: 'kill_switch',
        payload: {
          active: true,
          reason: 'drawdown 5.00% reached the 5.00% limit',
          by: 'coordinator',
          source: 'drawdown',
        },
      },
    ]);
  });

  it('leaves the switch alone below the limit', async () => {
    const c = control();
    expect(await tripOnDrawdown(c.service, 0.0499, 0.05, 'coordinator')).toBe(false);
    expect(c.service.state().killSwitch.active).toBe(false);
    expect(c.events).toEqual([]);
  });

  it('does not trip a switch that is already on, so only the first path to notice records it', async () => {
    const c = control();
    await tripOnDrawdown(c.service, 0.07, 0.05, 'risk-engine');
    expect(await tripOnDrawdown(c.service, 0.08, 0.05, 'coordinator')).toBe(false);
    expect(c.events).toHaveLength(1);
    expect(c.service.state().killSwitch.by).toBe('risk-engine');
  });

  it('stores the same event from either caller but for who noticed', async () => {
    const [loop, engine] = [control(), control()];
    await tripOnDrawdown(loop.service, 0.06, 0.05, 'coordinator');
    await tripOnDrawdown(engine.service, 0.06, 0.05, 'risk-engine');
    expect({ ...engine.events[0]!.payload, by: 'coordinator' }).toEqual(loop.events[0]!.payload);
  });

  it('does not trip on a drawdown that is not a number (a book with no NAV yet); an unknown one past the limit reads as such', async () => {
    const c = control();
    expect(await tripOnDrawdown(c.service, Number.NaN, 0.05, 'coordinator')).toBe(false);
    expect(await tripOnDrawdown(c.service, Infinity, 0.05, 'risk-engine')).toBe(true);
    expect(c.service.state().killSwitch.reason).toBe(
      'drawdown not a number reached the 5.00% limit',
    );
  });
});
