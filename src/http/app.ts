// createApp(deps): the whole HTTP surface. Public routes first (the console, health, metrics), then
// the bearer-token guard for /v1 (which also takes the console's session).
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppDeps } from './deps.ts';
import { createErrorHandler, jsonError, notFound } from './error-handler.ts';
import { requireToken } from './middleware/auth.ts';
import { consoleRoutes } from './console/routes.ts';
import { createSessions } from './console/session.ts';
import { httpMetrics } from './middleware/http-metrics.ts';
import { openApiHandler } from './openapi.ts';
import { controlRoutes } from './routes/control.ts';
import { eventsRoutes } from './routes/events.ts';
import { healthRoutes } from './routes/health.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { ordersRoutes } from './routes/orders.ts';
import { openOrdersRoutes } from './routes/open-orders.ts';
import { portfolioRoutes } from './routes/portfolio.ts';
import { resilienceRoutes } from './routes/resilience.ts';
import { reconciliationRoutes } from './routes/reconciliation.ts';
import { paperRoutes } from './routes/paper.ts';
import { signalsRoutes } from './routes/signals.ts';
import { MAX_ALERTS_PER_DELIVERY, webhooksRoutes } from './routes/webhooks.ts';

/** Largest accepted request body: a batch of 1,000 orders is about 150 KiB. */
export const MAX_BODY_BYTES = 1024 * 1024;
/**
 * Largest Alertmanager delivery: the shipped receivers' max_alerts (1,000, monitoring/alertmanager.yml)
 * times 16 KiB an alert (labels, annotations, generator URL; a rule's alert is 1-2 KiB). Alertmanager
 * does not retry a 413, so a group refused for its size would be lost.
 */
export const MAX_WEBHOOK_BODY_BYTES = MAX_ALERTS_PER_DELIVERY * 16 * 1024;
const WEBHOOK_PATH = '/webhooks/alertmanager';

export function createApp(deps: AppDeps) {
  const app = new Hono();
  app.onError(createErrorHandler(deps.logger));
  app.notFound(notFound);
  app.use('*', httpMetrics(deps.metrics));
  const limit = (maxSize: number) =>
    declaredLengthFirst(maxSize, bodyLimit({ maxSize, onError: (c) => tooLarge(c, maxSize) }));
  const defaultLimit = limit(MAX_BODY_BYTES);
  const webhookLimit = limit(MAX_WEBHOOK_BODY_BYTES);
  app.use('*', (c, next) =>
    c.req.path === WEBHOOK_PATH ? webhookLimit(c, next) : defaultLimit(c, next),
  );
  // Console sessions (a login with the API token) count as auth for /v1, never for the webhooks.
  const { apiToken, consoleSessionMs } = deps.config;
  const sessions = apiToken ? createSessions(apiToken, consoleSessionMs) : undefined;
  app.route('/', consoleRoutes(deps, sessions));
  app.route('/', healthRoutes(deps));
  app.route('/', metricsRoutes(deps));
  app.use(
    '/v1/*',
    requireToken(apiToken, 'AIS_API_TOKEN', sessions && { sessions, nowMs: deps.nowMs }),
  );
  app.use('/webhooks/*', requireToken(deps.config.apiToken));
  app.route('/', eventsRoutes(deps));
  app.route('/', ordersRoutes(deps));
  app.route('/', openOrdersRoutes(deps));
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

const tooLarge = (c: Context, maxSize: number) =>
  jsonError(c, 413, 'payload_too_large', `request body over ${maxSize} bytes`);

/**
 * Hono's bodyLimit, with the declared length read first: bodyLimit looks at `request.body` before
 * the Content-Length header, and on Bun that builds a ReadableStream for every request (about 2 µs
 * of the hot check's main-thread time, and the body then read through the stream). A declared
 * length (no Transfer-Encoding) is checked here as bodyLimit would check it; anything else (a
 * chunked body, no body) goes through bodyLimit, which counts the bytes as they come.
 */
function declaredLengthFirst(maxSize: number, counted: MiddlewareHandler): MiddlewareHandler {
  return (c, next) => {
    const headers = c.req.raw.headers;
    const declared = headers.get('content-length');
    if (declared === null || headers.has('transfer-encoding')) return counted(c, next);
    return Number.parseInt(declared, 10) > maxSize ? Promise.resolve(tooLarge(c, maxSize)) : next();
  };
}
