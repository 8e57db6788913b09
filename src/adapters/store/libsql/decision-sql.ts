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

const COLUMNS =
  '"time_ms","type","stream","payload","schema_version","idempotency_key","approved_at_ms"';
const RETURNING = `ON CONFLICT DO NOTHING RETURNING "id", json_extract("payload", '$.guard')`;
const PLAIN_INSERT = `INSERT INTO "events" (${COLUMNS}) VALUES (?,?,?,?,?,?,NULL) ${RETURNING}`;
/**
 * The approvals of the window, through the schema's partial index (events_approvals_time):
 * INDEXED BY makes SQLite refuse the statement rather than scan the table if the index and this
 * condition ever drift apart.
 */
const APPROVALS_SINCE = `(SELECT count(*) FROM "events" INDEXED BY "events_approvals_time" WHERE "approved_at_ms" > ?)`;
const NEWER = (type: 'kill_switch' | 'trading_state') =>
  `EXISTS (SELECT 1 FROM "events" WHERE "type" = '${type}' AND "id" > ?)`;
/** The guard that overtakes the approval (NULL: none), evaluated once. */
const OVERTAKEN_BY = `SELECT CASE WHEN ${NEWER('kill_switch')} THEN 'kill_switch' WHEN ${NEWER('trading_state')} THEN 'trading_state' WHEN ${APPROVALS_SINCE} >= ? THEN 'order_rate' END AS "g"`;
/** Arguments in textual order: time, type, stream, the four payloads, version, key, the approval's time; then OVERTAKEN_BY's. */
const CONDITIONAL_INSERT = `INSERT INTO "events" (${COLUMNS}) SELECT ?, ?, ?, CASE "g" WHEN 'kill_switch' THEN ? WHEN 'trading_state' THEN ? WHEN 'order_rate' THEN ? ELSE ? END, ?, ?, CASE WHEN "g" IS NULL THEN ? END FROM (${OVERTAKEN_BY}) WHERE true ${RETURNING}`;
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
      const payloads = [by('kill_switch'), by('trading_state'), by('order_rate')];
      const args = [...head, ...payloads, JSON.stringify(e.payload), ...tail, timeMs];
      args.push(a.basis.killSwitchId, a.basis.tradingStateId, timeMs - RATE_WINDOW_MS);
      steps.push({ sql: CONDITIONAL_INSERT, args: [...args, a.maxPerMinute] });
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
