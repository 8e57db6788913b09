// Alerts in and out of the worker: alerts from Alertmanager's webhook and alerts the worker raises
// itself (AlertSink) are stored as `alert` events (stream = alert name), counted, then fanned out
// to the channels in the background, so no caller waits on Slack or a webhook: one message per
// Alertmanager group per channel, each alert at its latest status.
import type { Logger } from '../logging/logger.ts';
import type { AlertSink, RaisedAlert } from '../../ports/alerts.ts';
import { EventType, type EventStore, type StoredEvent } from '../../ports/event-store.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { CallGuard } from '../../ports/resilience.ts';
import { type AlertChannel, type AlertNotice, meetsMinimum } from './channel.ts';
import { createDeliveryDedup } from './delivery-dedup.ts';
import { createNoticeQueue, type NoticeQueue } from './notice-queue.ts';
import {
  alertEvent,
  type AlertmanagerDelivery,
  fromAlertmanager,
  MAX_NAME,
} from './alertmanager-delivery.ts';

/** What one delivery did: the events stored, and the alerts left out as repeats of a state seen within the window. */
export interface Received {
  stored: StoredEvent[];
  duplicates: number;
}

export interface AlertService extends AlertSink {
  /**
   * Stores every new alert state of one delivery (all or nothing), counts them, starts the
   * fan-out; an alert whose (fingerprint, status, startsAt) was received within the dedup window
   * is counted as a duplicate only (delivery-dedup.ts).
   */
  receive(delivery: AlertmanagerDelivery): Promise<Received>;
  /** Resolves once every notification queued so far has settled, or after `timeoutMs`. */
  drain(timeoutMs?: number): Promise<void>;
}

interface AlertServiceDeps {
  store: EventStore;
  metrics: Metrics;
  logger: Logger;
  channels: readonly AlertChannel[];
  /** Wraps each channel call (circuit breaker per channel: service `alert_<channel>`). */
  guard: CallGuard;
  nowMs(): number;
  /** Alerts waiting per channel before new firing ones are dropped (resolutions of announced alerts never are). */
  maxQueue?: number;
  /** First retry of a failed message after this long, doubling up to 60 s (default 1,000 ms). */
  retryBaseMs?: number;
  /** Repeats of an alert state within this window are dropped (AIS_ALERT_DEDUP_MS; default 1 h; 0: off). */
  dedupWindowMs?: number;
  /** Monotonic clock (ms) for the dedup window: a wall-clock step neither ends nor extends it. */
  monotonicMs?: () => number;
}

/**
 * Alerts (not messages) waiting per channel. Messages are grouped, so this is a storm of several
 * Alertmanager groups at their max_alerts (1,000), not a backlog: past it, new firing alerts are
 * dropped and counted, resolutions of announced alerts are still taken.
 */
const DEFAULT_MAX_QUEUE = 10_000;
/** Sends of one group before its firing notices are given up (its announced resolutions never are). */
const MAX_ATTEMPTS = 3;
const MAX_RETRY_MS = 60_000;

