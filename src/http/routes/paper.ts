// POST /v1/paper/shock: a drill for paper mode. The next bar of `symbol` in the synthetic market
// jumps by `fraction` (-0.5 = a 50 % crash), so an operator can watch the whole chain work on a
// test install: drawdown, kill switch, Prometheus alert, Alertmanager, Slack. 404 unless the worker
// trades on paper; the request is stored as a control_action event.
import { Hono } from 'hono';
import { z } from 'zod';
import { EventType } from '../../ports/event-store.ts';
import type { AppDeps } from '../deps.ts';
import { jsonError } from '../error-handler.ts';
import { validate } from '../validate.ts';

const shockBody = z.strictObject({
  symbol: z.string().regex(/^[A-Z0-9]{2,20}$/, 'expected an upper-case symbol such as BTCUSDT'),
  /** Above -1 (a price stays positive), at most +10 (an 11-fold jump). */
  fraction: z
    .number()
    .gt(-1)
    .max(10)
    .refine((f) => f !== 0, 'a shock of 0 does nothing'),
  reason: z.string().trim().min(1).max(500).optional(),
});

export function paperRoutes(deps: Pick<AppDeps, 'trading' | 'store'>) {
  return new Hono().post('/v1/paper/shock', validate('json', shockBody), async (c) => {
    const body = c.req.valid('json');
    if (!deps.trading.paper)
      return jsonError(c, 404, 'not_paper', 'market shocks exist only when AIS_EXCHANGE=paper');
    if (!deps.trading.paper.symbols.includes(body.symbol))
      return jsonError(
        c,
        400,
        'unknown_symbol',
        `symbol ${body.symbol} is not in the paper market; it has: ${deps.trading.paper.symbols.join(', ')}`,
      );
    await deps.store.append({
      type: EventType.controlAction,
      payload: { endpoint: 'paper-shock', ...body, by: 'api', result: 'applied' },
    });
    deps.trading.paper.shock(body.symbol, body.fraction);
    return c.json({ scheduled: true, symbol: body.symbol, fraction: body.fraction });
  });
}
