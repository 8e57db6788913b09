// Order answers: POST/GET/DELETE /fapi/v1/order and GET /fapi/v1/openOrders share one shape.
// The new-order answer has no `time`, only `updateTime`; the others have both. The cancel answer
// has no `avgPrice` (v3.md, "Cancel Order": the example lists cumQty and cumQuote, no avgPrice).
import { z } from 'zod';
import type { ExchangeOrder } from '../../../../ports/exchange.ts';
import { decimal, id, millis, side } from './common.ts';

/** EXPIRED_IN_MATCH (self-trade prevention) is an expiry as far as the domain is concerned. */
const status = z
  .enum([
    'NEW',
    'PARTIALLY_FILLED',
    'FILLED',
    'CANCELED',
    'REJECTED',
    'EXPIRED',
    'EXPIRED_IN_MATCH',
  ])
  .transform((s) => (s === 'EXPIRED_IN_MATCH' ? 'EXPIRED' : s));

/** The port knows MARKET, LIMIT and STOP_MARKET; other conditional orders placed elsewhere
 *  (TAKE_PROFIT_MARKET, TRAILING_STOP_MARKET, STOP, …) map by how they execute once triggered, so
 *  an open-orders listing never fails on them. */
const type = z
  .string()
  .transform((t): ExchangeOrder['type'] =>
    t === 'STOP_MARKET' ? 'STOP_MARKET' : t.endsWith('MARKET') ? 'MARKET' : 'LIMIT',
  );

/** Without `avgPrice`: the quote amount filled over the quantity filled (0 when nothing filled). */
const averagePrice = (executedQty: number, cumQuote: number | undefined) =>
  executedQty > 0 && cumQuote !== undefined ? cumQuote / executedQty : 0;

export const order = z
  .object({
    orderId: id,
    clientOrderId: z.string(),
    symbol: z.string(),
    side,
    type,
    status,
    origQty: decimal,
    executedQty: decimal,
    avgPrice: decimal.optional(),
    cumQuote: decimal.optional(),
    price: decimal,
    stopPrice: decimal.optional(),
    reduceOnly: z.boolean().optional(),
    closePosition: z.boolean().optional(),
    time: millis.optional(),
    updateTime: millis,
  })
  .transform((o): ExchangeOrder => ({
    orderId: o.orderId,
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    status: o.status,
    quantity: o.origQty,
    executedQty: o.executedQty,
    avgPrice: o.avgPrice ?? averagePrice(o.executedQty, o.cumQuote),
    price: o.price,
    timeMs: o.time ?? o.updateTime,
    ...(o.type === 'STOP_MARKET' ? { stopPrice: o.stopPrice ?? 0 } : {}),
    reduceOnly: o.reduceOnly ?? false,
    closePosition: o.closePosition ?? false,
  }));

export const orders = z.array(order);

/**
 * GET /fapi/v1/forceOrders (User's Force Orders): the exchange's own orders on the account. Kind
 * from the client order id as the docs name it: `autoclose-…` a liquidation, `adl_autoclose` an ADL.
 */
export const forcedOrders = z.array(
  z
    .object({
      orderId: id,
      clientOrderId: z.string(),
      symbol: z.string(),
      side,
      executedQty: decimal,
      time: millis,
      updateTime: millis,
    })
    .transform((o) => ({
      orderId: o.orderId,
      symbol: o.symbol,
      kind: o.clientOrderId === 'adl_autoclose' ? ('adl' as const) : ('liquidation' as const),
      side: o.side,
      quantity: o.executedQty,
      timeMs: o.updateTime,
    })),
);
