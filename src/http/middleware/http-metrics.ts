// Counts every request and its duration, labelled by route pattern (never the raw path).
import type { MiddlewareHandler } from 'hono';
import type { Metrics } from '../../ports/metrics.ts';

export function httpMetrics(metrics: Metrics): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const route = c.req.matchedRoutes.findLast((r) => r.method !== 'ALL')?.path ?? 'unmatched';
      metrics.httpRequest(c.req.method, route, c.res.status, (performance.now() - started) / 1000);
    }
  };
}
