// The decision audit trail's entries other than risk checks (a cycle's decision, a refused order):
// each is a `decision` event, so it is as durable as any event and has its trail line projected
// from the store (src/domain/records/trail.ts). Risk checks are `risk_decision` events already.

/** One entry: `kind` names it (`cycle_decision`, `order_refused`); the time is the event's. */
export type TrailEntry = { kind: string } & Record<string, unknown>;

export interface DecisionLog {
  /** Resolves once the entry is durable (and its trail line written). */
  append(record: TrailEntry): Promise<void>;
}
