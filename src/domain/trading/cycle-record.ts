// The cycle's line in the decision trail (`cycle_decision`), in two parts: what the cycle decided
// (signals, selection, the order), known when it plans, and what became of the order (the risk
// verdict, the execution or the exchange's refusal), known only once the runner checked and sent
// it. The plan stays pure; the runner adds the outcome and writes one line, fields in this order.
import type { Direction } from './agents/agent.ts';
import type { RiskVerdict } from '../risk/explain.ts';
import type { OrderIntent } from '../order-intent.ts';
import type { Execution } from './executor.ts';
import type { OrderRefusal } from './refusals.ts';
import type { TrailEntry } from '../../ports/decision-log.ts';
import { storedChecks } from '../risk/checks.ts';

/** The plan's part of a cycle_decision line (snake_case, as the trail writes it). */
export interface CyclePlanRecord {
  cycle: number;
  signals: {
    agent_id: string;
    symbol: string;
    direction: Direction;
    confidence: number;
    size_hint: number;
  }[];
  selected: { symbol: string; direction: Direction; confidence: number; size_hint: number } | null;
  /** The arbitrated order (stop-loss closes have their own risk_check lines). */
  order: {
    order_id: string;
    symbol: string;
    side: OrderIntent['side'];
    quantity: number;
    price: number;
  } | null;
}

/** What became of the arbitrated order: each part absent when the cycle did not get that far. */
export interface CycleOutcome {
  verdict?: RiskVerdict;
  execution?: Execution;
  refusal?: OrderRefusal;
}

/**
 * The whole `cycle_decision` entry (a `decision` event; its trail line takes the event's time),
 * `durationMs` the cycle's length so far. The verdict's checks are in their stored form, as in the
 * order's own risk_check line.
 */
export function cycleDecisionLine(
  plan: CyclePlanRecord,
  outcome: CycleOutcome,
  durationMs: number,
): TrailEntry {
  const { verdict, execution, refusal } = outcome;
  return {
    kind: 'cycle_decision',
    cycle: plan.cycle,
    signals: plan.signals,
    selected: plan.selected,
    verdict: verdict
      ? {
          approved: verdict.approved,
          guard: verdict.guard ?? null,
          reason: verdict.reason ?? null,
          checks: storedChecks(verdict.checks),
        }
      : null,
    order: plan.order,
    execution: execution
      ? {
          exchange_order_id: execution.order.orderId,
          status: execution.order.status,
          fills: execution.fills.length,
        }
      : refusal
        ? { refused: refusal.refusal.reason, code: refusal.refusal.code, held: refusal.held }
        : null,
    duration_ms: durationMs,
  };
}
