// The resilience registry: named circuit breakers (pure state machines from the domain, driven
// here) and rate limiters (WASM token buckets), one per outside service. Every breaker transition
// is logged, stored as a breaker_transition event and exported as metrics.
import { InvalidArgumentError } from '../../domain/errors.ts';
import {
  type BreakerOptions,
  type BreakerTransition,
  breakerOptions,
} from '../../domain/resilience/breaker.ts';
import { EventType, type EventStore, type StoredEvent } from '../../ports/event-store.ts';
import type { LogPort } from '../../ports/log.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { CallGuard } from '../../ports/resilience.ts';
import type { TokenBucketCore } from '../../ports/risk-core.ts';
import { type Breaker, type BreakerStats, createBreakerHandle } from './breaker-handle.ts';
import type { Outcome } from './errors.ts';
import { createLimiter, type Limiter, type LimiterOptions, type LimiterStats } from './limiter.ts';

export interface ResilienceDeps {
  core: TokenBucketCore;
  metrics: Metrics;
  store: EventStore;
  /** The breaker logger (`ais.resilience.breaker`); limiter pauses log here too unless limiterLog is given. */
  log: LogPort;
  limiterLog?: LogPort;
  nowMs: () => number;
  /** How waiting for tokens sleeps; tests pass one that moves their clock. */
  sleep?: (ms: number) => Promise<void>;
  /** Options of breakers the guard creates on first use. */
  defaultBreaker?: Partial<BreakerOptions>;
}

export type { Breaker, BreakerStats };

interface ResilienceStats {
  breakers: BreakerStats[];
  limiters: LimiterStats[];
}

export interface Resilience {
  /** The registry's clock (the one its buckets and breakers run on). */
  readonly nowMs: () => number;
  /** The breaker of that name, created with `options` on first use (later options are ignored). */
  breaker(
    name: string,
    options?: Partial<BreakerOptions> & { classify?: (e: unknown) => Outcome },
  ): Breaker;
  /** The limiter of that name; options are required on first use and must match later. */
  limiter(name: string, options?: LimiterOptions): Limiter;
  /** Runs fn through the service's breaker, and its limiter (1 token) when one has that name. */
  guard: CallGuard;
  stats(): ResilienceStats;
  /** Closes a breaker by hand; undefined for an unknown name, else its stats after the reset. */
  resetBreaker(name: string, by?: string): Promise<BreakerStats | undefined>;
  /**
   * After a restart: every existing breaker whose newest stored transition (breaker_transition
   * events, stream = breaker name) opened it less than its cool-down ago is open again. Returns their names.
   */
  restore(transitions: readonly StoredEvent<'breaker_transition'>[]): string[];
  /** Resolves once every transition event so far is stored (or failed and was logged). */
  settled(): Promise<void>;
}

const sleepReal = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Names are metric label values and URL segments (POST /v1/resilience/breakers/:name/reset). */
export const RESILIENCE_NAME = /^[A-Za-z0-9_.:-]{1,128}$/;
const checkName = (kind: string, name: string) => {
  if (!RESILIENCE_NAME.test(name))
    throw new InvalidArgumentError(
      `${kind} name ${JSON.stringify(name)}: expected 1-128 letters, digits, _ . : or -`,
    );
};

