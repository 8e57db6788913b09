// GET /v1/events?type=&since=&limit=&after_id=: read the event store (oldest first).
import { Hono } from 'hono';
import { z } from 'zod';
import { MAX_QUERY_LIMIT } from '../../adapters/store/libsql/event-store.ts';
import { EventType } from '../../ports/event-store.ts';
import type { AppDeps } from '../deps.ts';
import { validate } from '../validate.ts';

/** `since` is epoch milliseconds or an ISO-8601 time. */
const since = z.string().transform((s, ctx) => {
  const ms = /^\d{1,15}$/.test(s) ? Number(s) : Date.parse(s);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: 'expected epoch milliseconds or an ISO-8601 time' });
    return z.NEVER;
  }
  return ms;
});

const eventsQuery = z.strictObject({
  type: z.enum(Object.values(EventType) as [EventType, ...EventType[]]).optional(),
  stream: z.string().max(128).optional(),
  since: since.optional(),
  after_id: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_QUERY_LIMIT).default(100),
  order: z.enum(['asc', 'desc']).default('asc'),
});

export function eventsRoutes(deps: Pick<AppDeps, 'store'>) {
  return new Hono().get('/v1/events', validate('query', eventsQuery), async (c) => {
    const q = c.req.valid('query');
    const events = await deps.store.query({
      type: q.type,
      stream: q.stream,
      sinceMs: q.since,
      afterId: q.after_id,
      limit: q.limit,
      newestFirst: q.order === 'desc',
    });
    return c.json({
      events: events.map((e) => ({ ...e, time: new Date(e.timeMs).toISOString() })),
    });
  });
}
