// Every event type the worker records and the schema of its payload: what a writer must give and
// what a reader gets back. Stored payloads are a contract (product.md, Records): rows written by
// older versions must still parse, so a schema only ever widens, and renamed keys are read under
// their old names too.
//
// Convention: payload keys are snake_case (as the API answers). `signal` and `portfolio` were
// written in camelCase until this module; their old rows are read and renamed to snake_case.
import { z } from 'zod';
import { CHECK_STATUSES, CHECK_TYPES, REPORT_STATUSES } from '../domain/reconciliation/report.ts';

/** Every event type the worker writes (product.md, Records). */
export const EventType = {
  signal: 'signal',
  riskDecision: 'risk_decision',
  order: 'order',
  fill: 'fill',
  /** Written before the ledger (issue #15); read, no longer written: the ledger's `funding` kind replaces it. */
  funding: 'funding',
  /** One change of the margin wallet as the exchange reported it, booked as what it is (domain/account/ledger.ts). */
  ledger: 'ledger',
  /** A symbol held (REDUCING or HALTED for that symbol alone) or its hold cleared (domain/risk/symbol-holds.ts). */
  symbolHold: 'symbol_hold',
  portfolio: 'portfolio',
  killSwitch: 'kill_switch',
  /** What stopping trading did on the exchange: orders cancelled, failed, kept (stored after the kill_switch / trading_state event). */
  killSwitchOrders: 'kill_switch_orders',
  tradingState: 'trading_state',
  reconciliation: 'reconciliation',
  breakerTransition: 'breaker_transition',
  alert: 'alert',
  controlAction: 'control_action',
  decision: 'decision',
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

const side = z.enum(['BUY', 'SELL']);
const tradingState = z.enum(['ACTIVE', 'REDUCING', 'HALTED']);
/** A ratio of NAV: JSON has no Infinity (a NAV of 0 gives one), so it is stored as null. */
const ratio = z.number().nullable();

const signal = z.object({
  agent_id: z.string(),
  symbol: z.string(),
  direction: z.enum(['LONG', 'SHORT', 'FLAT']),
  /** 0..1. */
  confidence: z.number(),
  /** Suggested position size as a fraction of NAV. */
  size_hint: z.number(),
  rationale: z.string(),
  time_ms: z.number(),
});
/** A `signal` row written before the snake_case convention (the agent's Signal as it was). */
const legacySignal = z
  .object({
    agentId: z.string(),
    symbol: z.string(),
    direction: signal.shape.direction,
    confidence: z.number(),
    sizeHint: z.number(),
    rationale: z.string(),
    timeMs: z.number(),
  })
  .transform((s) => ({
    agent_id: s.agentId,
    symbol: s.symbol,
    direction: s.direction,
    confidence: s.confidence,
    size_hint: s.sizeHint,
    rationale: s.rationale,
    time_ms: s.timeMs,
  }));

const position = z.object({
  symbol: z.string(),
  quantity: z.number(),
  avg_entry_price: z.number(),
  mark_price: z.number(),
});
/** A paper book at a cycle: its figures (portfolioFigures) and what a restart needs to continue from it. */
const portfolio = z.object({
  cycle: z.number(),
  nav_usd: z.number(),
  pnl_fraction: ratio,
  drawdown: ratio,
  daily_loss: ratio,
  leverage: ratio,
  gross_exposure: ratio,
  net_exposure: ratio,
  gross_usd: z.number(),
  net_usd: z.number(),
  exposure_by_symbol: z.record(z.string(), ratio),
  cash_usd: z.number(),
  initial_nav_usd: z.number(),
  peak_nav_usd: z.number(),
  day_start_nav_usd: z.number(),
  positions: z.record(z.string(), position),
});
/** A `portfolio` row written before the snake_case convention. Snapshots from before 2026-11-25 have no cash and do not parse. */
const legacyPortfolio = z
  .object({
    cycle: z.number(),
    navUsd: z.number(),
    pnlFraction: ratio,
    drawdown: ratio,
    dailyLoss: ratio,
    leverage: ratio,
    grossExposure: ratio,
    netExposure: ratio,
    grossUsd: z.number(),
    netUsd: z.number(),
    exposureBySymbol: z.record(z.string(), ratio),
    cashUsd: z.number(),
    initialNavUsd: z.number(),
    peakNavUsd: z.number(),
    dayStartNavUsd: z.number(),
    positions: z.record(
      z.string(),
      z.object({
        symbol: z.string(),
        quantity: z.number(),
        avgEntryPrice: z.number(),
        markPrice: z.number(),
      }),
    ),
  })
  .transform((p) => ({
    cycle: p.cycle,
    nav_usd: p.navUsd,
    pnl_fraction: p.pnlFraction,
    drawdown: p.drawdown,
    daily_loss: p.dailyLoss,
    leverage: p.leverage,
    gross_exposure: p.grossExposure,
    net_exposure: p.netExposure,
    gross_usd: p.grossUsd,
    net_usd: p.netUsd,
    exposure_by_symbol: p.exposureBySymbol,
    cash_usd: p.cashUsd,
    initial_nav_usd: p.initialNavUsd,
    peak_nav_usd: p.peakNavUsd,
    day_start_nav_usd: p.dayStartNavUsd,
    positions: Object.fromEntries(
      Object.entries(p.positions).map(([s, x]) => [
        s,
        {
          symbol: x.symbol,
          quantity: x.quantity,
          avg_entry_price: x.avgEntryPrice,
          mark_price: x.markPrice,
        },
      ]),
    ),
  }));

/**
 * Loose on purpose (extra keys kept, `checks` any array): the risk_decision record is being
 * reshaped (a compact form of the checks, duration_ms); tightened once that lands.
 */
const figure = z.union([z.number(), z.string(), z.null()]);
/**
 * A guard's outcome as stored: `[guard, value, limit, passed]`, plus the exchange filter when
 * exchange_rules names one (the API answers the same facts as objects).
 */
const storedCheck = z.union([
  z.tuple([z.string(), figure, figure, z.boolean().nullable()]),
  z.tuple([z.string(), figure, figure, z.boolean().nullable(), z.string()]),
]);
export type StoredCheck = z.infer<typeof storedCheck>;
/** Rows written before 2026-11-30 hold each check as an object: read as the stored tuple. */
const legacyCheck = z
  .object({
    guard: z.string(),
    value: figure,
    limit: figure,
    passed: z.boolean().nullable(),
    filter: z.string().optional(),
  })
  .transform((c): StoredCheck =>
    c.filter === undefined
      ? [c.guard, c.value, c.limit, c.passed]
      : [c.guard, c.value, c.limit, c.passed, c.filter],
  );

// Loose: a payload keeps keys it does not declare (a newer worker's fields, readable by an older one).
const riskDecision = z.looseObject({
  order_id: z.string(),
  source: z.string(),
  order: z.object({
    symbol: z.string(),
    side,
    quantity: z.number(),
    price: z.number().nullish(),
    agent_id: z.string().nullable(),
  }),
  approved: z.boolean(),
  guard: z.string().nullable(),
  reason: z.string().nullable(),
  checks: z.array(z.union([storedCheck, legacyCheck])),
  /** The check's duration (ms); absent from rows written before 2026-11-30. */
  duration_ms: z.number().optional(),
});

const order = z.object({
  /** Our client order id. */
  order_id: z.string(),
  exchange_order_id: z.string(),
  symbol: z.string(),
  side,
  /** Absent for a protective stop (it closes the whole position). */
  quantity: z.number().optional(),
  status: z.string(),
  agent_id: z.string().nullable(),
  /** Protective stops only (agent_id `protective_stop`). */
  type: z.literal('STOP_MARKET').optional(),
  stop_price: z.number().optional(),
  close_position: z.boolean().optional(),
});

const fill = z.object({
  /** Our client order id; null when the exchange did not say (a fill read by REST polling). */
  order_id: z.string().nullable(),
  exchange_order_id: z.string(),
  trade_id: z.string(),
  symbol: z.string(),
  side,
  quantity: z.number(),
  price: z.number(),
  fee_usd: z.number(),
  exchange: z.string(),
  /** A commission in another asset (BNB, ASTER), as the exchange reported it, not converted. */
  fee_asset: z.string().optional(),
  fee_amount: z.number().optional(),
  /** `stream`: learned from the user-data stream. */
  source: z.literal('stream').optional(),
  /** Not from an order of ours: what it was. */
  foreign: z.enum(['liquidation', 'adl', 'other']).optional(),
});

const funding = z.object({
  id: z.string(),
  symbol: z.string(),
  amount_usd: z.number(),
  time_ms: z.number(),
});

const ledger = z.object({
  /** The exchange's transaction id (unique within its income type). */
  id: z.string(),
  kind: z.string(),
  /** The exchange's incomeType. */
  income_type: z.string(),
  /** in_trades (recorded only), pnl, cash_movement (NAV references rebased). */
  treatment: z.enum(['in_trades', 'pnl', 'cash_movement']),
  symbol: z.string(),
  amount_usd: z.number(),
  /** When the exchange booked it (its clock); the event's own time is when the worker did. */
  time_ms: z.number(),
});

const symbolHold = z.object({
  symbol: z.string(),
  state: z.enum(['REDUCING', 'HALTED', 'CLEARED']),
  cause: z.enum(['liquidation', 'delisted', 'settings']),
  reason: z.string(),
  by: z.string(),
});

const killSwitch = z.object({
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
const killSwitchOrders = z.object({
  reason: z.string(),
  cancelled: z.array(orderRef),
  failed: z.array(orderRef.extend({ error: z.string() })),
  kept: z.array(orderRef),
  unlisted: z.array(z.object({ symbol: z.string(), error: z.string() })),
});

const tradingStateChange = z.object({
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

const breakerTransition = z.object({
  name: z.string(),
  from: z.enum(['closed', 'open', 'half_open']),
  to: z.enum(['closed', 'open', 'half_open']),
  reason: z.string(),
});

/** A worker alert, or one delivered by Alertmanager (which adds annotations, ends_at, fingerprint, truncated_alerts). */
const alert = z.looseObject({
  source: z.enum(['worker', 'alertmanager']),
  status: z.string(),
  severity: z.string(),
  summary: z.string(),
  description: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  starts_at: z.string(),
});

/** The operator's action as the API received it (its own keys), who did it and what came of it. */
const controlAction = z.looseObject({ by: z.string(), result: z.string() });

/** A decision-trail line when the trail lives in the store: its shape is the trail's. */
const decision = z.record(z.string(), z.unknown());

/** The payload schema of each event type. A schema only widens: old rows must keep parsing. */
export const eventPayloadSchemas = {
  signal: z.union([signal, legacySignal]),
  risk_decision: riskDecision,
  order,
  fill,
  funding,
  ledger,
  symbol_hold: symbolHold,
  portfolio: z.union([portfolio, legacyPortfolio]),
  kill_switch: killSwitch,
  kill_switch_orders: killSwitchOrders,
  trading_state: tradingStateChange,
  reconciliation: reconciliationReportSchema,
  breaker_transition: breakerTransition,
  alert,
  control_action: controlAction,
  decision,
} satisfies Record<EventType, z.ZodType>;

/** The payload of an event of type T, as written and as read back (old names already renamed). */
export type EventPayload<T extends EventType> = z.output<(typeof eventPayloadSchemas)[T]>;

/** A stored payload that does not parse as its type: skipped by reads, reported to the store's `onMalformed`. */
export interface MalformedEvent {
  id: number;
  type: string;
  /** Zod's issues, one line. */
  error: string;
}

/**
 * Parses a stored payload as its type: the typed payload, or a MalformedEvent-ready error message
 * for an unknown type or a payload that does not match (never throws).
 */
export function parseEventPayload<T extends EventType>(
  type: T,
  raw: unknown,
): { ok: true; payload: EventPayload<T> } | { ok: false; error: string } {
  const schema = (eventPayloadSchemas as Record<string, z.ZodType>)[type];
  if (!schema) return { ok: false, error: `unknown event type ${JSON.stringify(type)}` };
  const r = schema.safeParse(raw);
  return r.success
    ? { ok: true, payload: r.data as EventPayload<T> }
    : { ok: false, error: z.prettifyError(r.error).replace(/\n/g, '; ') };
}
