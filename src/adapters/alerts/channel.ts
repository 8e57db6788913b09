// What every alert channel (Slack, a generic JSON webhook) receives, and the severity order the
// channels' minimums compare against.
import { HttpStatusError } from '../../domain/errors.ts';
import type { AlertSeverity } from '../../ports/alerts.ts';

/** One alert on its way to a channel, from Alertmanager or raised by the worker itself. */
export interface AlertNotice {
  name: string;
  severity: AlertSeverity;
  status: 'firing' | 'resolved';
  summary: string;
  description?: string;
  labels: Record<string, string>;
  /** ISO-8601 times as Alertmanager sends them; `startsAt` set by the worker for its own alerts. */
  startsAt?: string;
  endsAt?: string;
  runbookUrl?: string;
  /** Who produced it: Alertmanager (a Prometheus rule) or the worker (reconciliation, ...). */
  source: 'alertmanager' | 'worker';
  /** Id of the stored `alert` event. */
  eventId?: number;
  /** Alertmanager's fingerprint (identifies the alert across firing and resolved). */
  fingerprint?: string;
}

/** The notices of one Alertmanager group (or one alert the worker raised): one message per channel. */
export interface NoticeGroup {
  /** Alertmanager's groupKey, or `worker:<name>` for the worker's own alerts. */
  key: string;
  /** The latest notice of each alert, in arrival order. */
  notices: AlertNotice[];
  /** Alerts Alertmanager left out of the group (its max_alerts); 0 when none. */
  truncatedAlerts: number;
}

export interface AlertChannel {
  /** Bounded name: the metric label and the guard's service name suffix. */
  readonly name: string;
  /** Alerts below this severity are skipped. */
  readonly minSeverity: AlertSeverity;
  /** Sends one message for the group; resolves when the receiver accepted it, rejects otherwise. */
  send(group: NoticeGroup): Promise<void>;
}

const SEVERITY_RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, critical: 2 };

const isAlertSeverity = (s: unknown): s is AlertSeverity =>
  typeof s === 'string' && s in SEVERITY_RANK;

/** Alertmanager alerts carry free-form severity labels; anything unknown counts as a warning. */
export const toSeverity = (s: unknown): AlertSeverity => (isAlertSeverity(s) ? s : 'warning');

export const meetsMinimum = (severity: AlertSeverity, minimum: AlertSeverity) =>
  SEVERITY_RANK[severity] >= SEVERITY_RANK[minimum];

/** Outside calls of a channel give up after this long (Slack answers in well under a second). */
const CHANNEL_TIMEOUT_MS = 5_000;

/**
 * Posts JSON for the channel `service`; a non-2xx answer rejects with an HttpStatusError carrying
 * the status (so the channel's breaker counts a 5xx as an outage) and a short body excerpt.
 */
export async function postJson(
  service: string,
  url: string,
  body: unknown,
  timeoutMs = CHANNEL_TIMEOUT_MS,
): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) {
    const text = (await res.text().catch(() => '')).slice(0, 200);
    throw new HttpStatusError(service, res.status, `HTTP ${res.status}${text ? `: ${text}` : ''}`);
  }
  await res.body?.cancel().catch(() => {});
}
