// Records decisions through their conditional statements (decision-sql.ts) and reads back what each
// statement stored: the decision as made, the refusal that overtook it, or the key's earlier row.
import type {
  DecisionWrite,
  DecisionWritten,
  NewEvent,
  OvertakenBy,
  StoredEvent,
} from '../../../ports/event-store.ts';
import { AisError } from '../../../domain/errors.ts';
import { type OnMalformed, readEvent } from '../read-event.ts';
import { decisionSteps, type SqlStep } from './decision-sql.ts';

interface DecisionRecorderOptions {
  /** A server other workers write to: approvals are held to their conditions. */
  shared: boolean;
  nowMs: () => number;
  /** Runs the statements in one transaction, answering each one's rows (arrays of column values). */
  run(steps: SqlStep[]): Promise<unknown[][][]>;
  /** Told of the rows the statements inserted, once committed (trail lines, metrics, counts). */
  inserted(stored: StoredEvent[]): Promise<void>;
  onMalformed: OnMalformed;
}

/** A row the database answered that the store cannot use (a key's row that does not parse, a missing answer). */
class DecisionReadError extends AisError {
  constructor(message: string) {
    super('store_unreadable', message);
  }
}

/** Flushes a group of decision writes in one transaction; resolves with one answer per write, in order. */
export function createDecisionRecorder(o: DecisionRecorderOptions) {
  /** The earlier row of a key, read back by the lookup step. */
  const replayed = (row: unknown[] | undefined, key: string): StoredEvent<'risk_decision'> => {
    if (!row) throw new DecisionReadError(`no row stored under the key ${key}`);
    const [id, timeMs, stream, payload, schemaVersion] = row;
    const e = readEvent<'risk_decision'>(
      {
        id: Number(id),
        timeMs: Number(timeMs),
        type: 'risk_decision',
        stream: String(stream),
        payload: JSON.parse(String(payload)),
        schemaVersion: Number(schemaVersion),
      },
      o.onMalformed,
    );
    if (!e) throw new DecisionReadError(`the decision stored under the key ${key} does not parse`);
    return e;
  };

  return async function flush(writes: DecisionWrite[]): Promise<DecisionWritten[]> {
    const nowMs = o.nowMs();
    const { steps, plan } = decisionSteps(writes, o.shared, nowMs);
    const rows = await o.run(steps);
    const inserted: StoredEvent[] = [];
    const answers = writes.map((w, i): DecisionWritten => {
      const p = plan[i]!;
      const [row] = rows[p.insertAt] ?? [];
      if (!row)
        return { stored: replayed(rows[p.lookupAt]?.[0], w.key ?? ''), outcome: 'replayed' };
      const guard = (row[1] ?? null) as string | null;
      // Rejections name their guard too: a candidate other than as decided exists only for an approval.
      const overtaken = p.candidates.has(guard) && guard !== null;
      const e = (overtaken ? p.candidates.get(guard) : w.event) as NewEvent<'risk_decision'>;
      const stored = {
        id: Number(row[0]),
        timeMs: Math.trunc(e.timeMs ?? nowMs),
        type: e.type,
        stream: e.stream ?? '',
        payload: e.payload,
        schemaVersion: e.schemaVersion ?? 1,
      } as StoredEvent<'risk_decision'>;
      inserted.push(stored);
      return { stored, outcome: overtaken ? (guard as OvertakenBy) : 'as_decided' };
    });
    await o.inserted(inserted);
    return answers;
  };
}
