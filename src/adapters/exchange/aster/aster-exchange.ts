// The Exchange port over Aster's futures REST API (Binance USD-M conventions), V1 (HMAC) or V3
// (API wallet) signing as the credentials say. Reads are retried on outages with jittered back-off;
// orders go through placeOrderOnce, which never places twice; every answer is validated and
// converted to numbers once, in ./schema.
import type { AccountState, MarginType } from '../../../domain/account/setup.ts';
import { type Exchange, ExchangeError, isExchangeError } from '../../../ports/exchange.ts';
import { retry, type RetryOptions } from '../retry.ts';
import { type AsterAuth, type AsterConnectionOptions, createAsterClient } from './client.ts';
import {
  accountInfo,
  balances,
  positionMargins,
  positions,
  toBalance,
  tradesIn,
} from './schema/account.ts';
import { exchangeInfo } from './schema/exchange-info.ts';
import { maintenanceBrackets as brackets } from './schema/leverage-brackets.ts';
import { klines, premiumIndex, premiumIndexAll } from './schema/market.ts';
import { order, orders } from './schema/order.ts';
import { accountSettingsCalls } from './account-settings.ts';
import { accountHistory } from './account-history.ts';
import { msParam } from './param-types.ts';
import { placeOrderOnce, queryOrder, type RecoveryOptions } from './place-order.ts';
import type { UserStreamSource } from '../../../ports/user-stream.ts';
import { emptyAnswer, listenKeyAnswer, parseUserStreamMessage } from './schema/user-stream.ts';

/** V1 or V3 credentials (see client.ts) plus the settings below. */
export type AsterExchangeOptions = AsterAuth & AsterExchangeSettings;

export interface AsterExchangeSettings extends AsterConnectionOptions {
  /** Margin asset whose balance is reported. Default USDT. */
  asset?: string;
  /** Retries of reads (GET). Default 3 tries, 100 ms doubling up to 2 s, full jitter. */
  retry?: Partial<Pick<RetryOptions, 'attempts' | 'baseDelayMs' | 'maxDelayMs'>>;
  /** What placeOrder does when an answer is lost; see place-order.ts. */
  recovery?: Partial<RecoveryOptions>;
  /** The user-data stream's WebSocket base (Aster: wss://fstream.asterdex.com). */
  wsUrl?: string;
}

export interface AsterExchange extends Exchange {
  /** Re-measures the server-clock offset (ms, server minus local). Called lazily before the first signed request. */
  syncTime(): Promise<number>;
  /** Position mode and, per symbol, leverage, margin type and quantity (GET positionSide/dual + positionRisk). */
  accountSettings(): Promise<AccountState>;
  /** POST positionSide/dual; "no need to change position side" (-4059) counts as done. */
  setHedgeMode(hedge: boolean): Promise<void>;
  /** POST leverage (an integer 1–125); resolves with the leverage now in force. */
  setLeverage(symbol: string, leverage: number): Promise<number>;
  /** POST marginType; "no need to change margin type" (-4046) counts as done. */
  setMarginType(symbol: string, marginType: MarginType): Promise<void>;
  /** The account's user-data stream (listen key and messages), with `wsUrl`. */
  userStream: UserStreamSource;
}

const OPEN = new Set(['NEW', 'PARTIALLY_FILLED']);

