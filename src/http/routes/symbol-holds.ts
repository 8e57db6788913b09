// GET /v1/control/symbol-holds and POST /v1/control/symbol-holds/:symbol/clear: the symbols whose
// trading is stopped on their own (after a liquidation, ...) and the operator's hand to clear one.
// POST /v1/control/account-settings/accept: the operator accepts the leverage and margin types in
// force after they changed under the worker. Each is stored as a control_action event; clearing a
// symbol that is not held answers 404.
import { Hono } from 'hono';
import { z } from 'zod';
import { EventType } from '../../ports/event-store.ts';
import type { AppDeps } from '../deps.ts';
import { jsonError } from '../error-handler.ts';
import { validate } from '../validate.ts';

const clearBody = z.strictObject({
  reason: z.string().trim().min(1).max(500).optional(),
  operator: z
    .string()
    .regex(/^[A-Za-z0-9_.@:-]{1,64}$/, 'expected 1-64 letters, digits, _ . @ : or -')
    .optional(),
});
const symbolParam = z.object({ symbol: z.string().regex(/^[A-Z0-9]{1,32}$/, 'expected a symbol') });

const view = (holds: ReturnType<NonNullable<AppDeps['risk']['holds']>['all']>) =>
  Object.entries(holds).map(([symbol, h]) => ({
    symbol,
    state: h.state,
    cause: h.cause,
    reason: h.reason,
    by: h.by,
    since: new Date(h.sinceMs).toISOString(),
  }));

export function symbolHoldRoutes(deps: Pick<AppDeps, 'risk' | 'store' | 'trading'>) {
  const holds = deps.risk.holds;
  return new Hono()
    .post('/v1/control/account-settings/accept', validate('json', clearBody), async (c) => {
      const body = c.req.valid('json');
      if (!deps.trading.settings)
        return jsonError(
          c,
          404,
          'no_settings_watch',
          'only a worker on a live exchange watches its account settings',
        );
      const by = body.operator ?? 'api';
      const mismatches = await deps.trading.settings.accept(by);
      await deps.store.append({
        type: EventType.controlAction,
        payload: {
          endpoint: 'account-settings/accept',
          ...body,
          by,
          result: mismatches.length ? 'still_differs' : 'accepted',
        },
      });
      return c.json({
        accepted: true,
        // What still differs: a position mode the worker cannot trade with (hedge) is never accepted.
        mismatches,
        expected: deps.trading.settings.expected(),
        holds: holds ? view(holds.all()) : [],
      });
    })
    .get('/v1/control/symbol-holds', (c) => c.json({ holds: holds ? view(holds.all()) : [] }))
    .post(
      '/v1/control/symbol-holds/:symbol/clear',
      validate('param', symbolParam),
      validate('json', clearBody),
      async (c) => {
        const { symbol } = c.req.valid('param');
        const body = c.req.valid('json');
        const by = body.operator ?? 'api';
        const cleared = (await holds?.clear(symbol, by, body.reason)) ?? false;
        await deps.store.append({
          type: EventType.controlAction,
          payload: {
            endpoint: 'symbol-holds/clear',
            symbol,
            ...body,
            by,
            result: cleared ? 'cleared' : 'not_held',
          },
        });
        if (!cleared) return jsonError(c, 404, 'not_held', `${symbol} is not held`);
        return c.json({ cleared: true, symbol, holds: view(holds!.all()) });
      },
    );
}
