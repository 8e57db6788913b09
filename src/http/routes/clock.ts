// GET /v1/clock: the wall clock against the monotonic clock, and whether retention is suspended by
// a step. POST /v1/clock/accept: an operator explains a step (the wall clock is right now: an NTP
// correction of a wrong clock at boot, say); retention resumes from the wall clock as it is. The
// acceptance is stored as a control_action event.
import { Hono } from 'hono';
import { z } from 'zod';
import type { ClockWatch } from '../../adapters/clock/clock-watch.ts';
import { EventType } from '../../ports/event-store.ts';
import type { AppDeps } from '../deps.ts';
import { jsonError } from '../error-handler.ts';
import { validate } from '../validate.ts';

const acceptBody = z.strictObject({
  reason: z.string().trim().min(1).max(500),
  operator: z
    .string()
    .regex(/^[A-Za-z0-9_.@:-]{1,64}$/, 'expected 1-64 letters, digits, _ . @ : or -')
    .optional(),
});

export function clockRoutes(deps: Pick<AppDeps, 'store' | 'monitoring'>) {
  /** Read at each request, as deps hold it then. */
  const watch = (): ClockWatch | undefined => deps.monitoring.clock;
  const unavailable = (c: Parameters<typeof jsonError>[0]) =>
    jsonError(c, 503, 'clock_watch_unavailable', 'this worker runs no clock watch');
  return new Hono()
    .get('/v1/clock', (c) => (watch() ? c.json(watch()!.view()) : unavailable(c)))
    .post('/v1/clock/accept', validate('json', acceptBody), async (c) => {
      const clock = watch();
      if (!clock) return unavailable(c);
      const body = c.req.valid('json');
      const by = body.operator ?? 'api';
      const stepMs = clock.accept(by);
      await deps.store.append({
        type: EventType.controlAction,
        stream: 'clock',
        payload: {
          by,
          result: 'clock_accepted',
          endpoint: 'clock/accept',
          reason: body.reason,
          step_ms: Math.round(stepMs),
        },
      });
      return c.json({ accepted_step_ms: Math.round(stepMs), ...clock.view() });
    });
}
