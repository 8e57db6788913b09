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
} from '../../domain/resilience/breaker.ts';
import type { Metrics } from '../../ports/metrics.ts';
import { CircuitOpenError, classifyError, type Outcome } from './errors.ts';

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

export interface BreakerHandleDeps {
  metrics: Metrics;
  nowMs: () => number;
  /** Called with every transition (log, event, metrics: the registry's job). */
  onTransition(name: string, t: BreakerTransition): void;
  /** Which thrown errors count against the breaker; default classifyError. */
  classify?: (e: unknown) => Outcome;
}

/** The breaker, and the reset kept off its public face (only the registry resets by hand). */
export function createBreakerHandle(name: string, options: BreakerOptions, deps: BreakerHandleDeps) {
  const { metrics, nowMs, onTransition, classify = classifyError } = deps;
  let s = createBreaker(options, nowMs());
  metrics.breakerState(name, 'closed');
  const apply = (step: BreakerStep) => {
    if (step.state !== s) copied = false;
    s = step.state;
    if (step.transition) onTransition(name, step.transition);
  };
  /** A call let through with `generation` threw: a failure that counts, or a neutral outcome. */
  const failed = (e: unknown, generation: number) => {
    if (classify(e) === 'failure') {
      apply(onFailure(s, nowMs(), generation));
      metrics.breakerCall(name, 'failure');
    } else apply(onNeutral(s, nowMs(), generation));
  };
  // Fast path: a closed breaker lets every call through, and a success there never transitions,
  // so it is counted in place (countClosedSuccess) instead of through copies of the state.
  let copied = false;
  /** A call let through closed with `generation` succeeded. */
  const succeeded = (generation: number) => {
    if (s.state === 'closed' && s.generation === generation) {
      // `s` may share its totals and window with an older state from a pure step: own them first.
      if (!copied) {
        s = { ...s, totals: { ...s.totals }, window: s.window.slice() };
        copied = true;
      }
      countClosedSuccess(s, nowMs());
    } else apply(onSuccess(s, nowMs(), generation));
    metrics.breakerCall(name, 'success');
  };
  // The outcome handlers of calls let through in one generation, made once per generation (not
  // two closures per call).
  let handlers = { generation: -1, ok: <T>(v: T) => v, err: (e: unknown): never => { throw e; } };
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
  const breaker: Breaker = {
    name,
    run(fn) {
      if (s.state !== 'closed') return runGated(fn);
      // Closed: every call goes, and its outcome is one `then` away (no async frame of our own).
      const h = handlersOf(s.generation);
      let pending;
      try {
        pending = fn();
      } catch (e) {
        failed(e, h.generation);
        return Promise.reject(e);
      }
      return pending.then(h.ok, h.err);
    },
    state: () => structuredClone(s),
    stats,
  };

  /** Open or half-open: the pure machine decides whether the call goes (a probe) or is refused. */
  async function runGated<T>(fn: () => Promise<T>): Promise<T> {
    const d = canPass(s, nowMs());
    apply(d);
    if (!d.allowed) {
      metrics.breakerCall(name, 'rejection');
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
    metrics.breakerCall(name, 'success');
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
