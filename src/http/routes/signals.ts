// POST /v1/signals: an external agent's signal joins the next coordinator cycle, where it is
// arbitrated with the built-in agents' signals and still passes the risk check. 202 when queued,
// 429 when the queue is full (the loop is behind), 503 when the loop is not running.
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.ts';
import { jsonError } from '../error-handler.ts';
import { validate } from '../validate.ts';

const signalBody = z.strictObject({
  agent_id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected 1-64 letters, digits, _ . or -'),
  symbol: z.string().regex(/^[A-Z0-9]{2,20}$/, 'expected an upper-case symbol such as BTCUSDT'),
  direction: z.enum(['LONG', 'SHORT', 'FLAT']),
  confidence: z.number().min(0).max(1),
  /** Suggested position size as a fraction of NAV. */
  size_hint: z.number().min(0).max(1),
  rationale: z.string().max(1_000).default(''),
});

export function signalsRoutes(deps: Pick<AppDeps, 'trading' | 'nowMs'>) {
  return new Hono().post('/v1/signals', validate('json', signalBody), (c) => {
    const body = c.req.valid('json');
    const trading = deps.trading.loop;
    if (!trading?.loopRunning())
      return jsonError(
        c,
        503,
        'loop_not_running',
        'the trading loop is not running (AIS_LOOP_ENABLED=false): signals would never be used',
      );
    if (!trading.symbols.includes(body.symbol))
      return jsonError(
        c,
        400,
        'unknown_symbol',
        `symbol ${body.symbol} is not traded here; traded: ${trading.symbols.join(', ')}`,
      );
    const accepted = trading.submitSignal({
      agentId: body.agent_id,
      symbol: body.symbol,
      direction: body.direction,
      confidence: body.confidence,
      sizeHint: body.size_hint,
      rationale: body.rationale,
      timeMs: deps.nowMs(),
    });
    if (!accepted)
      return jsonError(
        c,
        429,
        'signal_queue_full',
        'too many signals wait for the next cycle; retry later',
      );
    return c.json({ queued: true }, 202);
  });
}
