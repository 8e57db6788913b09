// One named circuit breaker: drives the pure state machine (src/domain/resilience/breaker.ts)
// around real calls, counts outcomes in metrics and hands each transition to the registry.
import {
  type BreakerOptions,
  type BreakerState,
  type BreakerStep,
  type BreakerTransition,
  canPass,
  countClosedSuccess,
  createBreaker,
  onFailure,
  onNeutral,
  onSuccess,
  resetBreaker,
  restoreOpen,
  windowCounts,
  windowSlot,
} from '../../domain/resilience/breaker.ts';
import type { Metrics } from '../../ports/metrics.ts';
import { CircuitOpenError } from '../../ports/resilience.ts';
import { classifyError, type Outcome } from './errors.ts';
import { GRANTED, type Limiter } from './limiter.ts';

export interface BreakerStats {
  name: string;
  state: BreakerState['state'];
  sinceMs: number;
  openedAtMs: number | null;
  /** Lifetime counts. */
  failures: number;
  successes: number;
  rejections: number;
  /** Calls and failures in the current window. */
  windowCalls: number;
  windowFailures: number;
  probesInFlight: number;
  /** While open: time left of the cool-down. */
  retryAfterMs: number;
  options: BreakerOptions;
}

export interface Breaker {
  readonly name: string;
  /** Runs fn if the breaker lets it through, else rejects with CircuitOpenError without calling it. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** A copy of the plain state (storable). */
  state(): BreakerState;
  stats(): BreakerStats;
}

interface BreakerHandleDeps {
  metrics: Metrics;
  nowMs: () => number;
  /** Called with every transition (log, event, metrics: the registry's job). */
  onTransition(name: string, t: BreakerTransition): void;
  /** Which thrown errors count against the breaker; default classifyError. */
  classify?: (e: unknown) => Outcome;
}

/** The breaker, and the reset kept off its public face (only the registry resets by hand). */
export function createBreakerHandle(
  name: string,
  options: BreakerOptions,
  deps: BreakerHandleDeps,
) {
  const { metrics, nowMs, onTransition, classify = classifyError } = deps;
  let s = createBreaker(options, nowMs());
  metrics.breakerState(name, 'closed');
  metrics.breakerCounts(name, () => s.totals);
  const apply = (step: BreakerStep) => {
    if (step.state !== s) copied = false;
    s = step.state;
    if (step.transition) onTransition(name, step.transition);
  };
  /** A call let through with `generation` threw: a failure that counts, or a neutral outcome. */
  const failed = (e: unknown, generation: number) => {
    if (classify(e) === 'failure') {
      apply(onFailure(s, nowMs(), generation));
    } else apply(onNeutral(s, nowMs(), generation));
  };
  // Fast path: a closed breaker lets every call through, and a success there never transitions,
  // so it is counted in place (countClosedSuccess) instead of through copies of the state.
  let copied = false;
  // The clock as read at the start of the newest closed call. A closed success is counted at this
  // time, not read again (a read costs about 40 ns, a third of the guard's budget): it lies between
  // the start and the end of the call that succeeded, so the success lands in the window early by
  // at most that call's duration. Failures, which are what trip the breaker, read the clock.
  let startedAtMs = s.sinceMs;
  // The window slot of the last closed success, kept while successes fall in its span (every
  // breaker state has the same options, so the same slots).
  let slot = windowSlot(s.options, startedAtMs);
  /** A call let through closed with `generation` succeeded. */
  const succeeded = (generation: number) => {
    if (s.state === 'closed' && s.generation === generation) {
      // `s` may share its totals and window with an older state from a pure step: own them first.
      if (!copied) {
        s = { ...s, totals: { ...s.totals }, window: s.window.slice() };
        copied = true;
      }
      if (startedAtMs < slot.fromMs || startedAtMs > slot.toMs)
        slot = windowSlot(s.options, startedAtMs);
      countClosedSuccess(s, slot);
    } else apply(onSuccess(s, nowMs(), generation));
  };
  // The outcome handlers of calls let through in one generation, made once per generation (not
  // two closures per call).
  let handlers = {
    generation: -1,
    ok: <T>(v: T) => v,
    err: (e: unknown): never => {
      throw e;
    },
  };
  const handlersOf = (generation: number) => {
    if (handlers.generation !== generation) {
      handlers = {
        generation,
        ok: (value) => {
          succeeded(generation);
          return value;
        },
        err: (e) => {
          failed(e, generation);
          throw e;
        },
      };
    }
    return handlers;
  };
  /**
   * Runs fn if the breaker lets it through; with `limiter`, the call first takes one token from it
   * (waiting as Limiter.acquire does; a call that gets none ends `throttled`, which counts neither way).
   */
  function guard<T>(fn: () => Promise<T>, limiter: Limiter | undefined): Promise<T> {
    if (s.state !== 'closed')
      return runGated(limiter ? () => afterToken(fn, limiter, nowMs()) : fn);
    // Closed: every call goes, and its outcome is one `then` away (no async frame of our own).
    // One clock read serves the bucket and the success count.
    const now = nowMs();
    startedAtMs = now;
    const h = handlersOf(s.generation);
    let pending;
    try {
      pending = limiter ? afterToken(fn, limiter, now) : fn();
    } catch (e) {
      failed(e, h.generation);
      return Promise.reject(e);
    }
    return pending.then(h.ok, h.err);
  }
  /** fn once the limiter grants a token: at once (no promise hop) when it is at hand. */
  function afterToken<T>(fn: () => Promise<T>, limiter: Limiter, now: number): Promise<T> {
    const acquired = limiter.acquire(1, undefined, name, now);
    return acquired === GRANTED ? fn() : acquired.then(fn);
  }
  const breaker: Breaker = {
    name,
    run: (fn) => guard(fn, undefined),
    state: () => structuredClone(s),
    stats,
  };

  /** Open or half-open: the pure machine decides whether the call goes (a probe) or is refused. */
  async function runGated<T>(fn: () => Promise<T>): Promise<T> {
    const d = canPass(s, nowMs());
    apply(d);
    if (!d.allowed) {
      throw new CircuitOpenError(name, d.retryAfterMs);
    }
    let value;
    try {
      value = await fn();
    } catch (e) {
      failed(e, d.generation);
      throw e;
    }
    apply(onSuccess(s, nowMs(), d.generation));
    return value;
  }

  function stats(): BreakerStats {
    const now = nowMs();
    const w = windowCounts(s, now);
    const coolDownEnd = (s.openedAtMs ?? now) + s.options.openMs;
    return {
      name,
      state: s.state,
      sinceMs: s.sinceMs,
      openedAtMs: s.openedAtMs,
      failures: s.totals.failures,
      successes: s.totals.successes,
      rejections: s.totals.rejections,
      windowCalls: w.calls,
      windowFailures: w.failures,
      probesInFlight: s.probesInFlight,
      retryAfterMs: s.state === 'open' ? Math.max(0, coolDownEnd - now) : 0,
      options: s.options,
    };
  }
  return {
    breaker,
    /** run(fn) behind the service's rate limiter, if it has one (the registry's guard). */
    guard,
    reset: (by: string) => apply(resetBreaker(s, nowMs(), `reset by ${by}`)),
    /** Back to open if it opened at openedAtMs and its cool-down is not over; true when it did. */
    restoreOpen(openedAtMs: number): boolean {
      s = restoreOpen(s, openedAtMs, nowMs());
      copied = false;
      metrics.breakerState(name, s.state);
      return s.state === 'open';
    },
  };
}
