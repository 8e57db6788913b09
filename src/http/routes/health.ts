// GET /health: 200 when ok or halted (the worker itself works), 503 when degraded.
import { Hono } from 'hono';
import type { AppDeps } from '../deps.ts';

export function healthRoutes(deps: Pick<AppDeps, 'monitoring'>) {
  return new Hono().get('/health', async (c) => {
    const report = await deps.monitoring.health();
    c.header('Cache-Control', 'no-store');
    return c.json(report, report.status === 'degraded' ? 503 : 200);
  });
}
