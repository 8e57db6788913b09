// An order on its way: planned by the cycle (or a flatten), checked by the risk engine, sent by the
// executor. One shape from the plan to the exchange; the other order types derive from it.
import type { Side } from '../ports/exchange.ts';

/**
 * One order the worker means to send: a MARKET order of `quantity` (base units) of `symbol`.
 * `price` (USD per unit) is the reference the sizing and the risk check used (the mark, on the
 * symbol's tick), not a limit. `orderId` is the client order id, unique per worker start.
 */
export interface OrderIntent {
  orderId: string;
  symbol: string;
  side: Side;
  quantity: number;
  price: number;
  /** The agent behind it (`stop_loss`, `flatten` for the worker's own orders); absent when unknown. */
  agentId?: string;
  /** Sent reduce-only: it may only cut a position (stop-loss closes, flatten). */
  reduceOnly?: boolean;
}
