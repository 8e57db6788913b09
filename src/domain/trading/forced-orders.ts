// The exchange's own orders on the account: liquidations and auto-deleverages (ADL). Their trades
// are neither ours nor a stranger's: the stream names them by client order id (`autoclose-…`,
// `adl_autoclose`), REST by the "User's Force Orders" list, which this index reads. Reconciliation
// asks it before calling a trade foreign; the account stream books what REST found.
import type { Exchange, ForcedOrder } from '../../ports/exchange.ts';

/** How long an id is remembered (the reconciler's trade window is shorter). */
const KEEP_MS = 7 * 86_400_000;

export type ForcedKind = ForcedOrder['kind'];

export interface ForcedOrderIndex {
  /** The kind of the exchange's order `orderId`, or undefined when it is not one of the exchange's. */
  kindOf(orderId: string): ForcedKind | undefined;
  /** Records an order the stream named as the exchange's (`timeMs`: the exchange's clock). */
  note(orderId: string, kind: ForcedKind, timeMs: number): void;
  /** Reads the exchange's forced orders since `sinceMs` (the exchange's clock), notes them, and returns them. Throws what the exchange throws. */
  refresh(sinceMs: number): Promise<ForcedOrder[]>;
}

export function createForcedOrderIndex(exchange: Pick<Exchange, 'forcedOrders'>): ForcedOrderIndex {
  const kinds = new Map<string, { kind: ForcedKind; timeMs: number }>();
  const note = (orderId: string, kind: ForcedKind, timeMs: number) => {
    kinds.set(orderId, { kind, timeMs });
  };
  return {
    kindOf: (orderId) => kinds.get(orderId)?.kind,
    note,
    async refresh(sinceMs) {
      const found = await exchange.forcedOrders(sinceMs);
      for (const f of found) note(f.orderId, f.kind, f.timeMs);
      const newest = Math.max(sinceMs, ...found.map((f) => f.timeMs));
      for (const [id, k] of kinds) if (k.timeMs < newest - KEEP_MS) kinds.delete(id);
      return found;
    },
  };
}
