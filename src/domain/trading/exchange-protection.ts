// The kill switch reaches the exchange. A sweep cancels every open order that could add exposure
// on every traded symbol (anything but reduce-only and Close-All orders: the protective stops stay,
// they only cut risk); a cancel that fails is retried until it succeeds or its circuit breaker
// opens, and until then the kill switch is not effective on the exchange (`pending`, /health).
// A flatten closes every position with reduce-only market orders, each approved by the closing
// rule of the risk service and sent through the gated executor like any order.
import { EventType, type EventStore } from '../../ports/event-store.ts';
import {
  cannotAddExposure,
  type Exchange,
  type ExchangePosition,
  isExchangeError,
} from '../../ports/exchange.ts';
import { isCircuitOpen } from '../../ports/resilience.ts';
import type { LogPort } from '../../ports/log.ts';
import type { RiskService } from '../risk/risk-service.ts';
import type { Executor } from './executor.ts';
import { messageOf } from '../error-message.mjs';

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

export interface ExchangeProtection {
  /**
   * Sweeps now (joins a sweep in progress) and resolves with what it did; never rejects. The result
   * is stored as a `kill_switch_orders` event with `reason` (a retry stores one only when it did something).
   */
  sweep(reason?: string): Promise<SweepResult>;
  /** Closes every position on the exchange, or only `symbol`'s (reduce-only market orders); never rejects. */
  flatten(reason: string, symbol?: string): Promise<FlattenResult>;
  /** Orders the kill switch still has to cancel (empty: effective on the exchange). */
  pending(): readonly (OrderRef & { error: string; gaveUp: boolean })[];
  /** Stops the retry timer (shutdown). */
  stop(): void;
}

export interface ExchangeProtectionOptions {
  exchange: Pick<Exchange, 'openOrders' | 'cancelOrder' | 'positions' | 'markPrice'>;
  store: Pick<EventStore, 'append'>;
  symbols: () => readonly string[];
  risk: Pick<RiskService, 'checkClose'>;
  executor: Pick<Executor, 'execute'>;
  log: LogPort;
  nowMs: () => number;
  /** Pause between retries of failed cancels (ms). Default 2 s. */
  retryMs?: number;
  /** Timers (tests pass their own). */
  schedule?: (fn: () => void, ms: number) => () => void;
}

const refOf = (o: {
  symbol: string;
  clientOrderId: string;
  type: string;
  side: 'BUY' | 'SELL';
}): OrderRef => ({
  symbol: o.symbol,
  client_order_id: o.clientOrderId,
  type: o.type,
  side: o.side,
});
/** A breaker refused the call: stop retrying until something sweeps again (the next reconciliation). */
const isBreakerOpen = isCircuitOpen;
/** -2011 "Unknown order": already gone (filled or cancelled meanwhile): nothing left to cancel. */
const isGone = (e: unknown) => isExchangeError(e) && e.details.code === -2011;

