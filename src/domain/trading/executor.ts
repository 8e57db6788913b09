// The executor: the only path from an approved order to the exchange. The order gate refuses any
// order without a valid risk token for its own id; the exchange gets the order id as its client
// order id (so a retry never doubles it); fills are read back from the exchange's trades (exact
// prices and fees) and booked into the internal portfolio. Every step is an event.
import type { EventStore } from '../../ports/event-store.ts';
import { EventType } from '../../ports/event-store.ts';
import type { Exchange, ExchangeOrder, ExchangeTrade } from '../../ports/exchange.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { RiskTokenVerifier } from '../../ports/risk-tokens.ts';
import type { PortfolioBook } from '../portfolio/book.ts';
import { applyFill } from '../portfolio/portfolio.ts';
import { gateOrders } from '../risk/order-gate.ts';

export interface ApprovedOrder {
  orderId: string;
  riskToken?: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  quantity: number;
  /** The price the risk check used (the order itself is a market order). */
  price: number;
  agentId?: string;
  reduceOnly?: boolean;
}

export interface Execution {
  order: ExchangeOrder;
  fills: ExchangeTrade[];
}

export interface ExecutorOptions {
  exchange: Exchange;
  tokens: RiskTokenVerifier;
  book: PortfolioBook;
  store: EventStore;
  metrics: Metrics;
  nowMs: () => number;
  /** Remembers the exchange order ids we caused (reconciliation flags any other trade). */
  ourOrders: Set<string>;
}

export interface Executor {
  execute(order: ApprovedOrder): Promise<Execution>;
}

export function createExecutor(o: ExecutorOptions): Executor {
  const paper = o.exchange.name === 'paper';
  const place = gateOrders(async (order: ApprovedOrder): Promise<Execution> => {
    const sentMs = o.nowMs();
    o.metrics.orderSubmitted(order.symbol, order.side);
    const placed = await o.exchange.placeOrder({
      clientOrderId: order.orderId,
      symbol: order.symbol,
      side: order.side,
      type: 'MARKET',
      quantity: order.quantity,
      reduceOnly: order.reduceOnly,
    });
    o.ourOrders.add(placed.orderId);
    const fills = placed.executedQty > 0 ? (await o.exchange.userTrades(order.symbol, sentMs - 1_000)).filter((t) => t.orderId === placed.orderId) : [];
    for (const f of fills) {
      o.book.update((p) => applyFill(p, { symbol: f.symbol, side: f.side, quantity: f.quantity, price: f.price, feeUsd: f.feeUsd }));
      o.metrics.orderFilled(f.symbol, f.side, paper);
    }
    await o.store.appendBatch([
      {
        type: EventType.order,
        stream: order.symbol,
        payload: { order_id: order.orderId, exchange_order_id: placed.orderId, symbol: order.symbol, side: order.side, quantity: order.quantity, status: placed.status, agent_id: order.agentId ?? null },
      },
      ...fills.map((f) => ({
        type: EventType.fill,
        stream: f.symbol,
        payload: { order_id: order.orderId, exchange_order_id: f.orderId, trade_id: f.id, symbol: f.symbol, side: f.side, quantity: f.quantity, price: f.price, fee_usd: f.feeUsd, exchange: o.exchange.name },
      })),
    ]);
    return { order: placed, fills };
  }, o.tokens, o.nowMs);
  return { execute: place };
}
