// The risk guards in their fixed order, with the status codes the WASM core and the reference return
// (wasm/assembly/risk.ts): 0 approved, else the first failing guard; bit k of a mask = guard k failed.

export const GUARDS = [
  'kill_switch',
  'trading_state',
  'drawdown',
  'daily_loss',
  'leverage',
  'gross_exposure',
  'net_exposure',
  'position_weight',
  'order_notional',
  'margin',
  'liquidation_distance',
  'exchange_rules',
  'order_rate',
] as const;
export type GuardName = (typeof GUARDS)[number];

/** Not a guard: the order or the account held NaN, ±Infinity, a zero quantity or a price ≤ 0. */
export const INVALID_INPUT = 'invalid_input';
/**
 * Not a guard of the engine: the rule of a closing order (a flatten), which passes the kill switch
 * and the trading state only when it closes at most the position, reduce-only (risk-service.ts).
 */
export const CLOSE_POSITION = 'close_position' as const;
export type RejectionReason = GuardName | typeof INVALID_INPUT;
/** What a verdict may name: a guard, invalid input, or the closing rule. */
export type VerdictGuard = RejectionReason | typeof CLOSE_POSITION;

export const Status = {
  APPROVED: 0,
  KILL_SWITCH: 1,
  TRADING_STATE: 2,
  DRAWDOWN: 3,
  DAILY_LOSS: 4,
  LEVERAGE: 5,
  GROSS_EXPOSURE: 6,
  NET_EXPOSURE: 7,
  POSITION_WEIGHT: 8,
  ORDER_NOTIONAL: 9,
  MARGIN: 10,
  LIQUIDATION_DISTANCE: 11,
  EXCHANGE_RULES: 12,
  ORDER_RATE: 13,
  INVALID_INPUT: 14,
} as const;

/** Bad numbers fail every numeric guard, drawdown through exchange_rules (bits 3-12). */
export const GARBAGE_FAILS = 0x1ff8;

/** The guard (or invalid_input) named by a non-zero status code. */
export function rejectionOf(status: number): RejectionReason {
  return status === Status.INVALID_INPUT ? INVALID_INPUT : GUARDS[status - 1]!;
}

/** Trading states as numbers across the WASM boundary (the same as ais_trading_state). */
export const TRADING_STATE_CODE = { ACTIVE: 0, REDUCING: 1, HALTED: 2 } as const;
