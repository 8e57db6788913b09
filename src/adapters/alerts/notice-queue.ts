// What one alert channel still has to send: the latest status of each alert, grouped as
// Alertmanager grouped them (one message per group), so that a storm of 150 alerts is a few
// messages and a resolution is never lost behind a full queue. Pure data; the sender lives in
// alert-service.ts.
import type { AlertNotice, NoticeGroup } from './channel.ts';

/**
 * Identity of one alert across its firing and resolved notices: its label set (what Alertmanager's
 * fingerprint hashes; the labels themselves, so that a sender with a wrong fingerprint still works).
 */
function alertKey(n: AlertNotice): string {
  return JSON.stringify(Object.entries(n.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

type OfferOutcome = 'queued' | 'coalesced' | 'dropped';

export interface NoticeQueue {
  /** Adds a notice; a newer notice of the same alert in the same group replaces the waiting one. */
  offer(groupKey: string, notice: AlertNotice, truncatedAlerts?: number): OfferOutcome;
  /** The oldest waiting group, removed from the queue; undefined when empty. */
  take(): NoticeGroup | undefined;
  /** After a successful send: resolved alerts are no longer announced (firing ones are from take() on). */
  sent(group: NoticeGroup): void;
  /** Given up after failed sends: its firing alerts were never shown, so they are not announced. */
  gaveUp(notices: readonly AlertNotice[]): void;
  /** After a failed send: its notices wait again, unless a newer notice of the same alert arrived meanwhile. */
  putBack(group: NoticeGroup): void;
  /** Was a firing notice of this alert sent or taken for sending (and its resolution not yet sent)? */
  announced(notice: AlertNotice): boolean;
  readonly waiting: number;
}

/**
 * @param maxWaiting notices waiting at most; past it a new notice is dropped, except the
 *   resolution of an announced alert (never dropped: the channel would show it firing for ever).
 */
export function createNoticeQueue(maxWaiting: number): NoticeQueue {
  const groups = new Map<string, { notices: Map<string, AlertNotice>; truncatedAlerts: number }>();
  const announced = new Set<string>();
  let waiting = 0;

  const insert = (groupKey: string, key: string, notice: AlertNotice, truncatedAlerts: number) => {
    let g = groups.get(groupKey);
    if (!g) groups.set(groupKey, (g = { notices: new Map(), truncatedAlerts: 0 }));
    g.truncatedAlerts = Math.max(g.truncatedAlerts, truncatedAlerts);
    if (!g.notices.has(key)) waiting++;
    g.notices.set(key, notice);
  };

  return {
    offer(groupKey, notice, truncatedAlerts = 0) {
      const key = alertKey(notice);
      if (groups.get(groupKey)?.notices.has(key)) {
        insert(groupKey, key, notice, truncatedAlerts);
        return 'coalesced';
      }
      const mustKeep = notice.status === 'resolved' && announced.has(key);
      if (waiting >= maxWaiting && !mustKeep) return 'dropped';
      insert(groupKey, key, notice, truncatedAlerts);
      return 'queued';
    },
    take() {
      const first = groups.entries().next();
      if (first.done) return undefined;
      const [key, g] = first.value;
      groups.delete(key);
      waiting -= g.notices.size;
      // A firing notice on its way counts as announced: its resolution, arriving while it is in
      // flight, must not be dropped (sending a resolution of an alert never shown is harmless).
      for (const [k, n] of g.notices) if (n.status === 'firing') announced.add(k);
      return { key, notices: [...g.notices.values()], truncatedAlerts: g.truncatedAlerts };
    },
    sent(group) {
      for (const n of group.notices) if (n.status === 'resolved') announced.delete(alertKey(n));
    },
    gaveUp(notices) {
      for (const n of notices) if (n.status === 'firing') announced.delete(alertKey(n));
    },
    putBack(group) {
      for (const n of group.notices) {
        const key = alertKey(n);
        if (!groups.get(group.key)?.notices.has(key))
          insert(group.key, key, n, group.truncatedAlerts);
      }
    },
    announced: (n) => announced.has(alertKey(n)),
    get waiting() {
      return waiting;
    },
  };
}
