// POST /v1/control/kill-switch and /v1/control/trading-state: the operator's hands on trading.
// Each request is stored as a control_action event; a refused change answers 409.
import { Hono } from 'hono';
import { z } from 'zod';
import { type ControlOutcome, killSwitchView } from '../../domain/risk/trading-control.ts';
import type { AppDeps } from '../deps.ts';
import { jsonError } from '../error-handler.ts';
import { validate } from '../validate.ts';

const reason = z.string().trim().min(1).max(500);
/** Who asked: free text in the event, never a metric label. */
const operator = z.string().regex(/^[A-Za-z0-9_.@:-]{1,64}$/, 'expected 1-64 letters, digits, _ . @ : or -').optional();

export const killSwitchBody = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('trigger'), reason, operator }),
  z.strictObject({ action: z.literal('reset'), reason: reason.optional(), operator }),
]);
export const tradingStateBody = z.strictObject({ state: z.enum(['ACTIVE', 'REDUCING', 'HALTED']), reason: reason.optional(), operator });

export function controlRoutes(deps: Pick<AppDeps, 'risk'>) {
  const { control } = deps.risk;
  const view = (outcome: ControlOutcome) => ({
    changed: outcome.ok && outcome.events.length > 0,
    trading_state: outcome.state.tradingState,
    kill_switch: killSwitchView(outcome.state),
  });
  return new Hono()
    .post('/v1/control/kill-switch', validate('json', killSwitchBody), async (c) => {
      const body = c.req.valid('json');
      const by = body.operator ?? 'api';
      const outcome = await control.apply(
        body.action === 'trigger' ? { type: 'trigger', reason: body.reason, by, source: 'manual' } : { type: 'reset', by, reason: body.reason },
        { endpoint: 'kill-switch', ...body },
      );
      return c.json(view(outcome));
    })
    .post('/v1/control/trading-state', validate('json', tradingStateBody), async (c) => {
      const body = c.req.valid('json');
      const outcome = await control.apply({ type: 'set_state', state: body.state, by: body.operator ?? 'api', reason: body.reason }, { endpoint: 'trading-state', ...body });
      if (!outcome.ok) return jsonError(c, 409, outcome.code, outcome.message);
      return c.json(view(outcome));
    });
}
