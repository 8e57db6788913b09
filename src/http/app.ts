// createApp(deps): the whole HTTP surface. Public routes first, then the bearer-token guard for /v1.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppDeps } from './deps.ts';
import { createErrorHandler, jsonError, notFound } from './error-handler.ts';
import { requireToken } from './middleware/auth.ts';
import { httpMetrics } from './middleware/http-metrics.ts';
import { openApiHandler } from './openapi.ts';
import { controlRoutes } from './routes/control.ts';
import { eventsRoutes } from './routes/events.ts';
import { healthRoutes } from './routes/health.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { ordersRoutes } from './routes/orders.ts';
import { portfolioRoutes } from './routes/portfolio.ts';
import { resilienceRoutes } from './routes/resilience.ts';
import { reconciliationRoutes } from './routes/reconciliation.ts';
import { statusPageRoutes } from './routes/status-page.ts';
import { paperRoutes } from './routes/paper.ts';
import { signalsRoutes } from './routes/signals.ts';
import { webhooksRoutes } from './routes/webhooks.ts';

/** Largest accepted request body: a batch of 1,000 orders is about 150 KiB. */
export const MAX_BODY_BYTES = 1024 * 1024;

export function createApp(deps: AppDeps) {
  const app = new Hono();
  app.onError(createErrorHandler(deps.logger));
  app.notFound(notFound);
  app.use('*', httpMetrics(deps.metrics));
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => jsonError(c, 413, 'payload_too_large', `request body over ${MAX_BODY_BYTES} bytes`),
    }),
  );
  app.route('/', statusPageRoutes(deps));
  app.route('/', healthRoutes(deps));
  app.route('/', metricsRoutes(deps));
  app.use('/v1/*', requireToken(deps.config.apiToken));
  app.use('/webhooks/*', requireToken(deps.config.apiToken));
  app.route('/', eventsRoutes(deps));
  app.route('/', ordersRoutes(deps));
  app.route('/', controlRoutes(deps));
  app.route('/', portfolioRoutes(deps));
  app.route('/', resilienceRoutes(deps));
  app.route('/', reconciliationRoutes(deps));
  app.route('/', webhooksRoutes(deps));
  app.route('/', signalsRoutes(deps));
  app.route('/', paperRoutes(deps));
  // Generated on its first request from app.routes, so routes mounted after this line count too.
  app.get('/openapi.json', openApiHandler(app));
  return app;
}

export type App = ReturnType<typeof createApp>;
