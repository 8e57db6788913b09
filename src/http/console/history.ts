// The equity and drawdown history the console charts: portfolio snapshots (one a trading cycle)
// sampled evenly over a time range. A month at one cycle a second is 2.6 million rows, so the
// samples are found by id, not read: a binary search for the first snapshot of the range, then one
// indexed look-up (afterId, limit 1) per sample point, each an index seek on (type, id).
import { EventType, type EventStore, type StoredEvent } from '../../ports/event-store.ts';

/** Sample points per chart: about one per 2 px of a wide screen. */
export const HISTORY_POINTS = 600;

/** Ranges the console offers, in ms. */
export const HISTORY_RANGES = {
  '1h': 3_600_000,
  '6h': 21_600_000,
  '24h': 86_400_000,
  '7d': 604_800_000,
  '30d': 2_592_000_000,
} as const;
export type HistoryRange = keyof typeof HISTORY_RANGES;

/** Columns for uPlot: time (s), NAV (USD), drawdown (fraction). */
export interface History {
  time: number[];
  nav: number[];
  /** null where the drawdown is not finite. */
  drawdown: (number | null)[];
}

type Snapshot = StoredEvent<'portfolio'>;

/** The first portfolio snapshot after id `afterId`, if any. */
async function after(store: Pick<EventStore, 'query'>, afterId: number) {
  const [e] = await store.query({ type: EventType.portfolio, afterId, limit: 1 });
  return e as Snapshot | undefined;
}

/** The snapshots from `sinceMs` to now, at most `points`, evenly spaced by id. */
export async function sampleHistory(
  store: Pick<EventStore, 'query' | 'latest'>,
  sinceMs: number,
  points = HISTORY_POINTS,
): Promise<History> {
  const out: History = { time: [], nav: [], drawdown: [] };
  const newest = await store.latest(EventType.portfolio);
  if (!newest || newest.timeMs < sinceMs) return out;
  // Binary search over ids for the first snapshot at or after sinceMs (ids grow with time).
  let lo = 0;
  let hi = newest.id;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    const e = await after(store, mid);
    if (e && e.timeMs < sinceMs) lo = e.id;
    else hi = mid;
  }
  const step = Math.max(1, (newest.id - lo) / points);
  let last = -1;
  for (let i = 0; i < points; i++) {
    const e = await after(store, Math.floor(lo + i * step));
    if (!e || e.id <= last || e.timeMs < sinceMs) continue;
    push(out, e);
    last = e.id;
  }
  if (newest.id > last) push(out, newest as Snapshot);
  return out;
}

function push(out: History, e: Snapshot) {
  out.time.push(e.timeMs / 1000);
  out.nav.push(e.payload.nav_usd);
  out.drawdown.push(e.payload.drawdown);
}
