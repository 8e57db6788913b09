// The account in real time, from the exchange's user-data stream (ports/user-stream.ts):
// - a fill of an order this worker sent is booked at once, exactly once with the REST path (the
//   executor de-duplicates by trade id);
// - a fill of an order nobody in the swarm sent (a liquidation `autoclose-…`, an ADL, a manual
//   trade) is booked too, so the book follows the account, raises an alert naming what it was, and
//   triggers a reconciliation at once; a fill of another worker's order (client id `ais-…`) is
//   that worker's to book; a liquidation holds its symbol (no exposure added until an operator
//   clears it), an ADL is a warning and trading goes on; the exchange's forced orders found on REST
//   (bookForced, before each reconciliation and in every catch-up) are booked the same way;
// - MARGIN_CALL raises a critical alert and sets REDUCING (never loosening a stricter state);
// - ACCOUNT_UPDATE keeps the exchange's view of wallet and positions current.
// While the stream is down the worker polls (catchUp on a timer), and after each reconnect it
// catches up on REST from when the stream was lost, so nothing is missed across a gap.
import type { StreamSilenceDetector } from './stream-silence.ts';
import { ALERT_OF, onMarginCall } from './account-alerts.ts';
import type { SymbolHoldService } from '../risk/symbol-hold-service.ts';
import type { ForcedOrderIndex } from './forced-orders.ts';
import { WALLET_REASONS } from '../account/ledger.ts';
import type { AlertSink } from '../../ports/alerts.ts';
import type { Exchange } from '../../ports/exchange.ts';
import type { LogPort } from '../../ports/log.ts';
import type { StreamFill, StreamPosition, UserStreamEvent } from '../../ports/user-stream.ts';
import type { SentOrderIndex } from '../reconciliation/sent-orders.ts';
import type { ControlService } from '../risk/control-service.ts';
import type { Executor } from './executor.ts';

/** A forced order's trades are read from this long before the order's time (the two clocks). */
const FORCED_LOOKBACK_MS = 5_000;

/** Client order ids of every AIS worker start with this (coordinator, stops `ais-sl-`, flatten `ais-flat-`). */
export const SWARM_ID_PREFIX = 'ais-';

export interface AccountView {
  walletUsd?: number;
  positions: ReadonlyMap<string, StreamPosition>;
  /** Event time of the newest update applied (the exchange's clock). */
  eventMs: number;
}

export interface AccountStream {
  handle(e: UserStreamEvent): Promise<void>;
  /**
   * Reads each symbol's trades since `sinceMs` (the exchange's clock) and books what no path
   * booked yet, as if the stream had delivered it. Resolves with the number booked; rejects when
   * the exchange cannot be read.
   */
  catchUp(sinceMs: number): Promise<number>;
  /**
   * Reads the exchange's forced orders (liquidations, ADLs) since `sinceMs` and books their trades
   * that no path booked yet (the stream was down, or the fill came before the stream knew): each
   * as what it is, with its alert and, for a liquidation, the symbol's hold. Resolves with the
   * number booked. Runs before each reconciliation.
   */
  bookForced(sinceMs: number): Promise<number>;
  /** The exchange's view of the account from the last ACCOUNT_UPDATE. */
  account(): AccountView;
}

/** The live account's reactions to the stream: ledger reads, settings re-reads, forced orders, holds, silence. */
export interface LiveAccountReactions {
  /**
   * An ACCOUNT_UPDATE whose reason moves the wallet for something other than a trade (a deposit, a
   * withdrawal, an insurance clearance: WALLET_REASONS): the ledger reads the income history now.
   * Not awaited; a failure is logged and the next reconciliation's ledger read books it.
   */
  syncLedger?: () => Promise<unknown>;
  /** The exchange's own orders (liquidation, ADL): REST trades of these are booked as what they are. */
  forced?: ForcedOrderIndex;
  /** After a liquidation, the symbol is held (`liquidationHold`, default REDUCING) until an operator clears it. */
  holds?: Pick<SymbolHoldService, 'hold'>;
  liquidationHold?: 'REDUCING' | 'HALTED';
  /** ACCOUNT_CONFIG_UPDATE (leverage or position mode changed) or ACCOUNT_UPDATE MARGIN_TYPE_CHANGE: re-read the settings now. Not awaited. */
  onConfigChange?: () => Promise<unknown>;
  /** Told of every fill the stream carries (a silent stream is one that misses what REST shows). */
  silence?: Pick<StreamSilenceDetector, 'carried'>;
}

export interface AccountStreamOptions {
  executor: Pick<Executor, 'bookFill' | 'isOwn' | 'isBooked'>;
  /** True for a client order id of a protective stop this process keeps. */
  ownsStop?: (clientOrderId: string) => boolean;
  /** Exchange order ids any worker sharing the store sent. */
  ourOrders: Pick<SentOrderIndex, 'has'>;
  exchange: Pick<Exchange, 'userTrades'>;
  symbols: () => readonly string[];
  alerts: Pick<AlertSink, 'raise'>;
  control: Pick<ControlService, 'apply' | 'state'>;
  /** Runs a reconciliation now (its consequences included); not awaited by the stream. */
  reconcileNow: () => Promise<unknown>;
  /** What the live account does beyond fills (issue #15); see LiveAccountReactions. */
  live?: LiveAccountReactions;
  log: LogPort;
}

