// GET /v1/resilience (every circuit breaker and rate limiter) and
// POST /v1/resilience/breakers/:name/reset (close a breaker by hand; stored as its transition).
import { redactDeep } from '../../domain/redaction/redact.ts';
import { Hono } from 'hono';
import { describeRoute, resolver } from 'hono-openapi';
import { z } from 'zod';
import { type BreakerStats, RESILIENCE_NAME } from '../../adapters/resilience/registry.ts';
import type { LimiterStats } from '../../adapters/resilience/limiter.ts';
import type { AppDeps } from '../deps.ts';
import { jsonError } from '../error-handler.ts';
import { validate } from '../validate.ts';
import { actionBody, recordAction } from '../control-action.ts';

const iso = (ms: number | null) => (ms ? new Date(ms).toISOString() : null);

const breakerView = (b: BreakerStats) => ({
  name: b.name,
  state: b.state,
  since: iso(b.sinceMs),
  opened_at: iso(b.openedAtMs),
  failures: b.failures,
  successes: b.successes,
  rejections: b.rejections,
  window_calls: b.windowCalls,
  window_failures: b.windowFailures,
  probes_in_flight: b.probesInFlight,
  retry_after_ms: b.retryAfterMs,
  options: {
    mode: b.options.mode,
    failure_threshold: b.options.failureThreshold,
    failure_rate: b.options.failureRate,
    minimum_calls: b.options.minimumCalls,
    window_ms: b.options.windowMs,
    open_ms: b.options.openMs,
    half_open_max_probes: b.options.halfOpenMaxProbes,
    successes_to_close: b.options.successesToClose,
  },
});

const limiterView = (l: LimiterStats) => ({
  name: l.name,
  tokens: l.tokens,
  capacity: l.capacity,
  refill_per_sec: l.refillPerSec,
  allowed: l.allowed,
  throttled: l.throttled,
  paused_until: iso(l.pausedUntilMs),
});

// Documentation only (the answers are built above); hono-openapi turns these into the schema.
const count = z.number().int().min(0);
const breakerSchema = z.object({
  name: z.string(),
  state: z.enum(['closed', 'half_open', 'open']),
  since: z.string().nullable(),
  opened_at: z.string().nullable(),
  failures: count,
  successes: count,
  rejections: count,
  window_calls: count,
  window_failures: count,
  probes_in_flight: count,
  retry_after_ms: z.number(),
  options: z.object({
    mode: z.enum(['count', 'rate']),
    failure_threshold: count,
    failure_rate: z.number(),
    minimum_calls: count,
    window_ms: z.number(),
    open_ms: z.number(),
    half_open_max_probes: count,
    successes_to_close: count,
  }),
});
const limiterSchema = z.object({
  name: z.string(),
  tokens: z.number(),
  capacity: z.number(),
  refill_per_sec: z.number(),
  allowed: count,
  throttled: count,
  paused_until: z.string().nullable(),
});
const json = (description: string, schema: z.ZodType) => ({
  description,
  content: { 'application/json': { schema: resolver(schema) } },
});

/** Breaker names as the registry makes them: `aster.market`, `alert_slack`, … */
const breakerParam = z.strictObject({
  name: z.string().regex(RESILIENCE_NAME, 'expected 1-128 letters, digits, _ . : or -'),
});

export function resilienceRoutes(deps: Pick<AppDeps, 'resilience' | 'store'>) {
  const r = deps.resilience;
  return new Hono()
    .get(
      '/v1/resilience',
      describeRoute({
        summary: 'Every circuit breaker and rate limiter',
        responses: {
          200: json(
            'Breakers with their state and counts; limiters with tokens, capacity, refill rate and totals',
            z.object({ breakers: z.array(breakerSchema), limiters: z.array(limiterSchema) }),
          ),
        },
      }),
      (c) => {
        const s = r.stats();
        return c.json(
          redactDeep({
            breakers: s.breakers.map(breakerView),
            limiters: s.limiters.map(limiterView),
          }),
        );
      },
    )
    .post(
      '/v1/resilience/breakers/:name/reset',
      describeRoute({
        summary: 'Close a circuit breaker by hand',
        description:
          'Closes the breaker and empties its failure window; the change is logged and stored as a `breaker_transition` event (reason `reset by <operator>`, default `api`); the request as a `control_action` event. Optional JSON body `{reason, operator}`. Resetting a closed breaker changes nothing.',
        responses: {
          200: json(
            'The breaker after the reset',
            z.object({ changed: z.boolean(), breaker: breakerSchema }),
          ),
          404: { description: 'No breaker of that name' },
        },
      }),
      validate('param', breakerParam),
      validate('json', actionBody),
      async (c) => {
        const { name } = c.req.valid('param');
        const action = c.req.valid('json');
        const before = r.stats().breakers.find((b) => b.name === name);
        const after = before && (await r.resetBreaker(name, action.operator ?? 'api'));
        if (!after) return jsonError(c, 404, 'not_found', `no circuit breaker named ${name}`);
        const result = before.state !== 'closed' ? 'applied' : 'unchanged';
        await recordAction(deps.store, 'breaker-reset', { breaker: name, ...action }, result);
        return c.json({ changed: before.state !== 'closed', breaker: breakerView(after) });
      },
    );
}
