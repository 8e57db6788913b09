// Kill switch and trading state as one pure, serialisable state machine: (state, command, nowMs) →
// {state, events} or a refusal. The kill switch overrides the trading state; a reset leaves
// trading HALTED, so only an explicit ACTIVE re-enables it.
import type { EventPayload } from '../../ports/events.ts';
import type { TradingState } from '../../ports/metrics.ts';

export interface ControlState {
  killSwitch: { active: boolean; reason: string | null; sinceMs: number | null; by: string | null };
  tradingState: TradingState;
  tradingReason: string | null;
  tradingSinceMs: number | null;
}

/**
 * Trading stops here, and nowhere else: while the kill switch is on or the state is HALTED only
 * orders that close or reduce may go (ais_loop_halted, /health `halted`).
 */
export const isTradingStopped = (s: {
  killSwitch: { active: boolean };
  tradingState: TradingState;
}): boolean => s.killSwitch.active || s.tradingState === 'HALTED';

/** True when a change stops trading: the kill switch goes on, or the state becomes HALTED. */
export const stopsTrading = (s: ControlState, previous: ControlState): boolean =>
  (s.killSwitch.active && !previous.killSwitch.active) ||
  (s.tradingState === 'HALTED' && previous.tradingState !== 'HALTED');

type KillSwitchSource = 'manual' | 'drawdown';

export type ControlCommand =
  | { type: 'trigger'; reason: string; by: string; source: KillSwitchSource }
  | { type: 'reset'; by: string; reason?: string }
  | { type: 'set_state'; state: TradingState; by: string; reason?: string };

/** The payloads of the control events (their schemas: src/ports/events.ts). */
type KillSwitchPayload = EventPayload<'kill_switch'>;
type TradingStatePayload = EventPayload<'trading_state'>;
export type ControlEvent =
  | { type: 'kill_switch'; payload: KillSwitchPayload }
  | { type: 'trading_state'; payload: TradingStatePayload };

export type ControlOutcome =
  | { ok: true; state: ControlState; events: ControlEvent[] }
  | { ok: false; state: ControlState; code: 'kill_switch_active'; message: string };

export function initialControl(tradingState: TradingState): ControlState {
  return {
    killSwitch: { active: false, reason: null, sinceMs: null, by: null },
    tradingState,
    tradingReason: null,
    tradingSinceMs: null,
  };
}

const setState = (
  s: ControlState,
  state: TradingState,
  reason: string | null,
  by: string,
  nowMs: number,
): [ControlState, ControlEvent[]] =>
  s.tradingState === state
    ? [s, []]
    : [
        { ...s, tradingState: state, tradingReason: reason, tradingSinceMs: nowMs },
        [{ type: 'trading_state', payload: { state, previous: s.tradingState, reason, by } }],
      ];

export function applyControl(s: ControlState, cmd: ControlCommand, nowMs: number): ControlOutcome {
  switch (cmd.type) {
    case 'trigger': {
      if (s.killSwitch.active) return { ok: true, state: s, events: [] };
      const state = {
        ...s,
        killSwitch: { active: true, reason: cmd.reason, sinceMs: nowMs, by: cmd.by },
      };
      return {
        ok: true,
        state,
        events: [
          {
            type: 'kill_switch',
            payload: { active: true, reason: cmd.reason, by: cmd.by, source: cmd.source },
          },
        ],
      };
    }
    case 'reset': {
      if (!s.killSwitch.active) return { ok: true, state: s, events: [] };
      const cleared = {
        ...s,
        killSwitch: { active: false, reason: null, sinceMs: null, by: null },
      };
      const [state, halted] = setState(
        cleared,
        'HALTED',
        cmd.reason ?? 'kill switch reset',
        cmd.by,
        nowMs,
      );
      return {
        ok: true,
        state,
        events: [
          {
            type: 'kill_switch',
            payload: { active: false, reason: cmd.reason ?? null, by: cmd.by },
          },
          ...halted,
        ],
      };
    }
    case 'set_state': {
      if (s.killSwitch.active && cmd.state !== 'HALTED') {
        return {
          ok: false,
          state: s,
          code: 'kill_switch_active',
          message:
            'the kill switch is active: reset it first (trading then stays HALTED until set ACTIVE)',
        };
      }
      const [state, events] = setState(s, cmd.state, cmd.reason ?? null, cmd.by, nowMs);
      return { ok: true, state, events };
    }
  }
}

/** Ids of newest control rows whose payload could not be read (a corrupt row, a newer worker's shape). */
export interface UnreadableControl {
  killSwitchId?: number;
  tradingStateId?: number;
}

/**
 * The state rebuilt from the newest stored kill_switch and trading_state events (and their times).
 * Fails closed: when the newest row of either cannot be read, the older readable one is not
 * trusted: an unreadable kill_switch keeps the kill switch on, an unreadable trading_state keeps
 * trading HALTED, each until an operator changes it (which stores a readable row).
 */
export function restoreControl(
  fallback: TradingState,
  killSwitch?: { payload: KillSwitchPayload; timeMs: number },
  trading?: { payload: TradingStatePayload; timeMs: number },
  unreadable: UnreadableControl = {},
): ControlState {
  const s = initialControl(trading?.payload.state ?? fallback);
  if (trading)
    Object.assign(s, { tradingReason: trading.payload.reason, tradingSinceMs: trading.timeMs });
  if (unreadable.tradingStateId !== undefined) {
    Object.assign(s, {
      tradingState: 'HALTED',
      tradingReason: `the newest stored trading_state event (id ${unreadable.tradingStateId}) could not be read`,
      tradingSinceMs: null,
    });
  }
  if (unreadable.killSwitchId !== undefined) {
    const reason = `the newest stored kill_switch event (id ${unreadable.killSwitchId}) could not be read: kept on until an operator resets it`;
    s.killSwitch = { active: true, reason, sinceMs: null, by: 'store' };
  } else if (killSwitch?.payload.active) {
    s.killSwitch = {
      active: true,
      reason: killSwitch.payload.reason,
      sinceMs: killSwitch.timeMs,
      by: killSwitch.payload.by,
    };
  }
  return s;
}

/** The kill switch as /health and the control API show it. */
export function killSwitchView(s: ControlState): {
  active: boolean;
  reason: string | null;
  since: string | null;
} {
  const k = s.killSwitch;
  return {
    active: k.active,
    reason: k.reason,
    since: k.sinceMs === null ? null : new Date(k.sinceMs).toISOString(),
  };
}
