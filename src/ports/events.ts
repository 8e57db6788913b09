// Every event type the worker records and the schema of its payload: what a writer must give and
// what a reader gets back. Stored payloads are a contract (product.md, Records): rows written by
// older versions must still parse, so a schema only ever widens, and renamed keys are read under
// their old names too.
//
// Convention: payload keys are snake_case (as the API answers). `signal` and `portfolio` were
// written in camelCase until this module; their old rows are read and renamed to snake_case.
import { z } from 'zod';
import {
  alert,
  breakerTransition,
  controlAction,
  decision,
  killSwitch,
  killSwitchOrders,
  reconciliationReportSchema,
  tradingStateChange,
} from './events-control.ts';
import {
  fill,
  funding,
  legacyPortfolio,
  legacySignal,
  order,
  portfolio,
  riskDecision,
  signal,
  type StoredCheck,
} from './events-trading.ts';

import { ledger, symbolHold } from './events-account.ts';

export { reconciliationReportSchema, type StoredCheck };

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
