// GET /metrics: the Prometheus text exposition; behind AIS_METRICS_TOKEN when that is set, paced
// to AIS_METRICS_MAX_PER_S answers a second (after the token check: only a scraper with the token
// uses the budget).
import { Hono } from 'hono';
import type { AppDeps } from '../deps.ts';
import { requireToken } from '../middleware/auth.ts';
import { paceRequests } from '../middleware/pace.ts';

export function metricsRoutes(deps: Pick<AppDeps, 'monitoring' | 'config'>) {
  const app = new Hono();
  if (deps.config.metricsToken)
    app.use('/metrics', requireToken(deps.config.metricsToken, 'AIS_METRICS_TOKEN'));
  app.use('/metrics', paceRequests({ perSecond: deps.config.metricsMaxPerSecond }));
  return app.get('/metrics', async (c) => {
    const body = await deps.monitoring.exporter.render();
    return c.body(body, 200, {
      'Content-Type': deps.monitoring.exporter.contentType,
      'Cache-Control': 'no-store',
    });
  });
}
