// What an operator's request carries besides its action (a reason, who asked) and how it is
// recorded: one control_action event per request, as the kill switch and trading state are.
import { z } from 'zod';
import { EventType, type EventStore } from '../ports/event-store.ts';

/** Why: free text in the event, never a metric label. */
export const reason = z.string().trim().min(1).max(500);
/** Who asked: free text in the event, never a metric label. */
export const operator = z
  .string()
  .regex(/^[A-Za-z0-9_.@:-]{1,64}$/, 'expected 1-64 letters, digits, _ . @ : or -')
  .optional();
/** The optional body of an action without other input (a body-less request reads as `{}`). */
export const actionBody = z.strictObject({ reason: reason.optional(), operator });

/** Stores the request as a control_action event: its keys, who (`operator`, else `api`) and the result. */
export async function recordAction(
  store: Pick<EventStore, 'append'>,
  endpoint: string,
  action: { operator?: string } & Record<string, unknown>,
  result: string,
): Promise<void> {
  await store.append({
    type: EventType.controlAction,
    payload: { endpoint, ...action, by: action.operator ?? 'api', result },
  });
}
