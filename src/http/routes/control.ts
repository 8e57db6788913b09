// POST /v1/control/kill-switch, /v1/control/trading-state and /v1/control/flatten (close every
// position, or one symbol's, without stopping trading): the operator's hands on trading.
// Each request is stored as a control_action event; a refused change answers 409.
import { Hono } from 'hono';
import { z } from 'zod';
import { type ControlOutcome, killSwitchView } from '../../domain/risk/trading-control.ts';
import type { AppDeps } from '../deps.ts';
import { jsonError } from '../error-handler.ts';
import { validate } from '../validate.ts';
import { operator, reason, recordAction } from '../control-action.ts';

const killSwitchBody = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('trigger'),
    reason,
    operator,
    flatten: z.boolean().optional(),
  }),
  z.strictObject({ action: z.literal('reset'), reason: reason.optional(), operator }),
]);
const tradingStateBody = z.strictObject({
  state: z.enum(['ACTIVE', 'REDUCING', 'HALTED']),
  reason: reason.optional(),
  operator,
});
const flattenBody = z.strictObject({
  reason,
  symbol: z
    .string()
    .regex(/^[A-Z0-9]{2,30}$/, 'expected an upper-case symbol such as BTCUSDT')
    .optional(),
  operator,
});

export function controlRoutes(deps: Pick<AppDeps, 'risk' | 'protection' | 'store'>) {
  const { control } = deps.risk;
  const view = (outcome: ControlOutcome) => ({
    changed: outcome.ok && outcome.events.length > 0,
    trading_state: outcome.state.tradingState,
    kill_switch: killSwitchView(outcome.state),
  });
  /** The orders a stop of trading cancelled on the exchange (joins the sweep the change started). */
  const sweep = async (reason: string) =>
    deps.protection ? { orders: await deps.protection.sweep(reason) } : {};
  return new Hono()
    .post('/v1/control/kill-switch', validate('json', killSwitchBody), async (c) => {
      const body = c.req.valid('json');
      const by = body.operator ?? 'api';
      const outcome = await control.apply(
        body.action === 'trigger'
          ? { type: 'trigger', reason: body.reason, by, source: 'manual' }
          : { type: 'reset', by, reason: body.reason },
        { endpoint: 'kill-switch', ...body },
      );
      if (body.action === 'reset') return c.json(view(outcome));
      const orders = await sweep(`kill switch: ${body.reason}`);
      // A flatten is its own set of orders, each approved by the closing rule (risk-service.ts).
      const flatten =
        body.flatten && deps.protection
          ? { flatten: await deps.protection.flatten(body.reason) }
          : {};
      return c.json({ ...view(outcome), ...orders, ...flatten });
    })
    .post('/v1/control/trading-state', validate('json', tradingStateBody), async (c) => {
      const body = c.req.valid('json');
      const outcome = await control.apply(
        { type: 'set_state', state: body.state, by: body.operator ?? 'api', reason: body.reason },
        { endpoint: 'trading-state', ...body },
      );
      if (!outcome.ok) return jsonError(c, 409, outcome.code, outcome.message);
      const orders =
        body.state === 'HALTED'
          ? await sweep(`trading HALTED${body.reason ? `: ${body.reason}` : ''}`)
          : {};
      return c.json({ ...view(outcome), ...orders });
    })
    .post('/v1/control/flatten', validate('json', flattenBody), async (c) => {
      const body = c.req.valid('json');
      if (!deps.protection)
        return jsonError(c, 503, 'trading_disabled', 'this worker has no exchange to flatten on');
      const flatten = await deps.protection.flatten(body.reason, body.symbol);
      const result = flatten.failed.length
        ? 'failed'
        : flatten.closed.length
          ? 'applied'
          : 'unchanged';
      await recordAction(deps.store, 'flatten', body, result);
      return c.json({ flatten });
    });
}
