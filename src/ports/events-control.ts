// The payload schemas of the control and record events: kill_switch (and what it did on the
// exchange), trading_state, reconciliation, breaker_transition, alert, control_action, decision.
import { z } from 'zod';
import { CHECK_STATUSES, CHECK_TYPES, REPORT_STATUSES } from '../domain/reconciliation/report.ts';
import { side, tradingState } from './events-trading.ts';

export const killSwitch = z.object({
  active: z.boolean(),
  reason: z.string().nullable(),
  by: z.string(),
  source: z.enum(['manual', 'drawdown']).optional(),
});

const orderRef = z.object({
  symbol: z.string(),
  client_order_id: z.string(),
  type: z.string(),
  side,
});
export const killSwitchOrders = z.object({
  reason: z.string(),
  cancelled: z.array(orderRef),
  failed: z.array(orderRef.extend({ error: z.string() })),
  kept: z.array(orderRef),
  unlisted: z.array(z.object({ symbol: z.string(), error: z.string() })),
});

export const tradingStateChange = z.object({
  state: tradingState,
  previous: tradingState,
  reason: z.string().nullable(),
  by: z.string(),
});

const value = z.number().nullable();
/** The reconciliation report (also the answer of GET /v1/reconciliation/latest). */
export const reconciliationReportSchema = z.object({
  time: z.string(),
  time_ms: z.number().int(),
  status: z.enum(REPORT_STATUSES),
  passed: z.boolean(),
  error: z.string().optional(),
  totals: z.object({
    checks: z.number().int(),
    matched: z.number().int(),
    mismatched: z.number().int(),
    errors: z.number().int(),
    deferred: z.number().int(),
  }),
  mismatched_symbols: z.array(z.string()),
  results: z.array(
    z.object({
      check_type: z.enum(CHECK_TYPES),
      symbol: z.string().nullable(),
      status: z.enum(CHECK_STATUSES),
      internal_value: value,
      exchange_value: value,
      message: z.string(),
    }),
  ),
});

export const breakerTransition = z.object({
  name: z.string(),
  from: z.enum(['closed', 'open', 'half_open']),
  to: z.enum(['closed', 'open', 'half_open']),
  reason: z.string(),
});

/** A worker alert, or one delivered by Alertmanager (which adds annotations, ends_at, fingerprint, truncated_alerts). */
export const alert = z.looseObject({
  source: z.enum(['worker', 'alertmanager']),
  status: z.string(),
  severity: z.string(),
  summary: z.string(),
  description: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  starts_at: z.string(),
});

/** The operator's action as the API received it (its own keys), who did it and what came of it. */
export const controlAction = z.looseObject({ by: z.string(), result: z.string() });

/** A decision-trail line when the trail lives in the store: its shape is the trail's. */
export const decision = z.record(z.string(), z.unknown());
