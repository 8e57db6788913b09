// The JSONL decision audit trail: one whole JSON object per line, never a torn line.

export interface DecisionLog {
  /** Resolves once the line is written and synced; concurrent appends share one write. */
  append(record: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}
