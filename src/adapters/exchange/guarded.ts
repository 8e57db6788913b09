// guardExchange(exchange, resilience): any Exchange behind a circuit breaker per endpoint group
// and the exchange's rate budgets (WASM token buckets). Groups are drawn so that protection keeps
// running when one endpoint fails: positions and open orders (what stop keeping reads) sit apart
// from the balance and from the trade and income history. An answer off schema is one bad read:
// counted (ais_exchange_schema_failures_total), logged, never a breaker failure. A call the budget cannot cover within
// maxWaitMs fails ExchangeError('throttled') without being sent; a 429/418 pauses the budget for
// its Retry-After; the exchange's used-weight header keeps the IP bucket honest.
import type { BreakerOptions } from '../../domain/resilience/breaker.ts';
import { type Exchange, isExchangeError, refusalCode } from '../../ports/exchange.ts';
import type { LogPort } from '../../ports/log.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { Limiter } from '../resilience/limiter.ts';
import type { Breaker, Resilience } from '../resilience/registry.ts';
import { OPERATION_WEIGHT, type Operation } from './operation-weights.ts';

export { klinesWeight } from './operation-weights.ts';

interface GuardExchangeOptions {
  /** For ais_exchange_latency_seconds / ais_exchange_errors_total (one observation per sent operation). */
  metrics: Metrics;
  /** Request weight the exchange allows per minute per IP. Aster: 2,400. */
  ipWeightPerMinute?: number;
  /** Orders allowed per minute per account. Aster: 1,200. */
  ordersPerMinute?: number;
  /**
   * Share of each budget the buckets leave unspent for requests they never see: the adapter's
   * clock syncs (GET /fapi/v1/time, weight 1, also sent by concurrent first calls) and its retries.
   * Default 0.05 (120 of 2,400).
   */
  reserve?: number;
  /** Longest wait for tokens before a call fails `throttled`. Default 5 s. */
  maxWaitMs?: number;
  /** Pause after a 429 that names no Retry-After. Default 10 s. */
  rateLimitedPauseMs?: number;
  /** Pause after a 418 that names no Retry-After. Binance bans start at 2 minutes. */
  bannedPauseMs?: number;
  /** Options of the five breakers (`<name>.market`, `.account`, `.positions`, `.trades`, `.orders`). */
  breaker?: Partial<BreakerOptions>;
  /** Where an answer off schema is reported (WARNING, with the error). */
  log?: LogPort;
  /** Monotonic clock for latencies (seconds = difference / 1000). Default performance.now. */
  monoMs?: () => number;
}

/** The decorated exchange, plus the hook the adapter calls with each answer's usage headers. */
export interface GuardedExchange extends Exchange {
  /** X-MBX-USED-WEIGHT-1M / X-MBX-ORDER-COUNT-1M as the exchange counts them. */
  onUsage(u: { usedWeight1m?: number; orderCount1m?: number }): void;
  readonly limiters: { ipWeight: Limiter; orders: Limiter };
}

/**
 * market: marks, candles, exchange info. account: balance and margin. positions: positions and
 * open orders (what stop keeping and the kill switch's sweep read). trades: trade and income
 * history (reconciliation, the ledger). orders: place, look up, cancel.
 */
type Group = 'market' | 'account' | 'positions' | 'trades' | 'orders';

/** Sends one operation through its group's breaker and the budgets, counting and timing it. */
type GuardedCall = <T>(
  group: Group,
  operation: Operation,
  weight: number,
  isOrder: boolean,
  fn: () => Promise<T>,
) => Promise<T>;

/** The two token buckets: request weight per IP and orders per account. */
interface Budgets {
  ipWeight: Limiter;
  orders: Limiter;
  ipBudget: number;
  orderBudget: number;
  maxWaitMs: number;
}

function budgetsOf(name: string, r: Resilience, opts: GuardExchangeOptions): Budgets {
  const ipBudget = opts.ipWeightPerMinute ?? 2_400;
  const orderBudget = opts.ordersPerMinute ?? 1_200;
  const spendable = 1 - (opts.reserve ?? 0.05);
  const maxWaitMs = opts.maxWaitMs ?? 5_000;
  // Half the spendable budget as burst and half as refill over the minute: whatever the timing,
  // no 60 s window ever holds more than capacity + 60 s × refill = the spendable budget (a full
  // bucket refilled at budget/60 per second would allow twice the budget across a window).
  const bucket = (budget: number) => ({
    capacity: (budget * spendable) / 2,
    refillPerSec: (budget * spendable) / 120,
    maxWaitMs,
  });
  const ipWeight = r.limiter(`${name}.ip_weight`, bucket(ipBudget));
  const orders = r.limiter(`${name}.order_count`, bucket(orderBudget));
  return { ipWeight, orders, ipBudget, orderBudget, maxWaitMs };
}

/** A 418 pauses both budgets, a 429 the one the call spent from, each for its Retry-After. */
function onRefusal(
  e: unknown,
  isOrder: boolean,
  r: Resilience,
  b: Budgets,
  opts: GuardExchangeOptions,
) {
  if (!isExchangeError(e)) return;
  if (e.kind === 'banned') {
    // A 418 bans the IP: every call to this exchange waits it out.
    const until = r.nowMs() + (e.details.retryAfterMs ?? opts.bannedPauseMs ?? 120_000);
    b.ipWeight.pause(until, e.message);
    b.orders.pause(until, e.message);
  } else if (e.kind === 'rate_limited') {
    const until = r.nowMs() + (e.details.retryAfterMs ?? opts.rateLimitedPauseMs ?? 10_000);
    (isOrder ? b.orders : b.ipWeight).pause(until, e.message);
  }
}

