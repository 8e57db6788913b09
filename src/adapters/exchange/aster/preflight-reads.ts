// The pre-flight's reads of an Aster account (npm run preflight; the checks:
// src/domain/account/preflight.ts).
// Only GETs and signed reads, one client, one after the other (gentle on the weight budget: 12
// requests, about 60 of the 2,400 a minute, with four symbols); each read becomes a value or the
// one line why it failed, so one refusal does not hide the other checks. The only write the pre-flight can make is opt-in: with
// `listenKey`, POST listenKey (creates a key, or extends the running worker's by 60 minutes; it
// places no order and changes no setting), never DELETE (that would close a running worker's stream).
import { messageOf } from '../../../domain/error-message.mjs';
import type {
  AccountFacts,
  ConnectionFacts,
  MarketFacts,
  OpenOrderFact,
  Read,
} from '../../../domain/account/preflight-checks.ts';
import { isExchangeError } from '../../../ports/exchange.ts';
import { type AsterAuth, type AsterClient, createAsterClient } from './client.ts';
import { ErrorCode } from './schema/common.ts';
import {
  balances,
  positionMode,
  positions,
  positionSettings,
  toBalance,
} from './schema/account.ts';
import { exchangeInfo } from './schema/exchange-info.ts';
import { orders } from './schema/order.ts';
import { accountPermissions, leverageBrackets } from './schema/preflight.ts';
import { listenKeyAnswer } from './schema/user-stream.ts';
import { probeStream } from './stream-probe.ts';

export interface PreflightReadOptions {
  auth: AsterAuth;
  baseUrl: string;
  wsUrl: string;
  /** The configured symbols (their open orders are read, besides those of any open position). */
  symbols: readonly string[];
  /** Opt-in: create (or extend) a listen key and open the user-data stream with it. */
  listenKey: boolean;
  timeoutMs: number;
  nowMs: () => number;
  monoMs: () => number;
  /** Transports; the runtime's by default (tests map the exchange's hosts to a loopback fake). */
  transport?: { fetch?: typeof fetch; WebSocket?: typeof WebSocket };
}

/** Every fact the checks need, read from the exchange. Never throws: a failed read is a value. */
export interface PreflightReads {
  account: AccountFacts;
  market: MarketFacts;
  connection: ConnectionFacts;
}

const attempt = async <T>(fn: () => Promise<T>): Promise<Read<T>> => {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    return { ok: false, error: messageOf(e) };
  }
};

export async function readPreflightFacts(o: PreflightReadOptions): Promise<PreflightReads> {
  const client = createAsterClient({
    ...o.auth,
    baseUrl: o.baseUrl,
    fetch: o.transport?.fetch,
    nowMs: o.nowMs,
    timeoutMs: o.timeoutMs,
  });
  // The clock first: every signed read after it is stamped with the offset it measures.
  const clock = await attempt(async () => {
    const started = o.monoMs();
    const offsetMs = await client.syncTime();
    return { offsetMs, roundTripMs: o.monoMs() - started };
  });
  const account = await readAccount(client, o.symbols);
  const market: MarketFacts = {
    rules: await attempt(() =>
      client.get('exchange_info', '/fapi/v1/exchangeInfo', {}, exchangeInfo),
    ),
    brackets: await attempt(() =>
      client.signed('leverage_brackets', 'GET', '/fapi/v1/leverageBracket', {}, leverageBrackets),
    ),
  };
  const stream = await attempt(async () => {
    const key = o.listenKey
      ? (await client.listenKey('POST', listenKeyAnswer)).listenKey
      : undefined;
    return probeStream({
      wsUrl: o.wsUrl,
      listenKey: key,
      timeoutMs: o.timeoutMs,
      WebSocket: o.transport?.WebSocket,
      monoMs: o.monoMs,
    });
  });
  return { account, market, connection: { clock, stream } };
}

async function readAccount(client: AsterClient, symbols: readonly string[]): Promise<AccountFacts> {
  const signed = client.signed;
  // A symbol the exchange does not list (-1121) has its own failing row: its orders are none.
  const openOrdersOf = (symbol: string) =>
    signed('open_orders', 'GET', '/fapi/v1/openOrders', { symbol }, orders).then(
      (rows) =>
        rows.map((x): OpenOrderFact => ({
          symbol: x.symbol,
          side: x.side,
          type: x.type,
          quantity: x.quantity,
          price: x.price,
          stopPrice: x.stopPrice,
          clientOrderId: x.clientOrderId,
        })),
      (e: unknown) => {
        if (isExchangeError(e) && e.details.code === ErrorCode.BAD_SYMBOL) return [];
        throw e;
      },
    );
  const permissions = await attempt(() =>
    signed('account', 'GET', '/fapi/v4/account', {}, accountPermissions),
  );
  const settings = await attempt(async () => {
    const mode = await signed(
      'position_mode',
      'GET',
      '/fapi/v1/positionSide/dual',
      {},
      positionMode,
    );
    const rows = await signed('positions', 'GET', '/fapi/v2/positionRisk', {}, positionSettings);
    return { hedgeMode: mode.dualSidePosition, symbols: rows };
  });
  const balance = await attempt(async () =>
    toBalance(await signed('balance', 'GET', '/fapi/v2/balance', {}, balances), 'USDT'),
  );
  const open = await attempt(async () =>
    (await signed('positions', 'GET', '/fapi/v2/positionRisk', {}, positions)).filter(
      (p) => p.quantity !== 0,
    ),
  );
  const openOrders = await attempt(async () => {
    const held = open.ok ? open.value.map((p) => p.symbol) : [];
    const list: OpenOrderFact[] = [];
    for (const symbol of new Set([...symbols, ...held])) list.push(...(await openOrdersOf(symbol)));
    return list;
  });
  return { permissions, settings, balance, positions: open, openOrders };
}
