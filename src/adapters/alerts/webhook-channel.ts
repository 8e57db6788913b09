// The generic JSON webhook channel (AIS_ALERT_WEBHOOK_URL): one POST per alert, a stable shape any
// receiver (n8n, a pager bridge, a chat bot) can map.
import type { AlertSeverity } from '../../ports/alerts.ts';
import { type AlertChannel, type AlertNotice, postJson } from './channel.ts';

/** Bumped when the body's shape changes incompatibly. */
export const WEBHOOK_BODY_VERSION = 1;

export function webhookBody(n: AlertNotice) {
  return {
    version: WEBHOOK_BODY_VERSION,
    source: n.source,
    alert: {
      name: n.name,
      severity: n.severity,
      status: n.status,
      summary: n.summary,
      description: n.description ?? null,
      labels: n.labels,
      starts_at: n.startsAt ?? null,
      ends_at: n.endsAt ?? null,
      runbook_url: n.runbookUrl ?? null,
      event_id: n.eventId ?? null,
    },
  };
}

export function createWebhookChannel(opts: { url: string; minSeverity: AlertSeverity; timeoutMs?: number }): AlertChannel {
  return {
    name: 'webhook',
    minSeverity: opts.minSeverity,
    send: (n) => postJson(opts.url, webhookBody(n), opts.timeoutMs),
  };
}