export function createExchangeProtection(o: ExchangeProtectionOptions): ExchangeProtection {
  const retryMs = o.retryMs ?? 2_000;
  const schedule =
    o.schedule ??
    ((fn, ms) => {
      const t = setTimeout(fn, ms);
      (t as { unref?: () => void }).unref?.();
      return () => clearTimeout(t);
    });
  const pending = new Map<string, OrderRef & { error: string; gaveUp: boolean }>();
  let running: Promise<SweepResult> | undefined;
  let cancelTimer: (() => void) | undefined;
  let flattenSeq = 0;

  async function cancel(ref: OrderRef): Promise<true | string> {
    try {
      await o.exchange.cancelOrder(ref.symbol, ref.client_order_id);
      return true;
    } catch (e) {
      if (isGone(e)) return true;
      pending.set(ref.client_order_id, { ...ref, error: messageOf(e), gaveUp: isBreakerOpen(e) });
      return messageOf(e);
    }
  }

  async function sweepOnce(reason: string | undefined): Promise<SweepResult> {
    const result: SweepResult = { cancelled: [], failed: [], kept: [], unlisted: [] };
    await Promise.all(
      o.symbols().map(async (symbol) => {
        let open;
        try {
          open = await o.exchange.openOrders(symbol);
        } catch (e) {
          result.unlisted.push({ symbol, error: messageOf(e) });
          pending.set(`list:${symbol}`, {
            symbol,
            client_order_id: '*',
            type: 'ANY',
            side: 'BUY',
            error: messageOf(e),
            gaveUp: isBreakerOpen(e),
          });
          return;
        }
        pending.delete(`list:${symbol}`);
        await Promise.all(
          open.map(async (x) => {
            const ref = refOf(x);
            if (cannotAddExposure(x)) return void result.kept.push(ref);
            const outcome = await cancel(ref);
            if (outcome === true) {
              pending.delete(ref.client_order_id);
              result.cancelled.push(ref);
            } else result.failed.push({ ...ref, error: outcome });
          }),
        );
      }),
    );
    const acted =
      result.cancelled.length > 0 || result.failed.length > 0 || result.unlisted.length > 0;
    if (acted) {
      o.log.warn(
        {
          cancelled: result.cancelled.length,
          failed: result.failed,
          unlisted: result.unlisted,
          kept: result.kept.length,
        },
        'Kill switch: open orders that could add exposure cancelled on the exchange',
      );
    }
    if (reason !== undefined || acted) {
      await o.store
        .append({
          type: EventType.killSwitchOrders,
          payload: { reason: reason ?? 'retry of failed cancels', ...result },
        })
        .catch((e) => o.log.error({ err: e }, 'Kill switch orders not recorded'));
    }
    armRetry();
    return result;
  }

  /** Retries what failed, while something is pending that a breaker has not refused. */
  function armRetry() {
    cancelTimer?.();
    cancelTimer = undefined;
    if (![...pending.values()].some((p) => !p.gaveUp)) return;
    cancelTimer = schedule(() => {
      cancelTimer = undefined;
      void api.sweep();
    }, retryMs);
  }

  /** Closes one position with a reduce-only market order approved by the closing rule (a refusal is a failed row; an exchange failure throws). */
  async function close(
    p: ExchangePosition,
    orderId: string,
  ): Promise<FlattenResult['closed'][0] | FlattenResult['failed'][0]> {
    const side: 'BUY' | 'SELL' = p.quantity > 0 ? 'SELL' : 'BUY';
    const price = p.markPrice > 0 ? p.markPrice : (await o.exchange.markPrice(p.symbol)).markPrice;
    const order = { orderId, symbol: p.symbol, side, quantity: Math.abs(p.quantity), price };
    const [d] = await o.risk.checkClose(
      [{ ...order, agentId: 'flatten', positionQty: p.quantity }],
      'flatten',
    );
    if (!d?.approved)
      return { symbol: p.symbol, error: `refused by the closing rule: ${d?.reason}` };
    const sent = await o.executor.execute({
      ...order,
      riskToken: d.token,
      agentId: 'flatten',
      reduceOnly: true,
    });
    return {
      symbol: p.symbol,
      side,
      quantity: sent.order.executedQty,
      order_id: orderId,
      status: sent.order.status,
    };
  }

  const api: ExchangeProtection = {
    sweep(reason) {
      running ??= sweepOnce(reason).finally(() => (running = undefined));
      return running;
    },
    async flatten(reason, symbol) {
      const result: FlattenResult = { closed: [], failed: [] };
      let positions;
      try {
        positions = await o.exchange.positions();
      } catch (e) {
        return {
          closed: [],
          failed: [{ symbol: symbol ?? '*', error: `positions not read: ${messageOf(e)}` }],
        };
      }
      const tag = o.nowMs().toString(36);
      for (const p of positions) {
        if (p.quantity === 0 || (symbol !== undefined && p.symbol !== symbol)) continue;
        try {
          const outcome = await close(p, `ais-flat-${tag}-${(flattenSeq++).toString(36)}`);
          if ('error' in outcome) result.failed.push(outcome);
          else result.closed.push(outcome);
        } catch (e) {
          result.failed.push({ symbol: p.symbol, error: messageOf(e) });
        }
      }
      o.log.warn(
        { reason, symbol: symbol ?? null, closed: result.closed, failed: result.failed },
        'Flatten: positions closed on the exchange',
      );
      return result;
    },
    pending: () => [...pending.values()],
    stop() {
      cancelTimer?.();
      cancelTimer = undefined;
    },
  };
  return api;
}
