// The append-only event log the domain records into. Appends resolve only once durable.

import { AisError } from '../domain/errors.ts';
import type { EventPayload, EventType } from './events.ts';

export { EventType, type EventPayload, type MalformedEvent } from './events.ts';

/** An event to append; a union over its type, so a payload that does not fit its type does not compile. */
export type NewEvent<T extends EventType = EventType> = {
  [K in T]: {
    type: K;
    /** Aggregate id: a symbol, a breaker name, an instance id; '' when none. */
    stream?: string;
    payload: EventPayload<K>;
    /** Milliseconds since the epoch; the store's clock when omitted. */
    timeMs?: number;
    schemaVersion?: number;
  };
}[T];

/** An event as stored, its payload parsed by its type's schema (src/ports/events.ts). */
export type StoredEvent<T extends EventType = EventType> = {
  [K in T]: {
    id: number;
    timeMs: number;
    type: K;
    stream: string;
    payload: EventPayload<K>;
    schemaVersion: number;
  };
}[T];

export interface EventQuery<T extends EventType = EventType> {
  type?: T;
  stream?: string;
  /** Inclusive lower bound on timeMs. */
  sinceMs?: number;
  /** Only events with a larger id (for paging and tailing). */
  afterId?: number;
  /** At most this many, oldest first; newest first when `newestFirst`. */
  limit?: number;
  newestFirst?: boolean;
}

/** The control rows a decision was made under: ids of the newest kill_switch and trading_state rows the worker knew (0: none). */
export interface ControlBasis {
  killSwitchId: number;
  tradingStateId: number;
}

/** What can overtake an approval in a shared store: a newer control row, or the shared order budget spent. */
export type OvertakenBy = 'kill_switch' | 'trading_state' | 'order_rate';

/** One decision to record (EventStore.recordDecisions). */
export interface DecisionWrite {
  /** The risk_decision event as the worker decided it. */
  event: NewEvent<'risk_decision'>;
  /** Idempotency key (client_order_id, Idempotency-Key): a key stored already answers its row, and nothing is written. */
  key?: string;
  /**
   * An approval's conditions, held in a shared store: no kill_switch or trading_state row newer
   * than `basis`, and fewer than `maxPerMinute` approvals timed in the minute before the event's
   * time. When one fails, `refused(by)` is stored instead (in the same transaction).
   */
  approval?: {
    basis: ControlBasis;
    maxPerMinute: number;
    refused(by: OvertakenBy): NewEvent<'risk_decision'>;
  };
}

/** A recorded decision: the stored row, and whether it is the decision as made, a refusal that overtook it, or the key's earlier row. */
export interface DecisionWritten {
  stored: StoredEvent<'risk_decision'>;
  outcome: 'as_decided' | 'replayed' | OvertakenBy;
}

export interface EventStore {
  /**
   * Records decisions, each with its conditions checked in the transaction that stores it: the
   * linearization point of a check. A shared store (a libSQL server several workers use) holds
   * approvals to DecisionWrite.approval; a store one process owns stores them as decided (its own
   * control state and order bucket are the whole truth). Keys hold on every store. Resolves once
   * durable, in the order given.
   */
  recordDecisions(writes: readonly DecisionWrite[]): Promise<DecisionWritten[]>;
  /** Resolves once the event is durable; concurrent calls share one transaction (group commit). */
  append(event: NewEvent): Promise<StoredEvent>;
  /** All or nothing, in one transaction. */
  appendBatch(events: readonly NewEvent[]): Promise<StoredEvent[]>;
  /**
   * Events typed by `q.type` (the union of every type without it). A row whose payload does not
   * parse as its type is skipped and reported (the store's `onMalformed`), never thrown: one bad
   * old row must not stop a worker from starting. Skipped rows do not count against `limit`.
   */
  query<T extends EventType = EventType>(q: EventQuery<T>): Promise<StoredEvent<T>[]>;
  /** The newest event of a type (and stream) whose payload parses, if any. */
  latest<T extends EventType>(type: T, stream?: string): Promise<StoredEvent<T> | undefined>;
  /**
   * The id of the newest row of `type`, whether or not its payload parses (undefined: none). Where
   * skipping a row is unsafe, a reader compares it with `latest(type)`: the control state fails
   * closed when its newest row cannot be read.
   */
  newestId(type: EventType): Promise<number | undefined>;
  /** A cheap round trip for /health. */
  ping(): Promise<void>;
  /** How writes fare, for /health: a flush waiting long (a locked or slow database) or one that failed. */
  writeHealth(nowMs: number): {
    flushingForMs: number;
    lastFailure?: { timeMs: number; message: string };
  };
  /** Flushes what is queued, then closes. */
  close(): Promise<void>;
}

/**
 * A call the store could not make (database locked, disk full, server down or past its deadline, its
 * breaker open): for a write, nothing was recorded. `code` store_unavailable; `cause` the driver's
 * error; `retryAfterMs` how long a retry should wait (the breaker's remaining cool-down when open).
 */
export class StoreUnavailableError extends AisError {
  readonly retryAfterMs: number;
  constructor(message: string, options?: { cause?: unknown; retryAfterMs?: number }) {
    super('store_unavailable', message, options);
    this.retryAfterMs = options?.retryAfterMs ?? 1_000;
  }
}

/**
 * A write whose outcome is unknown: it reached the database, which may or may not have committed it
 * (the connection dropped or the deadline passed before the answer). `code` outcome_unknown. A
 * decision carrying an idempotency key may be asked again safely: the stored one is answered.
 */
export class OutcomeUnknownError extends AisError {
  readonly retryAfterMs: number;
  constructor(message: string, options?: { cause?: unknown; retryAfterMs?: number }) {
    super('outcome_unknown', message, options);
    this.retryAfterMs = options?.retryAfterMs ?? 1_000;
  }
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
