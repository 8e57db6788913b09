// What the kill switch's reach on the exchange reports (exchange-protection.ts): the orders a sweep
// cancelled, failed to cancel or kept, and the positions a flatten closed; snake_case, as stored
// in the `kill_switch_orders` event and answered by the API.

export interface OrderRef {
  symbol: string;
  client_order_id: string;
  type: string;
  side: 'BUY' | 'SELL';
}

export interface SweepResult {
  cancelled: OrderRef[];
  /** Cancels that failed; retried in the background (`error`: the last failure). */
  failed: (OrderRef & { error: string })[];
  /** Reduce-only and Close-All orders left in place. */
  kept: OrderRef[];
  /** Symbols whose open orders could not be listed (swept again on retry). */
  unlisted: { symbol: string; error: string }[];
}

export interface FlattenResult {
  closed: {
    symbol: string;
    side: 'BUY' | 'SELL';
    quantity: number;
    order_id: string;
    status: string;
  }[];
  failed: { symbol: string; error: string }[];
}