export function createResilience(deps: ResilienceDeps): Resilience {
  const { core, metrics, store, log, nowMs } = deps;
  const sleep = deps.sleep ?? sleepReal;
  const limiterLog = deps.limiterLog ?? log;
  // Each breaker with the limiter of the same name, if any: what guard() needs in one lookup.
  const breakers = new Map<
    string,
    ReturnType<typeof createBreakerHandle> & { limiter: Limiter | undefined }
  >();
  const limiters = new Map<string, Limiter>();
  const pending = new Set<Promise<unknown>>();
  // The last bucket belongs to the risk engine's order_rate guard (src/main/build-risk.ts).
  const reservedIndex = core.maxBuckets - 1;
  const usedIndexes = new Set<number>();

  function record(name: string, t: BreakerTransition) {
    const fields = { breaker: name, from: t.from, to: t.to, reason: t.reason };
    if (t.to === 'open') log.warn(fields, 'Circuit breaker opened');
    else
      log.info(fields, t.to === 'closed' ? 'Circuit breaker closed' : 'Circuit breaker half-open');
    metrics.breakerTransition(name, t.from, t.to);
    const p = store
      .append({
        type: EventType.breakerTransition,
        stream: name,
        // No timeMs: the store stamps the wall clock (a record); t.atMs is the monotonic clock's.
        payload: { name, from: t.from, to: t.to, reason: t.reason },
      })
      .catch((err: unknown) =>
        log.error({ err, breaker: name }, 'Could not store a breaker transition'),
      )
      .finally(() => pending.delete(p));
    pending.add(p);
    return p;
  }

  function allocate(requested?: number): number {
    if (requested !== undefined) {
      if (!Number.isInteger(requested) || requested < 0 || requested >= reservedIndex) {
        throw new InvalidArgumentError(
          `bucket index ${requested}: expected a whole number from 0 to ${reservedIndex - 1} (${reservedIndex} is the risk engine's)`,
        );
      }
      if (usedIndexes.has(requested))
        throw new InvalidArgumentError(`bucket index ${requested} is already taken`);
      return requested;
    }
    for (let i = 0; i < reservedIndex; i++) if (!usedIndexes.has(i)) return i;
    throw new InvalidArgumentError(`no free token bucket: all ${reservedIndex} are taken`);
  }

  /** A new breaker of that name (throws InvalidArgumentError for a bad name or bad options). */
  function handleOf(
    name: string,
    options: Partial<BreakerOptions> & { classify?: (e: unknown) => Outcome } = {},
  ) {
    checkName('breaker', name);
    const { classify, ...rest } = options;
    const handle = createBreakerHandle(name, breakerOptions({ ...deps.defaultBreaker, ...rest }), {
      metrics,
      nowMs,
      classify,
      onTransition: record,
    });
    const entry = { ...handle, limiter: limiters.get(name) };
    breakers.set(name, entry);
    return entry;
  }

  const resilience: Resilience = {
    nowMs,
    breaker: (name, options) => (breakers.get(name) ?? handleOf(name, options)).breaker,
    limiter(name, options) {
      const existing = limiters.get(name);
      if (existing) {
        if (
          options &&
          (options.capacity !== existing.capacity || options.refillPerSec !== existing.refillPerSec)
        ) {
          throw new InvalidArgumentError(
            `limiter ${name} exists with capacity ${existing.capacity} and ${existing.refillPerSec}/s`,
          );
        }
        return existing;
      }
      if (!options) throw new InvalidArgumentError(`no limiter named ${name}`);
      checkName('limiter', name);
      const index = allocate(options.bucketIndex);
      const l = createLimiter(name, index, options, {
        core,
        metrics,
        log: limiterLog,
        nowMs,
        sleep,
      });
      usedIndexes.add(index);
      limiters.set(name, l);
      const entry = breakers.get(name);
      if (entry) entry.limiter = l;
      return l;
    },
    guard(service, fn) {
      try {
        const entry = breakers.get(service) ?? handleOf(service);
        return entry.guard(fn, entry.limiter);
      } catch (e) {
        return Promise.reject(e); // a bad name: the caller gets a rejected promise, as for any failure
      }
    },
    stats: () => ({
      breakers: [...breakers.values()].map((b) => b.breaker.stats()),
      limiters: [...limiters.values()].map((l) => l.stats()),
    }),
    restore(transitions) {
      // The newest transition of each existing breaker decides (events come newest first or not: sort).
      const newest = new Map<string, { timeMs: number; to: string }>();
      for (const t of transitions) {
        const to = t.payload.to;
        const seen = newest.get(t.stream);
        if (!seen || t.timeMs >= seen.timeMs) newest.set(t.stream, { timeMs: t.timeMs, to });
      }
      const reopened: string[] = [];
      for (const [name, t] of newest) {
        const entry = breakers.get(name);
        if (entry && t.to === 'open' && entry.restoreOpen(t.timeMs)) reopened.push(name);
      }
      if (reopened.length)
        log.warn({ breakers: reopened }, 'Circuit breakers restored open from before the restart');
      return reopened;
    },
    async resetBreaker(name, by = 'api') {
      const entry = breakers.get(name);
      if (!entry) return undefined;
      entry.reset(by);
      await resilience.settled();
      return entry.breaker.stats();
    },
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
  return resilience;
}
