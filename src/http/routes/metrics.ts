// GET /metrics: the Prometheus text exposition; behind AIS_METRICS_TOKEN when that is set.
import { Hono } from 'hono';
import type { AppDeps } from '../deps.ts';
import { requireToken } from '../middleware/auth.ts';

export function metricsRoutes(deps: Pick<AppDeps, 'exporter' | 'config'>) {
  const app = new Hono();
  if (deps.config.metricsToken)
    app.use('/metrics', requireToken(deps.config.metricsToken, 'AIS_METRICS_TOKEN'));
  return app.get('/metrics', async (c) => {
    const body = await deps.exporter.render();
    return c.body(body, 200, {
      'Content-Type': deps.exporter.contentType,
      'Cache-Control': 'no-store',
    });
  });
}
