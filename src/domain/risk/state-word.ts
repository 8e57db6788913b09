// One word for whether the worker may trade, so that an operator never reads two states side by
// side ("Trading ACTIVE" beside "KILL SWITCH ACTIVE"): the kill switch outranks the trading state.
import type { TradingState } from '../../ports/metrics.ts';

/** KILLED (kill switch on), else the trading state: HALTED, REDUCING (only exposure-reducing orders) or ACTIVE. */
export type StateWord = 'KILLED' | TradingState;

/** The word for a control state: KILLED whenever the kill switch is active, else its trading state. */
export function stateWord(s: {
  killSwitch: { active: boolean };
  tradingState: TradingState;
}): StateWord {
  return s.killSwitch.active ? 'KILLED' : s.tradingState;
}
