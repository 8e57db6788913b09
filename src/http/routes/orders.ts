// POST /v1/orders/check: pre-trade risk check of one order or a batch ({"orders": [...]}, up to
// 1,000). Each answer names the first failing guard, every guard's outcome, and a token on approval.
import { Hono } from 'hono';
import { describeRoute, resolver } from 'hono-openapi';
import { z } from 'zod';
import { CLOSE_POSITION, GUARDS, INVALID_INPUT } from '../../domain/risk/guards.ts';
import type { RiskDecision } from '../../domain/risk/risk-service.ts';
import type { AppDeps } from '../deps.ts';
import { validate } from '../validate.ts';
import { jsonError } from '../error-handler.ts';

const MAX_BATCH_ORDERS = 1_000;
/** The Idempotency-Key header's form (a batch's orders are keyed `<key>#<index>`). */
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,64}$/;

const orderSchema = z.strictObject({
  symbol: z.string().regex(/^[A-Z0-9]{2,30}$/, 'expected an upper-case symbol such as BTCUSDT'),
  side: z.enum(['BUY', 'SELL']),
  quantity: z.number().positive(),
  price: z.number().positive(),
  agent_id: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'expected 1-64 letters, digits, _ . : or -')
    .optional(),
  // Binance/Aster newClientOrderId rules, so that the id can travel to the exchange unchanged.
  client_order_id: z
    .string()
    .regex(/^[.A-Z:/a-z0-9_-]{1,36}$/, 'expected 1-36 characters of A-Z a-z 0-9 . : / _ -')
    .optional()
    .describe(
      'the idempotency key of this check: repeated, it answers the decision stored for it and decides nothing',
    ),
});
// The single order first: it is the common case, and zod tries a union's options in order (a single
// order validates in 0.4 µs against 1.0 µs with the batch first; a batch pays 0.4 µs more, once).
const checkBody = z.union([
  orderSchema,
  z.strictObject({ orders: z.array(orderSchema).min(1).max(MAX_BATCH_ORDERS) }),
]);

type OrderBody = z.infer<typeof orderSchema>;

const guardCheck = z.object({
  guard: z.enum([...GUARDS, CLOSE_POSITION]),
  value: z
    .union([z.number(), z.string(), z.null()])
    .describe('the figure after the order (null when unknown or not finite)'),
  limit: z.union([z.number(), z.string(), z.null()]),
  passed: z
    .boolean()
    .nullable()
    .describe('null: not evaluated (order_rate after an earlier failure)'),
  filter: z
    .string()
    .optional()
    .describe('exchange_rules only: the filter and rule that failed, e.g. LOT_SIZE.stepSize'),
});
const decisionSchema = z.object({
  approved: z.boolean(),
  order_id: z.string(),
  token: z.string().optional().describe('on approval: the risk token the executor requires'),
  guard: z
    .enum([...GUARDS, INVALID_INPUT])
    .optional()
    .describe('on rejection: the first failing guard'),
  reason: z.string().optional(),
  checks: z.array(guardCheck),
});
const checkDoc = describeRoute({
  summary: 'Pre-trade risk check of one order or a batch',
  description: `Guards in their fixed order: ${GUARDS.join(', ')}. \`margin\`: the initial margin (opening quantity × price / the symbol's leverage, USD) against the available balance; \`liquidation_distance\`: the smallest |mark − liquidation price| / mark of any position after the order against AIS_MIN_LIQUIDATION_DISTANCE. Both pass with null figures until the account's margin has been read.`,
  parameters: [
    {
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      schema: { type: 'string', pattern: IDEMPOTENCY_KEY.source },
      description:
        "The check's idempotency key when an order has no client_order_id (a batch's orders are keyed `<key>#<index>`): repeated, it answers the stored decision and decides nothing.",
    },
  ],
  responses: {
    503: {
      description:
        "Error codes: `store_unavailable` (nothing was recorded; retry after `Retry-After` s, the database breaker's remaining cool-down), `outcome_unknown` (the database may have recorded the decision: retry with the same client_order_id or Idempotency-Key, which answers the stored one), `dependency_unavailable`; `control_disabled` when AIS_API_TOKEN is not set.",
      headers: { 'Retry-After': { schema: { type: 'integer' } } },
    },
    200: {
      description: 'One decision, or `{results: [...]}` for a batch',
      content: {
        'application/json': {
          schema: resolver(
            z.union([decisionSchema, z.object({ results: z.array(decisionSchema) })]),
          ),
        },
      },
    },
  },
});

const answer = (d: RiskDecision) =>
  d.approved
    ? { approved: true, order_id: d.orderId, token: d.token, checks: d.checks }
    : { approved: false, order_id: d.orderId, guard: d.guard, reason: d.reason, checks: d.checks };

export function ordersRoutes(deps: Pick<AppDeps, 'risk'>) {
  const toRequest = (o: OrderBody) => ({
    orderId: o.client_order_id ?? crypto.randomUUID(),
    symbol: o.symbol,
    side: o.side,
    quantity: o.quantity,
    price: o.price,
    agentId: o.agent_id,
  });
  return new Hono().post('/v1/orders/check', checkDoc, validate('json', checkBody), async (c) => {
    const body = c.req.valid('json');
    const header = c.req.header('idempotency-key');
    if (header !== undefined && !IDEMPOTENCY_KEY.test(header))
      return jsonError(
        c,
        400,
        'invalid_request',
        'Idempotency-Key: expected 1-64 of A-Z a-z 0-9 . : _ -',
      );
    // An order's key: its client_order_id, else the header's (with the order's index in a batch).
    const keyOf = (o: OrderBody, i: number | undefined) =>
      o.client_order_id ??
      (header === undefined ? undefined : i === undefined ? header : `${header}#${i}`);
    if ('orders' in body) {
      const keys = body.orders.map(keyOf);
      const decisions = await deps.risk.service.check(body.orders.map(toRequest), 'api', keys);
      return c.json({ results: decisions.map(answer) });
    }
    const keys = [keyOf(body, undefined)];
    const [decision] = await deps.risk.service.check([toRequest(body)], 'api', keys);
    return c.json(answer(decision!));
  });
}
