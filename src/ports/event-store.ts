// The append-only event log the domain records into. Appends resolve only once durable.

/** Every event type the worker writes (product.md, Records). */
export const EventType = {
  signal: 'signal',
  riskDecision: 'risk_decision',
  order: 'order',
  fill: 'fill',
  funding: 'funding',
  portfolio: 'portfolio',
  killSwitch: 'kill_switch',
  /** What stopping trading did on the exchange: orders cancelled, failed, kept (stored after the kill_switch / trading_state event). */
  killSwitchOrders: 'kill_switch_orders',
  tradingState: 'trading_state',
  reconciliation: 'reconciliation',
  breakerTransition: 'breaker_transition',
  alert: 'alert',
  controlAction: 'control_action',
  decision: 'decision',
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

export interface NewEvent {
  type: EventType;
  /** Aggregate id: a symbol, a breaker name, an instance id; '' when none. */
  stream?: string;
  payload: unknown;
  /** Milliseconds since the epoch; the store's clock when omitted. */
  timeMs?: number;
  schemaVersion?: number;
}

export interface StoredEvent {
  id: number;
  timeMs: number;
  type: EventType;
  stream: string;
  payload: unknown;
  schemaVersion: number;
}

export interface EventQuery {
  type?: EventType;
  stream?: string;
  /** Inclusive lower bound on timeMs. */
  sinceMs?: number;
  /** Only events with a larger id (for paging and tailing). */
  afterId?: number;
  /** At most this many, oldest first; newest first when `newestFirst`. */
  limit?: number;
  newestFirst?: boolean;
}

export interface EventStore {
  /** Resolves once the event is durable; concurrent calls share one transaction (group commit). */
  append(event: NewEvent): Promise<StoredEvent>;
  /** All or nothing, in one transaction. */
  appendBatch(events: readonly NewEvent[]): Promise<StoredEvent[]>;
  query(q: EventQuery): Promise<StoredEvent[]>;
  /** The newest event of a type (and stream), if any. */
  latest(type: EventType, stream?: string): Promise<StoredEvent | undefined>;
  /** A cheap round trip for /health. */
  ping(): Promise<void>;
  /** How writes fare, for /health: a flush waiting long (a locked or slow database) or one that failed. */
  writeHealth(nowMs: number): { flushingForMs: number; lastFailure?: { timeMs: number; message: string } };
  /** Flushes what is queued, then closes. */
  close(): Promise<void>;
}

/** A write the store could not make durable (database locked, disk full, server down): nothing was recorded. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

/**
 * Housekeeping of a durable store, used by retention (src/adapters/store/retention.ts). Not part
 * of EventStore: the domain never deletes events, and a backtest's memory store has nothing to prune.
 */
export interface StoreMaintenance {
  /** What opening did to make the file shrinkable: `new` file, `already` set, `vacuumed` once, `vacuum_failed` (locked or no room; retried at the next start), or `not_applicable` (remote, memory). */
  readonly vacuumAtOpen: 'already' | 'new' | 'vacuumed' | 'vacuum_failed' | 'not_applicable';
  /** Deletes up to `limit` of the oldest events of `type` with timeMs < `beforeMs`, never the newest of the type; answers how many. */
  pruneBefore(type: EventType, beforeMs: number, limit: number): Promise<number>;
  /** Gives freed pages back to the file system, one bounded step; answers whether free pages remain. */
  vacuumStep(): Promise<boolean>;
  /** Bytes on disk (database + WAL), free bytes on its file system (both undefined when not a local file), events per type. */
  footprint(): StoreFootprint;
}

export interface StoreFootprint {
  bytes?: number;
  diskFreeBytes?: number;
  eventsByType: Record<string, number>;
}
