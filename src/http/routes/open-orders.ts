// GET /v1/orders/open: the orders resting on the exchange for the traded symbols, the worker's own
// protective stops (reduce-only / Close-All STOP_MARKET) included and marked as such.
import { Hono } from 'hono';
import { describeRoute, resolver } from 'hono-openapi';
import { z } from 'zod';
import { cannotAddExposure, type ExchangeOrder } from '../../ports/exchange.ts';
import type { AppDeps } from '../deps.ts';
import { jsonError } from '../error-handler.ts';

/** One open order as the API answers it (snake_case, times as ISO-8601). */
export const openOrderView = (order: ExchangeOrder) => ({
  order_id: order.orderId,
  client_order_id: order.clientOrderId,
  symbol: order.symbol,
  side: order.side,
  type: order.type,
  status: order.status,
  quantity: order.quantity,
  executed_qty: order.executedQty,
  price: order.price,
  stop_price: order.stopPrice ?? null,
  reduce_only: order.reduceOnly === true,
  close_position: order.closePosition === true,
  protective: cannotAddExposure(order),
  time: new Date(order.timeMs).toISOString(),
});

const openOrderSchema = z.object({
  order_id: z.string(),
  client_order_id: z.string(),
  symbol: z.string(),
  side: z.enum(['BUY', 'SELL']),
  type: z.enum(['MARKET', 'LIMIT', 'STOP_MARKET']),
  status: z.string(),
  quantity: z.number().describe('0 for a Close-All stop (it closes the whole position)'),
  executed_qty: z.number(),
  price: z.number().describe('limit price; 0 for market and stop-market orders'),
  stop_price: z.number().nullable().describe('STOP_MARKET: the mark price that triggers it'),
  reduce_only: z.boolean(),
  close_position: z.boolean(),
  protective: z
    .boolean()
    .describe('reduce-only or Close-All: cannot add exposure, so the kill switch keeps it'),
  time: z.string(),
});

const doc = describeRoute({
  summary: 'Open orders on the exchange, protective stops included',
  description:
    'Read from the exchange on each call, one request per traded symbol (Aster: weight 1 each, GET /fapi/v3/openOrders). 503 `trading_disabled` when the worker has no exchange.',
  responses: {
    200: {
      description: 'The open orders, oldest first',
      content: {
        'application/json': {
          schema: resolver(z.object({ orders: z.array(openOrderSchema) })),
        },
      },
    },
  },
});

export function openOrdersRoutes(deps: Pick<AppDeps, 'trading'>) {
  return new Hono().get('/v1/orders/open', doc, async (c) => {
    if (!deps.trading)
      return jsonError(c, 503, 'trading_disabled', 'this worker has no exchange to read');
    const orders = await deps.trading.openOrders();
    return c.json({ orders: orders.map(openOrderView) });
  });
}
