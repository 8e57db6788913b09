// What Alertmanager's webhook delivers (version 4, validated at the HTTP boundary) and how one of
// its alerts becomes the notice the channels send.
import type { AlertSeverity } from '../../ports/alerts.ts';
import { EventType, type NewEvent } from '../../ports/event-store.ts';
import { type AlertNotice, toSeverity } from './channel.ts';

/** Alert names are metric labels: anything past this is cut (rules use short CamelCase names). */
export const MAX_NAME = 128;

/** One alert of an Alertmanager webhook (version 4), already validated at the HTTP boundary. */
export interface AlertmanagerAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL?: string;
  fingerprint?: string;
}

/** One webhook delivery: a group of alerts for one receiver. */
export interface AlertmanagerDelivery {
  receiver: string;
  groupKey: string;
  alerts: readonly AlertmanagerAlert[];
  /** Alerts Alertmanager left out of this delivery (the receiver's max_alerts). */
  truncatedAlerts?: number;
}

/** The channels' notice of one Alertmanager alert. */
export function fromAlertmanager(a: AlertmanagerAlert): AlertNotice {
  const name = (a.labels.alertname ?? 'unnamed').slice(0, MAX_NAME);
  const severity: AlertSeverity = toSeverity(a.labels.severity);
  return {
    name,
    severity,
    status: a.status,
    summary: a.annotations.summary ?? name,
    description: a.annotations.description,
    labels: a.labels,
    startsAt: a.startsAt,
    endsAt: a.endsAt,
    runbookUrl: a.annotations.runbook_url,
    source: 'alertmanager',
    fingerprint: a.fingerprint,
  };
}

/** The `alert` event of one Alertmanager alert (stream = its name), as received in `delivery`. */
export function alertEvent(
  a: AlertmanagerAlert,
  notice: AlertNotice,
  delivery: AlertmanagerDelivery,
): NewEvent {
  return {
    type: EventType.alert,
    stream: notice.name,
    payload: {
      source: 'alertmanager',
      status: a.status,
      severity: notice.severity,
      summary: notice.summary,
      description: notice.description ?? null,
      labels: a.labels,
      annotations: a.annotations,
      starts_at: a.startsAt,
      ends_at: a.endsAt,
      fingerprint: a.fingerprint ?? null,
      generator_url: a.generatorURL ?? null,
      receiver: delivery.receiver,
      group_key: delivery.groupKey,
      // Alerts of this group Alertmanager did not send (past its max_alerts): they exist but are not stored.
      truncated_alerts: delivery.truncatedAlerts ?? 0,
    },
  };
}
