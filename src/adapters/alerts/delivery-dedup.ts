// Alertmanager delivers the same alert more than once by design: every member of an HA cluster
// sends its notification (each waits its peer position × peer_timeout, then sends anyway when the
// gossip has not reached it), a retry after a lost answer repeats the whole group, and
// repeat_interval re-sends a firing alert. An alert state is (fingerprint, status, startsAt): the
// second delivery of one within the window is not stored, counted or sent again.

/** The alert fields that name one state of one alert. */
export interface AlertState {
  /** Alertmanager's fingerprint of the label set; absent from very old senders (the labels stand in). */
  fingerprint?: string;
  labels: Readonly<Record<string, string>>;
  status: 'firing' | 'resolved';
  startsAt: string;
}

/** Remembers alert states seen within `windowMs`; time is a monotonic reading in ms. */
export interface DeliveryDedup {
  /** True when `state` was seen within the window (a duplicate); otherwise remembers it at `nowMs`. */
  seen(state: AlertState, nowMs: number): boolean;
  /** States remembered now. */
  readonly size: number;
}

/**
 * Default window: 1 hour. Duplicates from HA peers come seconds apart (peer_timeout 15 s per
 * position) and retries within minutes; repeat_interval (4 h in monitoring/alertmanager.yml) is
 * past the window, so a reminder of a still-firing alert is stored and sent again, as intended.
 */
export const DEFAULT_ALERT_DEDUP_MS = 60 * 60_000;
/** States remembered at most: a storm of unique alerts evicts the oldest instead of growing memory. */
const MAX_STATES = 50_000;

const keyOf = (s: AlertState) =>
  `${s.fingerprint ?? JSON.stringify(Object.entries(s.labels).sort())}\u0000${s.status}\u0000${s.startsAt}`;

/** A window of alert states, oldest first (a Map keeps insertion order). */
export function createDeliveryDedup(windowMs = DEFAULT_ALERT_DEDUP_MS): DeliveryDedup {
  const states = new Map<string, number>();
  const expire = (nowMs: number) => {
    for (const [key, atMs] of states) {
      if (nowMs - atMs < windowMs && states.size <= MAX_STATES) break;
      states.delete(key);
    }
  };
  return {
    seen(state, nowMs) {
      expire(nowMs);
      if (windowMs <= 0) return false;
      const key = keyOf(state);
      const atMs = states.get(key);
      if (atMs !== undefined && nowMs - atMs < windowMs) return true;
      states.set(key, nowMs);
      return false;
    },
    get size() {
      return states.size;
    },
  };
}
