// Alerts in and out of the worker: alerts from Alertmanager's webhook and alerts the worker raises
// itself (AlertSink) are stored as `alert` events (stream = alert name), counted, then fanned out
// to the channels in the background, so no caller waits on Slack or a webhook.
import type { Logger } from '../logging/logger.ts';
import type { AlertSeverity, AlertSink, RaisedAlert } from '../../ports/alerts.ts';
import { EventType, type EventStore, type NewEvent, type StoredEvent } from '../../ports/event-store.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { CallGuard } from '../../ports/resilience.ts';
import { type AlertChannel, type AlertNotice, meetsMinimum, toSeverity } from './channel.ts';

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

export interface AlertmanagerDelivery {
  receiver: string;
  groupKey: string;
  alerts: readonly AlertmanagerAlert[];
}

export interface AlertService extends AlertSink {
  /** Stores every alert of one delivery (all or nothing), counts them, starts the fan-out. */
  receive(delivery: AlertmanagerDelivery): Promise<StoredEvent[]>;
  /** Resolves once every notification queued so far has settled, or after `timeoutMs`. */
  drain(timeoutMs?: number): Promise<void>;
}

export interface AlertServiceDeps {
  store: EventStore;
  metrics: Metrics;
  logger: Logger;
  channels: readonly AlertChannel[];
  /** Wraps each channel call (circuit breaker per channel: service `alert_<channel>`). */
  guard: CallGuard;
  nowMs(): number;
  /** Notifications waiting per channel before new ones are dropped (counted as failed). */
  maxQueue?: number;
}

/** Alert names are metric labels: anything past this is cut (rules use short CamelCase names). */
const MAX_NAME = 128;
/** Slack takes about one message per second per webhook: 100 is a storm's worth, not a backlog. */
const DEFAULT_MAX_QUEUE = 100;

export function createAlertService(deps: AlertServiceDeps): AlertService {
  const maxQueue = deps.maxQueue ?? DEFAULT_MAX_QUEUE;
  // One queue per channel: notifications go out one at a time and in order, so an alert storm
  // neither floods Slack's rate limit nor opens a thousand sockets.
  const queues = new Map<AlertChannel, { tail: Promise<void>; waiting: number }>();
  const inFlight = new Set<Promise<void>>();

  /** Never rejects: a failure is counted and logged. */
  async function deliver(channel: AlertChannel, notice: AlertNotice): Promise<void> {
    try {
      await deps.guard(`alert_${channel.name}`, () => channel.send(notice));
      deps.metrics.alertNotification(channel.name, 'sent');
    } catch (e) {
      deps.metrics.alertNotification(channel.name, 'failed');
      deps.logger.warn(
        { channel: channel.name, alertname: notice.name, status: notice.status, error: e instanceof Error ? e.message : String(e) },
        'Alert notification failed',
      );
    }
  }

  function enqueue(channel: AlertChannel, notice: AlertNotice): void {
    if (!meetsMinimum(notice.severity, channel.minSeverity)) {
      deps.metrics.alertNotification(channel.name, 'skipped');
      return;
    }
    let q = queues.get(channel);
    if (!q) queues.set(channel, (q = { tail: Promise.resolve(), waiting: 0 }));
    if (q.waiting >= maxQueue) {
      deps.metrics.alertNotification(channel.name, 'failed');
      deps.logger.warn({ channel: channel.name, alertname: notice.name, queued: q.waiting }, 'Alert notification dropped: channel queue full');
      return;
    }
    const queue = q;
    queue.waiting++;
    const p = queue.tail.then(() => deliver(channel, notice)).finally(() => {
      queue.waiting--;
      inFlight.delete(p);
    });
    queue.tail = p;
    inFlight.add(p);
  }

  /**
   * When the worker raised an alert itself, the same incident usually comes back through
   * Prometheus and Alertmanager under the same name (ReconciliationMismatch): that echo is stored
   * and counted but not sent to the channels again while the worker's own alert is recent.
   */
  const raisedAt = new Map<string, number>();
  const ECHO_WINDOW_MS = 30 * 60_000;
  const isEcho = (n: AlertNotice) => n.status === 'firing' && deps.nowMs() - (raisedAt.get(n.name) ?? -Infinity) < ECHO_WINDOW_MS;

  /** Fire and forget: the promises are tracked for drain(), never awaited by callers. */
  function fanOut(notices: readonly AlertNotice[]): void {
    for (const notice of notices) for (const channel of deps.channels) enqueue(channel, notice);
  }

  return {
    async receive(delivery) {
      const notices = delivery.alerts.map(fromAlertmanager);
      const events: NewEvent[] = delivery.alerts.map((a, i) => ({
        type: EventType.alert,
        stream: notices[i]!.name,
        payload: {
          source: 'alertmanager',
          status: a.status,
          severity: notices[i]!.severity,
          summary: notices[i]!.summary,
          description: notices[i]!.description ?? null,
          labels: a.labels,
          annotations: a.annotations,
          starts_at: a.startsAt,
          ends_at: a.endsAt,
          fingerprint: a.fingerprint ?? null,
          generator_url: a.generatorURL ?? null,
          receiver: delivery.receiver,
          group_key: delivery.groupKey,
        },
      }));
      const stored = await deps.store.appendBatch(events);
      notices.forEach((n, i) => {
        n.eventId = stored[i]!.id;
        deps.metrics.alertReceived(n.name, n.severity, n.status);
      });
      fanOut(notices.filter((n) => !isEcho(n)));
      return stored;
    },
    async raise(alert: RaisedAlert) {
      const name = alert.name.slice(0, MAX_NAME);
      raisedAt.set(name, deps.nowMs());
      const startsAt = new Date(deps.nowMs()).toISOString();
      const labels = { ...alert.labels, alertname: name, severity: alert.severity };
      const stored = await deps.store.append({
        type: EventType.alert,
        stream: name,
        payload: {
          source: 'worker',
          status: 'firing',
          severity: alert.severity,
          summary: alert.summary,
          description: alert.description ?? null,
          labels,
          starts_at: startsAt,
        },
      });
      fanOut([
        { name, severity: alert.severity, status: 'firing', summary: alert.summary, description: alert.description, labels, startsAt, source: 'worker', eventId: stored.id },
      ]);
    },
    async drain(timeoutMs) {
      const settled = (async () => {
        while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      })();
      if (timeoutMs === undefined) return settled;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([settled, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
      clearTimeout(timer);
    },
  };
}

function fromAlertmanager(a: AlertmanagerAlert): AlertNotice {
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
  };
}