export function createAlertService(deps: AlertServiceDeps): AlertService {
  const maxQueue = deps.maxQueue ?? DEFAULT_MAX_QUEUE;
  const retryBaseMs = deps.retryBaseMs ?? 1_000;
  const dedup = createDeliveryDedup(deps.dedupWindowMs);
  const monotonicMs = deps.monotonicMs ?? (() => performance.now());
  // One queue and one sender per channel: messages go out one at a time, one per alert group,
  // each alert at its latest status, so a storm neither floods Slack's rate limit (about one
  // message a second) nor loses a resolution behind a full queue.
  const senders = new Map<AlertChannel, { queue: NoticeQueue; running?: Promise<void> }>();

  const sleep = (ms: number) =>
    new Promise<void>((r) => (setTimeout(r, ms) as { unref?: () => void }).unref?.());

  /** Sends what the channel's queue holds until it is empty; never rejects. */
  async function run(channel: AlertChannel, queue: NoticeQueue): Promise<void> {
    const attempts = new Map<string, number>();
    // Start after the current fan-out has queued every notice of its delivery (one message per group).
    await null;
    for (let group = queue.take(); group; group = queue.take()) {
      try {
        await deps.guard(`alert_${channel.name}`, () => channel.send(group!));
        queue.sent(group);
        attempts.delete(group.key);
        deps.metrics.alertNotification(channel.name, 'sent');
      } catch (e) {
        const n = (attempts.get(group.key) ?? 0) + 1;
        deps.metrics.alertNotification(channel.name, 'failed');
        deps.logger.warn(
          {
            channel: channel.name,
            group_key: group.key,
            alerts: group.notices.length,
            attempt: n,
            err: e,
          },
          'Alert notification failed',
        );
        // A resolution of an alert the channel saw firing is retried until it goes out; the rest gets MAX_ATTEMPTS.
        const retry =
          n < MAX_ATTEMPTS
            ? group.notices
            : group.notices.filter((x) => x.status === 'resolved' && queue.announced(x));
        if (retry.length < group.notices.length) {
          queue.gaveUp(group.notices.filter((x) => !retry.includes(x)));
          deps.metrics.alertNotification(channel.name, 'dropped');
        }
        if (retry.length === 0) {
          attempts.delete(group.key);
          continue;
        }
        attempts.set(group.key, n);
        queue.putBack({ ...group, notices: retry });
        await sleep(Math.min(MAX_RETRY_MS, retryBaseMs * 2 ** (n - 1)));
      }
    }
  }

  function enqueue(
    channel: AlertChannel,
    groupKey: string,
    notice: AlertNotice,
    truncatedAlerts: number,
  ): void {
    if (!meetsMinimum(notice.severity, channel.minSeverity)) {
      deps.metrics.alertNotification(channel.name, 'skipped');
      return;
    }
    let s = senders.get(channel);
    if (!s) senders.set(channel, (s = { queue: createNoticeQueue(maxQueue) }));
    const outcome = s.queue.offer(groupKey, notice, truncatedAlerts);
    if (outcome === 'dropped') {
      deps.metrics.alertNotification(channel.name, 'dropped');
      deps.logger.warn(
        { channel: channel.name, alertname: notice.name, queued: s.queue.waiting },
        'Alert notification dropped: channel queue full',
      );
      return;
    }
    if (outcome === 'coalesced') deps.metrics.alertNotification(channel.name, 'coalesced');
    const sender = s;
    sender.running ??= run(channel, sender.queue).finally(() => (sender.running = undefined));
  }

  /**
   * When the worker raised an alert itself, the same incident usually comes back through
   * Prometheus and Alertmanager under the same name (ReconciliationMismatch): that echo is stored
   * and counted but not sent to the channels again while the worker's own alert is recent.
   */
  const raisedAt = new Map<string, number>();
  const ECHO_WINDOW_MS = 30 * 60_000;
  const isEcho = (n: AlertNotice) =>
    n.status === 'firing' && deps.nowMs() - (raisedAt.get(n.name) ?? -Infinity) < ECHO_WINDOW_MS;

  /** Fire and forget: the senders are tracked for drain(), never awaited by callers. */
  function fanOut(groupKey: string, notices: readonly AlertNotice[], truncatedAlerts = 0): void {
    for (const channel of deps.channels)
      for (const notice of notices) enqueue(channel, groupKey, notice, truncatedAlerts);
  }

  return {
    async receive(delivery) {
      const now = monotonicMs();
      const alerts = delivery.alerts.filter((a) => !dedup.seen(a, now));
      const duplicates = delivery.alerts.length - alerts.length;
      if (duplicates > 0) {
        for (const a of delivery.alerts)
          if (!alerts.includes(a)) deps.metrics.alertDuplicate(fromAlertmanager(a).name);
        deps.logger.info(
          { group_key: delivery.groupKey, receiver: delivery.receiver, duplicates },
          'Alertmanager delivery repeated alert states already received: not stored again',
        );
      }
      if (alerts.length === 0) return { stored: [], duplicates };
      const notices = alerts.map(fromAlertmanager);
      const events = alerts.map((a, i) => alertEvent(a, notices[i]!, delivery));
      if (delivery.truncatedAlerts) {
        deps.logger.warn(
          {
            group_key: delivery.groupKey,
            received: alerts.length,
            truncated_alerts: delivery.truncatedAlerts,
          },
          'Alertmanager truncated an alert group (max_alerts)',
        );
      }
      const stored = await deps.store.appendBatch(events);
      notices.forEach((n, i) => {
        n.eventId = stored[i]!.id;
        deps.metrics.alertReceived(n.name, n.severity, n.status);
      });
      fanOut(
        delivery.groupKey,
        notices.filter((n) => !isEcho(n)),
        delivery.truncatedAlerts,
      );
      return { stored, duplicates };
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
      fanOut(`worker:${name}`, [
        {
          name,
          severity: alert.severity,
          status: 'firing',
          summary: alert.summary,
          description: alert.description,
          labels,
          startsAt,
          source: 'worker',
          eventId: stored.id,
        },
      ]);
    },
    async drain(timeoutMs) {
      const running = () => [...senders.values()].flatMap((x) => (x.running ? [x.running] : []));
      const settled = (async () => {
        for (let r = running(); r.length > 0; r = running()) await Promise.allSettled(r);
      })();
      if (timeoutMs === undefined) return settled;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([settled, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
      clearTimeout(timer);
    },
  };
}
