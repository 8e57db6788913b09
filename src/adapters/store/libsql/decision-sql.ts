// The SQL of a conditional decision write (EventStore.recordDecisions): one INSERT per decision
// that picks, inside the statement, the payload to store (the approval as decided, or its refusal
// by the newer kill switch, the newer trading state or the spent order budget), skips a key already
// stored, and returns what it stored; then, for a keyed decision, the key's row whatever wrote it.
// Run in one transaction, in order: each statement sees the rows of the ones before it.
import type { DecisionWrite, NewEvent, OvertakenBy } from '../../../ports/event-store.ts';

/** One SQL statement and its positional arguments. */
export interface SqlStep {
  sql: string;
  args: unknown[];
}

/** A decision's statements and the events they may store, by the guard that RETURNING names (null: as decided). */
export interface DecisionSteps {
  steps: SqlStep[];
  /** Per write: the index of its INSERT in `steps`, of its key lookup (-1: none), and its candidate events. */
  plan: { insertAt: number; lookupAt: number; candidates: Map<string | null, NewEvent> }[];
}

/** How long the shared order budget looks back (AIS_MAX_ORDERS_PER_MINUTE is per minute). */
const RATE_WINDOW_MS = 60_000;

const COLUMNS = '"time_ms","type","stream","payload","schema_version","idempotency_key"';
const RETURNING = `ON CONFLICT DO NOTHING RETURNING "id", json_extract("payload", '$.guard')`;
const PLAIN_INSERT = `INSERT INTO "events" (${COLUMNS}) VALUES (?,?,?,?,?,?) ${RETURNING}`;
/**
 * The approvals in the window, through the partial index of the schema (events_approvals_time):
 * INDEXED BY makes SQLite refuse the statement rather than scan every decision if the index's
 * condition and this one ever drift apart.
 */
const APPROVALS_SINCE = `(SELECT count(*) FROM "events" INDEXED BY "events_approvals_time" WHERE "type" = 'risk_decision' AND json_extract("payload", '$.approved') = 1 AND "time_ms" > ?)`;
const NEWER = (type: 'kill_switch' | 'trading_state') =>
  `EXISTS (SELECT 1 FROM "events" WHERE "type" = '${type}' AND "id" > ?)`;
const CONDITIONAL_INSERT = `INSERT INTO "events" (${COLUMNS}) SELECT ?, ?, ?, CASE WHEN ${NEWER('kill_switch')} THEN ? WHEN ${NEWER('trading_state')} THEN ? WHEN ${APPROVALS_SINCE} >= ? THEN ? ELSE ? END, ?, ? WHERE true ${RETURNING}`;
const LOOKUP = `SELECT "id", "time_ms", "stream", "payload", "schema_version" FROM "events" WHERE "idempotency_key" = ?`;

const timeOf = (e: NewEvent, nowMs: number) => Math.trunc(e.timeMs ?? nowMs);

/**
 * The statements of `writes`. `shared`: the store is a server other workers write to, so an
 * approval's conditions are checked; otherwise it is stored as decided (keys still hold).
 */
export function decisionSteps(
  writes: readonly DecisionWrite[],
  shared: boolean,
  nowMs: number,
): DecisionSteps {
  const steps: SqlStep[] = [];
  const plan: DecisionSteps['plan'] = [];
  for (const w of writes) {
    const e = w.event;
    const timeMs = timeOf(e, nowMs);
    const key = w.key ?? null;
    const head = [timeMs, e.type, e.stream ?? ''];
    const tail = [e.schemaVersion ?? 1, key];
    const candidates = new Map<string | null, NewEvent>([[null, e]]);
    const insertAt = steps.length;
    if (shared && w.approval) {
      const a = w.approval;
      const by = (guard: OvertakenBy) => {
        const refused = a.refused(guard);
        candidates.set(guard, refused);
        return JSON.stringify(refused.payload);
      };
      const args = [...head, a.basis.killSwitchId, by('kill_switch'), a.basis.tradingStateId];
      args.push(by('trading_state'), timeMs - RATE_WINDOW_MS, a.maxPerMinute, by('order_rate'));
      steps.push({ sql: CONDITIONAL_INSERT, args: [...args, JSON.stringify(e.payload), ...tail] });
    } else {
      steps.push({ sql: PLAIN_INSERT, args: [...head, JSON.stringify(e.payload), ...tail] });
    }
    let lookupAt = -1;
    if (key !== null) {
      lookupAt = steps.length;
      steps.push({ sql: LOOKUP, args: [key] });
    }
    plan.push({ insertAt, lookupAt, candidates });
  }
  return { steps, plan };
}
