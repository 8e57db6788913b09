// Circuit breaker as a pure, serialisable state machine: plain data in, plain data out, time passed
// in. closed → open (failure threshold in a sliding window) → half_open (after the cool-down, a
// limited number of concurrent probes) → closed (enough probes succeeded) or open (a probe failed).
import type { BreakerState as BreakerStateName } from '../../ports/metrics.ts';
import { InvalidArgumentError } from '../errors.ts';
import { type BreakerOptions, breakerOptions } from './breaker-options.ts';
import {
  countInto,
  emptyWindow,
  record,
  windowCounts,
  windowSlot,
  type WindowSlot,
} from './breaker-window.ts';

export type { BreakerStateName, BreakerOptions, WindowSlot };
export { breakerOptions, windowCounts, windowSlot };

/** The whole state of one breaker: numbers and strings only, so it can be stored and restored. */
export interface BreakerState {
  options: BreakerOptions;
  state: BreakerStateName;
  /** When the current state began. */
  sinceMs: number;
  /** When the breaker last opened; null if it never did. */
  openedAtMs: number | null;
  /** Bumped on every transition: an outcome reported with an older generation is stale and ignored. */
  generation: number;
  /** Ring of windowSlots × [slot epoch, calls, failures]; slot epoch = floor(t / slotMs). */
  window: number[];
  probesInFlight: number;
  probeSuccesses: number;
  /** Lifetime counts of outcomes and refusals. */
  totals: { successes: number; failures: number; rejections: number };
}

export interface BreakerTransition {
  from: BreakerStateName;
  to: BreakerStateName;
  reason: string;
  atMs: number;
}

export interface BreakerStep {
  state: BreakerState;
  transition?: BreakerTransition;
}

interface PassStep extends BreakerStep {
  allowed: boolean;
  /** The generation to hand back with the outcome (onSuccess/onFailure/onNeutral). */
  generation: number;
  /** When refused: how long until the cool-down ends (0 when probes are simply all in flight). */
  retryAfterMs: number;
}

/** Edges the machine may take; reset (by hand) may close from any state. */
export const BREAKER_EDGES: readonly (readonly [BreakerStateName, BreakerStateName])[] = [
  ['closed', 'open'],
  ['open', 'half_open'],
  ['half_open', 'closed'],
  ['half_open', 'open'],
  ['open', 'closed'],
];

/** A closed breaker with an empty window. */
export function createBreaker(options: Partial<BreakerOptions> = {}, nowMs = 0): BreakerState {
  const o = breakerOptions(options);
  return {
    options: o,
    state: 'closed',
    sinceMs: nowMs,
    openedAtMs: null,
    generation: 0,
    window: emptyWindow(o.windowSlots),
    probesInFlight: 0,
    probeSuccesses: 0,
    totals: { successes: 0, failures: 0, rejections: 0 },
  };
}

/**
 * `onSuccess` of a closed breaker, done in place: the same state as `onSuccess(s, t).state` for
 * any time t of `slot` (windowSlot), without copying the state and its window (a success in the
 * closed state never transitions). For the hot path of a caller that owns `s` and hands out copies
 * only (breaker-handle.ts); everything else goes through the pure functions. Throws when `s` is
 * not closed.
 */
export function countClosedSuccess(s: BreakerState, slot: WindowSlot): void {
  if (s.state !== 'closed')
    throw new InvalidArgumentError(`countClosedSuccess on a ${s.state} breaker`);
  s.totals.successes += 1;
  countInto(s.window, slot, false);
}

function moveTo(
  s: BreakerState,
  to: BreakerStateName,
  nowMs: number,
  reason: string,
  patch: Partial<BreakerState> = {},
): BreakerStep {
  const next: BreakerState = {
    ...s,
    ...patch,
    state: to,
    sinceMs: nowMs,
    generation: s.generation + 1,
    probesInFlight: 0,
    probeSuccesses: 0,
  };
  if (to === 'open') next.openedAtMs = nowMs;
  if (to === 'closed') next.window = emptyWindow(s.options.windowSlots);
  return { state: next, transition: { from: s.state, to, reason, atMs: nowMs } };
}

const coolDownEnd = (s: BreakerState) => (s.openedAtMs ?? s.sinceMs) + s.options.openMs;

/**
 * Whether one call may go now. Closed: yes. Open: no until the cool-down ends, then the breaker
 * moves to half_open. Half_open: yes while fewer than halfOpenMaxProbes probes are in flight
 * (the call takes a probe slot, which its outcome gives back).
 */
