// POST /webhooks/alertmanager: Alertmanager's webhook (payload version 4). Each alert becomes an
// `alert` event before the answer; the fan-out to Slack and webhooks runs after it, unawaited.
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.ts';
import { validate } from '../validate.ts';

const labelMap = z.record(z.string().max(1024), z.string().max(16_384));
/** Alertmanager's zero time for "not resolved yet" passes as a string, like any RFC 3339 time. */
const time = z.string().max(64);

const alertmanagerAlert = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: labelMap.refine((l) => typeof l.alertname === 'string' && l.alertname.length > 0, {
    message: 'alertname label is required',
  }),
  annotations: labelMap.default({}),
  startsAt: time,
  endsAt: time.default(''),
  generatorURL: z.string().max(4096).optional(),
  fingerprint: z.string().max(64).optional(),
});

/** The shipped receivers' max_alerts (monitoring/alertmanager.yml): the largest group Alertmanager sends here. */
export const MAX_ALERTS_PER_DELIVERY = 1_000;

/** The fields the worker reads; Alertmanager's others (externalURL, groupLabels, ...) pass unread. */
const alertmanagerPayload = z.object({
  version: z.literal('4'),
  groupKey: z.string().max(4096),
  truncatedAlerts: z.number().int().min(0).optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string().max(256),
  groupLabels: labelMap.optional(),
  commonLabels: labelMap.optional(),
  commonAnnotations: labelMap.optional(),
  externalURL: z.string().max(4096).optional(),
  // Alertmanager's max_alerts caps a delivery; 1,000 keeps one request within one store batch.
  alerts: z.array(alertmanagerAlert).min(1).max(MAX_ALERTS_PER_DELIVERY),
});

export function webhooksRoutes(deps: Pick<AppDeps, 'alerts'>) {
  return new Hono().post(
    '/webhooks/alertmanager',
    validate('json', alertmanagerPayload),
    async (c) => {
      const body = c.req.valid('json');
      const truncatedAlerts = body.truncatedAlerts ?? 0;
      const { stored, duplicates } = await deps.alerts.receive({
        receiver: body.receiver,
        groupKey: body.groupKey,
        alerts: body.alerts,
        truncatedAlerts,
      });
      return c.json({
        stored: stored.length,
        event_ids: stored.map((e) => e.id),
        truncated_alerts: truncatedAlerts,
        // Alert states already received within the dedup window (an HA peer's copy, a retry).
        duplicates,
      });
    },
  );
}
