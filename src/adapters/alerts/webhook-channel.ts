// The generic JSON webhook channel (AIS_ALERT_WEBHOOK_URL): one POST per alert group (as
// Alertmanager groups them; one alert for the worker's own), a stable shape any receiver (n8n, a
// pager bridge, a chat bot) can map.
import type { AlertSeverity } from '../../ports/alerts.ts';
import { type AlertChannel, type AlertNotice, type NoticeGroup, postJson } from './channel.ts';

/** Bumped when the body's shape changes incompatibly (2: one body per group, `alerts` an array). */
const WEBHOOK_BODY_VERSION = 2;

const alertBody = (n: AlertNotice) => ({
  name: n.name,
  source: n.source,
  severity: n.severity,
  status: n.status,
  summary: n.summary,
  description: n.description ?? null,
  labels: n.labels,
  starts_at: n.startsAt ?? null,
  ends_at: n.endsAt ?? null,
  runbook_url: n.runbookUrl ?? null,
  event_id: n.eventId ?? null,
});

/**
 * `{version: 2, group_key, status, truncated_alerts, alerts: [{name, source, severity, status,
 * summary, description, labels, starts_at, ends_at, runbook_url, event_id}]}`; `status` is
 * `firing` while any alert of the group fires.
 */
function webhookBody(g: NoticeGroup) {
  return {
    version: WEBHOOK_BODY_VERSION,
    group_key: g.key,
    status: g.notices.some((n) => n.status === 'firing') ? 'firing' : 'resolved',
    truncated_alerts: g.truncatedAlerts,
    alerts: g.notices.map(alertBody),
  };
}

export function createWebhookChannel(opts: {
  url: string;
  minSeverity: AlertSeverity;
  timeoutMs?: number;
}): AlertChannel {
  return {
    name: 'webhook',
    minSeverity: opts.minSeverity,
    send: (g) => postJson('webhook', opts.url, webhookBody(g), opts.timeoutMs),
  };
}