export function createAccountStream(o: AccountStreamOptions): AccountStream {
  const view: { walletUsd?: number; positions: Map<string, StreamPosition>; eventMs: number } = {
    positions: new Map(),
    eventMs: 0,
  };
  let reconciling: Promise<unknown> | undefined;

  const reconcileSoon = () => {
    reconciling ??= o
      .reconcileNow()
      .catch((e) => o.log.error({ err: e }, 'Reconciliation after a foreign fill failed'))
      .finally(() => (reconciling = undefined));
  };

  const isOwn = (f: Pick<StreamFill, 'clientOrderId' | 'orderId'>) =>
    o.executor.isOwn(f.clientOrderId, f.orderId) || (o.ownsStop?.(f.clientOrderId) ?? false);
  /** Another worker of the swarm sent it: its book, not ours. */
  const isSwarm = (f: Pick<StreamFill, 'clientOrderId' | 'orderId'>) =>
    o.ourOrders.has(f.orderId) ||
    (f.clientOrderId.startsWith(SWARM_ID_PREFIX) && !f.clientOrderId.startsWith('autoclose-'));

  const configChanged = () =>
    void o.live
      ?.onConfigChange?.()
      .catch((err: unknown) => o.log.warn({ err }, 'Settings not read after a config change'));

  async function onFill(f: StreamFill): Promise<boolean> {
    if (isOwn(f)) return o.executor.bookFill(f);
    if (f.origin === 'other' && isSwarm(f)) return false;
    if (o.executor.isBooked(f.id)) return false;
    // bookFill books at once and then stores the fill event: the alert is stored alongside, not after.
    const booking = o.executor.bookFill(f, f.origin);
    const a = ALERT_OF[f.origin];
    o.log.error(
      {
        symbol: f.symbol,
        side: f.side,
        quantity: f.quantity,
        price: f.price,
        client_order_id: f.clientOrderId,
        origin: f.origin,
      },
      `Fill from ${a.what}`,
    );
    if (f.origin !== 'other') o.live?.forced?.note(f.orderId, f.origin, f.timeMs);
    const holding =
      f.origin === 'liquidation'
        ? o.live?.holds?.hold(f.symbol, {
            state: o.live?.liquidationHold ?? 'REDUCING',
            cause: 'liquidation',
            reason: `liquidated by the exchange: ${f.side} ${f.quantity} at ${f.price} (order ${f.orderId})`,
            by: 'exchange',
          })
        : undefined;
    const alerting = o.alerts
      .raise({
        name: a.name,
        severity: a.severity,
        summary: `${f.symbol}: ${f.side} ${f.quantity} at ${f.price} from ${a.what} (order ${f.orderId}, client id ${f.clientOrderId || 'none'})`,
        description: a.then,
        labels: { component: 'exchange', symbol: f.symbol },
      })
      .catch((e) => o.log.error({ err: e }, 'Foreign fill alert not raised'));
    await Promise.all([booking, alerting, holding]);
    reconcileSoon();
    return true;
  }

  /** The trades of the exchange's forced orders since `sinceMs` that no path booked yet, booked as what they are. */
  async function bookForced(sinceMs: number): Promise<number> {
    if (!o.live?.forced) return 0;
    let n = 0;
    for (const f of await o.live.forced.refresh(sinceMs)) {
      for (const t of await o.exchange.userTrades(f.symbol, f.timeMs - FORCED_LOOKBACK_MS, 1_000)) {
        if (t.orderId !== f.orderId || o.executor.isBooked(t.id)) continue;
        const clientOrderId = f.kind === 'adl' ? 'adl_autoclose' : 'autoclose-';
        if (await onFill({ ...t, clientOrderId, origin: f.kind, eventMs: t.timeMs })) n++;
      }
    }
    return n;
  }

  return {
    async handle(e) {
      switch (e.type) {
        case 'fill':
          o.live?.silence?.carried(e.fill.id, e.fill.timeMs);
          await onFill(e.fill);
          return;
        case 'margin_call':
          await onMarginCall(o, e);
          return;
        case 'config':
          configChanged();
          return;
        case 'account':
          if (e.reason === 'MARGIN_TYPE_CHANGE') configChanged();
          if (WALLET_REASONS.has(e.reason))
            void o.live
              ?.syncLedger?.()
              .catch((err: unknown) =>
                o.log.warn({ err, reason: e.reason }, 'Ledger not read after a wallet change'),
              );
          // Updates may arrive out of order under load (docs: order them by E): keep the newest.
          if (e.eventMs < view.eventMs) return;
          view.eventMs = e.eventMs;
          if (e.walletUsd !== undefined) view.walletUsd = e.walletUsd;
          for (const p of e.positions) {
            if (p.quantity === 0) view.positions.delete(p.symbol);
            else view.positions.set(p.symbol, p);
          }
          return;
        default:
          return;
      }
    },
    bookForced,
    async catchUp(sinceMs) {
      // The exchange's own orders first: their trades are booked as liquidations or ADLs, not foreign.
      let n = await bookForced(sinceMs);
      for (const symbol of o.symbols()) {
        for (const t of await o.exchange.userTrades(symbol, sinceMs, 1_000)) {
          // REST does not name the client order id: this process's orders by exchange order id;
          // another worker's (and our stops, which the stop keeper books) are not ours to book here.
          const origin = o.live?.forced?.kindOf(t.orderId) ?? 'other';
          const fill: StreamFill = { ...t, clientOrderId: '', origin, eventMs: t.timeMs };
          if (o.executor.isOwn('', t.orderId)) {
            if (await o.executor.bookFill(fill)) n++;
          } else if (!o.ourOrders.has(t.orderId) && (await onFill(fill))) n++;
        }
      }
      if (n) o.log.warn({ booked: n, since_ms: sinceMs }, 'User-data stream gap caught up on REST');
      return n;
    },
    account: () => view,
  };
}
