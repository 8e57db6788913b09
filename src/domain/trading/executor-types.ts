// What the executor takes and answers: an approved order (an intent with its risk token), its
// execution (the order and its fills), the executor's options and calls (executor.ts).
import type { Refusal } from './refusals.ts';
import type { EventStore } from '../../ports/event-store.ts';
import type { Exchange, ExchangeOrder, ExchangeTrade } from '../../ports/exchange.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { RiskTokenVerifier } from '../../ports/risk-tokens.ts';
import type { FillOrigin } from '../../ports/user-stream.ts';
import type { OrderIntent } from '../order-intent.ts';
import type { PortfolioBook } from '../portfolio/book.ts';
import type { SentOrderIndex } from '../reconciliation/sent-orders.ts';
import type { InFlightOrders } from './in-flight.ts';
import type { HoldOptions } from './refusal-hold.ts';

/**
 * An order intent with the risk token its approval carried. The token is optional in the type
 * only so that the gate itself refuses an order without one (OrderRefusedError `missing_token`).
 */
export type ApprovedOrder = OrderIntent & { riskToken?: string };

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
  clock: {
    /** Wall clock (ms): risk-token checks and records. */
    nowMs: () => number;
    /** Monotonic clock (ms, epoch scale): refused-order holds and the give-up on an order in flight. */
    monoMs: () => number;
  };
  /** The order ids this worker keeps: sent (by exchange id) and still in flight. */
  orders: {
    /** Remembers the exchange order ids we caused (reconciliation flags any other trade). */
    ourOrders: Pick<SentOrderIndex, 'add'>;
    /** Orders whose outcome is not known yet; the executor adds, resolves and removes them. */
    inFlight: InFlightOrders;
  };
  /** When to give up on, hold back or release an order; defaults when absent. */
  policy?: {
    /**
     * How long after its first send an order the exchange does not know is given up as never placed
     * (ms). Past the exchange's window (V1 recvWindow 5 s, V3 nonce window 10 s: API docs) the first
     * request can no longer execute. Default 60 s.
     */
    abandonAfterMs?: number;
    /** When a refused order may be sent again (refusal-hold.ts); default DEFAULT_HOLD. */
    hold?: Partial<HoldOptions>;
    /** The exchange's rules of a symbol as last read (any JSON-able value; a change releases the symbol's held orders); absent when the worker does not read rules. */
    rulesOf?: (symbol: string) => unknown;
  };
  /** Called after an order's fills are booked (e.g. to bring the protective stops in line). */
  onBooked?: (symbol: string) => void;
  /** Called with every refusal of an order sent (settings_changed: read the account's settings again). */
  onRefused?: (symbol: string, refusal: Refusal) => void;
}

export interface Executor {
  execute(order: ApprovedOrder): Promise<Execution>;
  /**
   * Looks up every order in flight that no send is working on: one the exchange has is booked
   * (order and fill events, the book, our order ids) and forgotten; one it does not know past
   * `abandonAfterMs` is forgotten as never placed; a failed look-up keeps it for the next call.
   * Resolves with the number still in flight; never rejects.
   */
  resolveInFlight(): Promise<number>;
  /**
   * Books an order of ours that executed outside `execute` (a protective stop the exchange
   * triggered): its fills into the book, `order` and `fill` events. The caller books each order once.
   */
  adopt(order: ExchangeOrder): Promise<Execution>;
  /**
   * Books one fill learned outside an order's own answer (the user-data stream, a REST catch-up)
   * exactly once: a trade id already booked, by any path, is skipped (resolves false). `origin`
   * marks a fill of an order the worker did not send (liquidation, ADL, another trade on the
   * account): booked all the same, so the book follows the account, and its `fill` event says so.
   */
  bookFill(fill: ExchangeTrade & { clientOrderId?: string }, origin?: FillOrigin): Promise<boolean>;
  /** True once a trade id was booked, by any path. */
  isBooked(tradeId: string): boolean;
  /** True for an order this process sent: in flight (by client order id) or placed (by exchange order id). */
  isOwn(clientOrderId: string, orderId: string): boolean;
}
