// Reading a stored row back as a typed event: its payload is parsed by its type's schema. Shared by
// the libSQL and memory stores so that both skip and report a malformed row the same way.
import { type EventType, type MalformedEvent, parseEventPayload } from '../../ports/events.ts';
import type { StoredEvent } from '../../ports/event-store.ts';

/** A row as the table holds it: the type a plain string, the payload as JSON.parse gave it. */
export interface EventRow {
  id: number;
  timeMs: number;
  type: string;
  stream: string;
  payload: unknown;
  schemaVersion: number;
}

/** Called once per malformed row a read skips (the worker logs it as a warning and counts it). */
export type OnMalformed = (e: MalformedEvent) => void;

/**
 * The typed event of `row`, or undefined (after telling `onMalformed`) when its payload does not
 * parse as its type or the type is unknown.
 */
export function readEvent<T extends EventType>(
  row: EventRow,
  onMalformed: OnMalformed,
): StoredEvent<T> | undefined {
  const parsed = parseEventPayload(row.type as T, row.payload);
  if (!parsed.ok) {
    onMalformed({ id: row.id, type: row.type, error: parsed.error });
    return undefined;
  }
  return { ...row, type: row.type, payload: parsed.payload } as StoredEvent<T>;
}
