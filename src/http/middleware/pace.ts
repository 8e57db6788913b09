// Paces a route to at most `perSecond` answers a second: a request past the pace waits for its slot
// (a timer, no work) instead of being served at once, and one whose slot is further than `maxWaitMs`
// away is answered 503 with Retry-After at once. Used on /metrics: scrapes are served from a
// shared, cached render, but each answer still costs the main thread an HTTP exchange, and 64
// scrapers in a loop would otherwise take it from the risk checks. Prometheus scrapes every 15 s:
// a few scrapes a second serve any real set-up.
import type { MiddlewareHandler } from 'hono';
import { jsonError } from '../error-handler.ts';

interface PaceOptions {
  /** Answers a second at most; 0 turns pacing off. */
  perSecond: number;
  /** Longest wait for a slot before answering 503 (default 2,000 ms, under Prometheus' 10 s scrape timeout). */
  maxWaitMs?: number;
  /** Monotonic clock in ms (default performance.now). */
  monotonicMs?: () => number;
}

/** The middleware; slots are handed out in arrival order, `1000 / perSecond` ms apart. */
export function paceRequests(o: PaceOptions): MiddlewareHandler {
  const gapMs = o.perSecond > 0 ? 1_000 / o.perSecond : 0;
  const maxWaitMs = o.maxWaitMs ?? 2_000;
  const monotonicMs = o.monotonicMs ?? (() => performance.now());
  let nextFreeMs = -Infinity;
  return async (c, next) => {
    if (gapMs === 0) return next();
    const now = monotonicMs();
    const slot = Math.max(now, nextFreeMs);
    if (slot - now > maxWaitMs) {
      c.header('Retry-After', String(Math.ceil((slot - now) / 1_000)));
      return jsonError(c, 503, 'too_many_scrapes', 'too many requests at once; retry later');
    }
    nextFreeMs = slot + gapMs;
    if (slot > now) await new Promise((r) => setTimeout(r, slot - now));
    return next();
  };
}
