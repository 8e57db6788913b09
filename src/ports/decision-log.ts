// The JSONL decision audit trail: one whole JSON object per line, never a torn line.

export interface DecisionLog {
  /** Resolves once the line is written and synced; concurrent appends share one write. */
  append(record: Record<string, unknown>): Promise<void>;
  /** Reopens the trail at its path (after an outside rotation renamed it: SIGHUP); no-op where there is no file. */
  reopen?(): Promise<void>;
  close(): Promise<void>;
}