export function canPass(s: BreakerState, nowMs: number): PassStep {
  if (s.state === 'closed')
    return { state: s, allowed: true, generation: s.generation, retryAfterMs: 0 };
  let transition: BreakerTransition | undefined;
  if (s.state === 'open') {
    const end = coolDownEnd(s);
    if (nowMs < end) return refuse(s, end - nowMs);
    ({ state: s, transition } = moveTo(
      s,
      'half_open',
      nowMs,
      `cool-down of ${s.options.openMs} ms elapsed`,
    ));
  }
  if (s.probesInFlight >= s.options.halfOpenMaxProbes) return { ...refuse(s, 0), transition };
  return {
    state: { ...s, probesInFlight: s.probesInFlight + 1 },
    allowed: true,
    generation: s.generation,
    retryAfterMs: 0,
    transition,
  };
}

function refuse(s: BreakerState, retryAfterMs: number): PassStep {
  const state = { ...s, totals: { ...s.totals, rejections: s.totals.rejections + 1 } };
  return { state, allowed: false, generation: s.generation, retryAfterMs };
}

const isStale = (s: BreakerState, generation: number) => generation !== s.generation;

/** A call let through with `generation` succeeded. */
export function onSuccess(s: BreakerState, nowMs: number, generation = s.generation): BreakerStep {
  const totals = { ...s.totals, successes: s.totals.successes + 1 };
  if (isStale(s, generation) || s.state === 'open') return { state: { ...s, totals } };
  if (s.state === 'closed') return { state: { ...s, totals, window: record(s, nowMs, false) } };
  const successes = s.probeSuccesses + 1;
  if (successes >= s.options.successesToClose) {
    return moveTo(
      { ...s, totals },
      'closed',
      nowMs,
      `${successes} probe${successes === 1 ? '' : 's'} succeeded`,
    );
  }
  return {
    state: { ...s, totals, probesInFlight: s.probesInFlight - 1, probeSuccesses: successes },
  };
}

/** A call let through with `generation` failed in a way that counts (an outage, not the caller's mistake). */
export function onFailure(s: BreakerState, nowMs: number, generation = s.generation): BreakerStep {
  const totals = { ...s.totals, failures: s.totals.failures + 1 };
  if (isStale(s, generation) || s.state === 'open') return { state: { ...s, totals } };
  if (s.state === 'half_open')
    return moveTo({ ...s, totals }, 'open', nowMs, 'a half-open probe failed');
  const next = { ...s, totals, window: record(s, nowMs, true) };
  const reason = tripReason(next, nowMs);
  return reason ? moveTo(next, 'open', nowMs, reason) : { state: next };
}

function tripReason(s: BreakerState, nowMs: number): string | undefined {
  const o = s.options;
  const { calls, failures } = windowCounts(s, nowMs);
  if (o.mode === 'count') {
    return failures >= o.failureThreshold
      ? `${failures} failures within ${o.windowMs} ms (threshold ${o.failureThreshold})`
      : undefined;
  }
  if (calls < o.minimumCalls || failures / calls < o.failureRate) return undefined;
  return `${failures} of ${calls} calls failed within ${o.windowMs} ms (rate ${(failures / calls).toFixed(2)} ≥ ${o.failureRate})`;
}

/**
 * A call ended in a way that says nothing about the service (the caller's own 4xx, a throttled
 * call that never went out): it counts neither way, but gives its half-open probe slot back.
 */
export function onNeutral(s: BreakerState, _nowMs: number, generation = s.generation): BreakerStep {
  if (isStale(s, generation) || s.state !== 'half_open') return { state: s };
  return { state: { ...s, probesInFlight: Math.max(0, s.probesInFlight - 1) } };
}

/** Closes the breaker by hand (an operator's reset); no transition when it is already closed. */
export function resetBreaker(
  s: BreakerState,
  nowMs: number,
  reason = 'reset by hand',
): BreakerStep {
  if (s.state === 'closed') return { state: { ...s, window: emptyWindow(s.options.windowSlots) } };
  return moveTo(s, 'closed', nowMs, reason);
}

/**
 * A breaker that was open when the process stopped comes back open for the rest of its cool-down
 * (no burst of calls at a service that was down a moment ago); after the cool-down it stays closed,
 * as a half-open probe would have closed it or opened it again at once. No transition: nothing new
 * happened, the stored event already says it opened.
 */
export function restoreOpen(s: BreakerState, openedAtMs: number, nowMs: number): BreakerState {
  if (!(openedAtMs <= nowMs) || nowMs >= openedAtMs + s.options.openMs) return s;
  return {
    ...s,
    state: 'open',
    sinceMs: openedAtMs,
    openedAtMs,
    generation: s.generation + 1,
    probesInFlight: 0,
    probeSuccesses: 0,
  };
}