/** The exchange's operations, each sent through `call` in its group with its weight. */
function guardedMethods(exchange: Exchange, call: GuardedCall) {
  const W = OPERATION_WEIGHT;
  return {
    serverNowMs: () => exchange.serverNowMs(),
    balance: () => call('account', 'balance', W.balance(), false, () => exchange.balance()),
    positions: () =>
      call('positions', 'positions', W.positions(), false, () => exchange.positions()),
    userTrades: (symbol, sinceMs, limit) =>
      call('trades', 'user_trades', W.user_trades(), false, () =>
        exchange.userTrades(symbol, sinceMs, limit),
      ),
    openOrders: (symbol) =>
      call('positions', 'open_orders', W.open_orders(symbol), false, () =>
        exchange.openOrders(symbol),
      ),
    forcedOrders: (sinceMs) =>
      call('trades', 'forced_orders', W.forced_orders(), false, () =>
        exchange.forcedOrders(sinceMs),
      ),
    income: (sinceMs, limit) =>
      call('trades', 'income', W.income(), false, () => exchange.income(sinceMs, limit)),
    placeOrder: (order) =>
      call('orders', 'new_order', W.new_order(), true, () => exchange.placeOrder(order)),
    getOrder: (symbol, clientOrderId) =>
      call('orders', 'query_order', W.query_order(), false, () =>
        exchange.getOrder(symbol, clientOrderId),
      ),
    cancelOrder: (symbol, clientOrderId) =>
      call('orders', 'cancel_order', W.cancel_order(), true, () =>
        exchange.cancelOrder(symbol, clientOrderId),
      ),
    markPrice: (symbol) =>
      call('market', 'mark_price', W.mark_price(), false, () => exchange.markPrice(symbol)),
    markPrices: () =>
      call('market', 'mark_prices', W.mark_prices(), false, () => exchange.markPrices()),
    marginAccount: () =>
      call('account', 'margin_account', W.margin_account(), false, () => exchange.marginAccount()),
    candles: (symbol, limit) =>
      call('market', 'klines', W.klines(limit), false, () => exchange.candles(symbol, limit)),
    symbolRules: () =>
      call('market', 'exchange_info', W.exchange_info(), false, () => exchange.symbolRules()),
    ...(exchange.leverageBrackets && {
      leverageBrackets: () =>
        call('account', 'leverage_brackets', W.leverage_brackets(), false, () =>
          exchange.leverageBrackets!(),
        ),
    }),
  } satisfies Omit<Exchange, 'name'>;
}

/** The one path of every call: order budget, weight budget, breaker, timing, counting, pauses. */
function guardedCall(
  name: string,
  breakers: Record<Group, Breaker>,
  budgets: Budgets,
  r: Resilience,
  opts: GuardExchangeOptions,
): GuardedCall {
  const { metrics } = opts;
  const { ipWeight, orders, maxWaitMs } = budgets;
  const mono = opts.monoMs ?? (() => performance.now());
  return (group, operation, weight, isOrder, fn) =>
    breakers[group].run(async () => {
      if (isOrder) await orders.acquire(1, maxWaitMs, operation);
      try {
        await ipWeight.acquire(weight, maxWaitMs, operation);
      } catch (e) {
        if (isOrder) orders.refund(1); // nothing was sent
        throw e;
      }
      const started = mono();
      try {
        const value = await fn();
        metrics.exchangeCall(name, operation, (mono() - started) / 1000, true);
        return value;
      } catch (e) {
        metrics.exchangeCall(name, operation, (mono() - started) / 1000, false);
        if (isExchangeError(e) && e.details.offSchema) {
          metrics.exchangeOffSchema(name, operation);
          opts.log?.warn({ err: e, exchange: name, operation }, 'Exchange answer off schema');
        }
        // Rate limits count too (http_429, http_418, http_403 from the web firewall): the exchange said no.
        if (
          isExchangeError(e) &&
          (e.kind === 'rejected' || e.kind === 'rate_limited' || e.kind === 'banned')
        )
          metrics.exchangeRefused(name, operation, refusalCode(e));
        onRefusal(e, isOrder, r, budgets, opts);
        throw e;
      }
    });
}

/** `exchange` behind its five breakers and two budgets (the module header says how). */
export function guardExchange(
  exchange: Exchange,
  r: Resilience,
  opts: GuardExchangeOptions,
): GuardedExchange {
  const name = exchange.name;
  const budgets = budgetsOf(name, r, opts);
  const { ipWeight, orders, ipBudget, orderBudget } = budgets;
  const breakers = {
    market: r.breaker(`${name}.market`, opts.breaker),
    account: r.breaker(`${name}.account`, opts.breaker),
    positions: r.breaker(`${name}.positions`, opts.breaker),
    trades: r.breaker(`${name}.trades`, opts.breaker),
    orders: r.breaker(`${name}.orders`, opts.breaker),
  };

  const call = guardedCall(name, breakers, budgets, r, opts);
  const { serverNowMs, ...methods } = guardedMethods(exchange, call);
  return {
    name,
    limiters: { ipWeight, orders },
    onUsage({ usedWeight1m, orderCount1m }) {
      // The bucket never holds more than what the exchange says is left of this minute's budget.
      // Only ever lowered: the exchange also counts calls this bucket never saw (a clock sync, the
      // adapter's retries, another process on the same IP); raising it would void the guarantee above.
      if (usedWeight1m !== undefined)
        ipWeight.setTokens(Math.min(ipWeight.tokens(), ipBudget - usedWeight1m));
      if (orderCount1m !== undefined)
        orders.setTokens(Math.min(orders.tokens(), orderBudget - orderCount1m));
    },
    serverNowMs,
    ...methods,
  };
}
