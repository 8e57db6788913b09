// A guard's outcome: the one shape of a check from the engine through the API answer and the
// decision trail, and its stored encoding (the `checks` of a risk_decision or cycle_decision
// payload), converted here and nowhere else.
import type { CLOSE_POSITION, GuardName } from './guards.ts';

/** A figure or limit: a number, a word (the trading state) or null (unknown, or not finite). */
type Figure = number | string | null;

export interface GuardCheck {
  guard: GuardName | typeof CLOSE_POSITION;
  /** The figure after the order (null when not a finite number). */
  value: Figure;
  limit: Figure;
  /** null when the guard was not evaluated (order_rate is spent only by an otherwise clean order). */
  passed: boolean | null;
  /** exchange_rules only, when it fails: the exchange filter and its rule (`LOT_SIZE.stepSize`); value and limit are then the order's figure and the filter's bound. */
  filter?: string;
}

/**
 * A check as stored: `[guard, value, limit, passed]`, plus the filter when exchange_rules names
 * one; about half the bytes of the object, the same facts (ports/events-trading.ts validates it).
 */
export type StoredCheck =
  | [guard: string, value: Figure, limit: Figure, passed: boolean | null]
  | [guard: string, value: Figure, limit: Figure, passed: boolean | null, filter: string];

/** A check's facts whatever names its guard: a GuardCheck, or an old row's object read back. */
type CheckFacts = Omit<GuardCheck, 'guard'> & { guard: string };

/** The stored form of one check. */
export const storedCheck = (c: CheckFacts): StoredCheck =>
  c.filter === undefined
    ? [c.guard, c.value, c.limit, c.passed]
    : [c.guard, c.value, c.limit, c.passed, c.filter];

/** The stored form of a verdict's checks. */
export const storedChecks = (checks: readonly GuardCheck[]): StoredCheck[] =>
  checks.map(storedCheck);

/** A stored check back as a GuardCheck (the guard as it was stored: rows outlive guard names). */
export function checkOf([guard, value, limit, passed, filter]: StoredCheck): GuardCheck {
  const c: GuardCheck = { guard: guard as GuardCheck['guard'], value, limit, passed };
  if (filter !== undefined) c.filter = filter;
  return c;
}