export function createAsterExchange(o: AsterExchangeOptions): AsterExchange {
  const client = createAsterClient(o);
  const asset = o.asset ?? 'USDT';
  const retryOptions: RetryOptions = {
    attempts: 3,
    baseDelayMs: 100,
    maxDelayMs: 2_000,
    ...o.retry,
  };
  const recovery: RecoveryOptions = {
    attempts: 4,
    delayMs: 250,
    settleMarginMs: 1_000,
    maxSends: 3,
    ...o.recovery,
  };
  const read = <T>(fn: () => Promise<T>) => retry(fn, retryOptions);

  const getOrder = (symbol: string, clientOrderId: string) =>
    read(() => queryOrder(client, symbol, clientOrderId));
  const trades = tradesIn(asset);
  const openPositions = async () =>
    (await client.signed('positions', 'GET', '/fapi/v2/positionRisk', {}, positions)).filter(
      (p) => p.quantity !== 0,
    );

  const wsBase = (o.wsUrl ?? 'wss://fstream.asterdex.com').replace(/\/+$/, '');
  const userStream: UserStreamSource = {
    createListenKey: async () => (await client.listenKey('POST', listenKeyAnswer)).listenKey,
    keepAliveListenKey: async () => void (await client.listenKey('PUT', emptyAnswer)),
    closeListenKey: async () => void (await client.listenKey('DELETE', emptyAnswer)),
    streamUrl: (key) => `${wsBase}/ws/${encodeURIComponent(key)}`,
    parse: (text) => parseUserStreamMessage(text, asset),
  };

  return {
    name: 'aster',
    userStream,
    syncTime: () => client.syncTime(),
    serverNowMs: () => client.serverNowMs(),

    balance: () =>
      read(async () =>
        toBalance(await client.signed('balance', 'GET', '/fapi/v2/balance', {}, balances), asset),
      ),

    positions: () => read(openPositions),

    userTrades: (symbol, sinceMs, limit) =>
      read(() =>
        client.signed(
          'user_trades',
          'GET',
          '/fapi/v1/userTrades',
          { symbol, startTime: msParam(sinceMs), limit },
          trades,
        ),
      ),

    ...accountSettingsCalls(client, read),

    openOrders: (symbol) =>
      read(() => client.signed('open_orders', 'GET', '/fapi/v1/openOrders', { symbol }, orders)),

    ...accountHistory(client, read, asset),

    placeOrder: (req) => placeOrderOnce(client, req, recovery),

    getOrder,

    /** A cancel whose answer is lost is checked against the order's state and sent once more only
     *  while the order is still open (cancelling twice is harmless; the exchange answers -2011). */
    async cancelOrder(symbol, clientOrderId) {
      const cancel = () =>
        client.signed(
          'cancel_order',
          'DELETE',
          '/fapi/v1/order',
          { symbol, origClientOrderId: clientOrderId },
          order,
        );
      try {
        return await cancel();
      } catch (e) {
        if (!isExchangeError(e) || !e.isOutage) throw e;
        const now = await getOrder(symbol, clientOrderId);
        if (!now) throw e;
        return OPEN.has(now.status) ? cancel() : now;
      }
    },

    symbolRules: () =>
      read(() => client.get('exchange_info', '/fapi/v1/exchangeInfo', {}, exchangeInfo)),
    leverageBrackets: () =>
      read(() =>
        client.signed('leverage_brackets', 'GET', '/fapi/v1/leverageBracket', {}, brackets),
      ),

    markPrice: (symbol) =>
      read(() => client.get('mark_price', '/fapi/v1/premiumIndex', { symbol }, premiumIndex)),

    markPrices: () =>
      read(() => client.get('mark_prices', '/fapi/v1/premiumIndex', {}, premiumIndexAll)),

    // Account Information for the totals, Position Information for each position's liquidation
    // price (the account answer has none) and every symbol's leverage; read in parallel.
    async marginAccount() {
      const [info, rows] = await Promise.all([
        read(() => client.signed('margin_account', 'GET', '/fapi/v4/account', {}, accountInfo)),
        read(() => client.signed('positions', 'GET', '/fapi/v2/positionRisk', {}, positionMargins)),
      ]);
      const row = info.assets.find((a) => a.asset === asset) ?? {
        walletBalance: 0,
        marginBalance: 0,
        maintMargin: 0,
        availableBalance: 0,
      };
      return {
        walletUsd: row.walletBalance,
        marginBalanceUsd: row.marginBalance,
        maintenanceMarginUsd: row.maintMargin,
        availableUsd: row.availableBalance,
        positions: rows.filter((p) => p.quantity !== 0).map(({ isolated: _i, ...p }) => p),
        leverage: Object.fromEntries(rows.map((p) => [p.symbol, p.leverage])),
        isolated: Object.fromEntries(rows.map((p) => [p.symbol, p.isolated])),
        // When it was read: the answer's updateTime is when the account last changed, which says
        // nothing of how fresh the figures are (ais_aster_data_age_seconds{data_type="margin"}).
        timeMs: client.serverNowMs(),
      };
    },

    async candles(symbol, limit) {
      if (!(limit >= 1 && limit <= 1500))
        throw new ExchangeError('rejected', `aster klines: limit ${limit} outside 1..1500`, {
          operation: 'klines',
        });
      return read(() =>
        client.get('klines', '/fapi/v1/klines', { symbol, interval: '1m', limit }, klines),
      );
    },
  };
}
