// Orders this worker sent whose outcome is not known yet: the request is out (or its answer was
// lost) and the exchange has not told us whether it executed. Reconciliation does not judge what
// such an order may explain (see reconcile.ts, DEFERRED), and the executor resolves each one later
// by looking its client order id up. In memory: a restart starts empty, and the first
// reconciliation after it judges everything (an order lost across a crash is a real divergence).

export interface InFlightOrder {
  /** Our client order id (the exchange finds the order by it). */
  clientOrderId: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  quantity: number;
  /** Monotonic ms (epoch scale, clocks.ts) when it was first sent: times the give-up, never recorded. */
  sentMs: number;
  agentId?: string;
  /** True while a send or a look-up of it is running (the resolver leaves it alone). */
  busy: boolean;
}

export interface InFlightOrders {
  add(order: Omit<InFlightOrder, 'busy'>): void;
  get(clientOrderId: string): InFlightOrder | undefined;
  /** Forgets the order: its outcome is known (placed and booked, or never placed). */
  remove(clientOrderId: string): void;
  /** Marks a send or look-up as running (true) or done (false). */
  setBusy(clientOrderId: string, busy: boolean): void;
  list(): InFlightOrder[];
  /** Symbols with at least one order in flight. */
  symbols(): Set<string>;
  readonly size: number;
}

export function createInFlightOrders(): InFlightOrders {
  const orders = new Map<string, InFlightOrder>();
  return {
    add: (o) => void orders.set(o.clientOrderId, { ...o, busy: true }),
    get: (id) => orders.get(id),
    remove: (id) => void orders.delete(id),
    setBusy(id, busy) {
      const o = orders.get(id);
      if (o) o.busy = busy;
    },
    list: () => [...orders.values()],
    symbols: () => new Set([...orders.values()].map((o) => o.symbol)),
    get size() {
      return orders.size;
    },
  };
}
