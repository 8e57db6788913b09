// Placing an order on Aster exactly once. When the answer to POST /fapi/v1/order (V3: /fapi/v3/order)
// is lost (time-out, 503, network, garbled body) the order may or may not exist, so it is looked up
// by its client order id. It is sent again only when the exchange says it does not know it (-2013)
// at a moment when the first request can no longer execute:
// - V1: its timestamp plus recvWindow has passed on the server's clock (plus a margin for the clock
//   estimate);
// - V3: a POST /fapi/v3/noop with the first request's nonce was accepted (the noop took the nonce,
//   so the first request is refused when it arrives; V3 docs, "Noop") and one more look-up still
//   finds nothing (the docs promise the noop no success), or else its nonce has left
//   the server's 10 s window (plus the margin). A noop refused as a used nonce means the first
//   request reached the exchange: its outcome is then read by look-ups until the window passes.
// Otherwise: ExchangeError('unknown_outcome').
import {
  type ExchangeOrder,
  ExchangeError,
  isExchangeError,
  type PlaceOrderRequest,
} from '../../../ports/exchange.ts';
import { sleep } from '../retry.ts';
import type { AsterClient, SentStamp } from './client.ts';
import { ErrorCode } from './schema/common.ts';
import { order } from './schema/order.ts';

export interface RecoveryOptions {
  /** Order look-ups after a lost answer, before giving up with unknown_outcome. Default 4. */
  attempts: number;
  /** First pause between look-ups, doubled each time. Default 250 ms. */
  delayMs: number;
  /** Added to recvWindow (V3: the nonce window) before "never seen" is trusted: error of the server-clock estimate. Default 1 s. */
  settleMarginMs: number;
  /** Sends of one order in all, the first included. Default 3. */
  maxSends: number;
}

/** Failures after which the request may have executed. */
const AMBIGUOUS = new Set(['timeout', 'unknown_outcome', 'unavailable', 'bad_response']);
const isAmbiguous = (e: unknown): e is ExchangeError => isExchangeError(e) && AMBIGUOUS.has(e.kind);
const isNoSuchOrder = (e: unknown) =>
  isExchangeError(e) && e.details.code === ErrorCode.NO_SUCH_ORDER;

/** GET /fapi/v1/order by client id; undefined when the exchange does not know it. */
export async function queryOrder(
  client: AsterClient,
  symbol: string,
  clientOrderId: string,
): Promise<ExchangeOrder | undefined> {
  try {
    return await client.signed(
      'query_order',
      'GET',
      '/fapi/v1/order',
      { symbol, origClientOrderId: clientOrderId },
      order,
    );
  } catch (e) {
    if (isNoSuchOrder(e)) return undefined;
    throw e;
  }
}

type Lost = ExchangeOrder | 'absent' | 'unknown';

/** The order if it exists, 'absent' when the exchange confirms it never saw it, else 'unknown'. */
async function findLost(
  client: AsterClient,
  req: PlaceOrderRequest,
  deadlineServerMs: number,
  o: RecoveryOptions,
  firstPauseMs = 0,
): Promise<Lost> {
  let pauseMs = firstPauseMs;
  for (let i = 0; i < o.attempts; i++) {
    if (pauseMs > 0) await sleep(pauseMs);
    pauseMs = o.delayMs * 2 ** i;
    const askedAtMs = client.serverNowMs();
    try {
      const found = await queryOrder(client, req.symbol, req.clientOrderId);
      if (found) return found;
      if (askedAtMs >= deadlineServerMs) return 'absent' as const;
      // Not there yet, but the first request could still arrive: ask again once it cannot.
      pauseMs = Math.max(deadlineServerMs - client.serverNowMs(), 0) + 1;
    } catch {
      // The look-up failed too: try again after the back-off.
    }
  }
  return 'unknown' as const;
}

/** V3: one look-up; not there, the noop with the lost request's nonce decides (see the top of the file). */
async function findLostV3(
  client: AsterClient,
  req: PlaceOrderRequest,
  sent: SentStamp,
  o: RecoveryOptions,
): Promise<Lost> {
  const nonceUs = sent.nonceUs!;
  const deadline = nonceUs / 1000 + client.executionWindowMs + o.settleMarginMs;
  try {
    const found = await queryOrder(client, req.symbol, req.clientOrderId);
    if (found) return found;
  } catch {
    // The noop below still settles whether the request can execute.
  }
  try {
    await client.noop(nonceUs);
  } catch (e) {
    // -4225: the lost request took its nonce first (look it up until it is done); anything else:
    // nobody knows, so wait out the nonce window.
    return findLost(
      client,
      req,
      deadline,
      o,
      isExchangeError(e) && e.details.code === ErrorCode.NONCE_EXPIRED ? o.delayMs : 0,
    );
  }
  // The noop took the nonce: the lost request can no longer execute. The docs promise no success,
  // so one more look-up before the caller sends the order again: an order that exists after all
  // is returned, not doubled.
  try {
    return (await queryOrder(client, req.symbol, req.clientOrderId)) ?? 'absent';
  } catch {
    return findLost(client, req, deadline, o, o.delayMs);
  }
}

/**
 * The new-order parameters (Aster API "New Order"). STOP_MARKET is triggered by the mark price
 * (`workingType=MARK_PRICE`, not the default last price) and, with `closePosition`, sent without
 * quantity and reduceOnly, which the exchange refuses next to Close-All.
 */
function orderParams(req: PlaceOrderRequest) {
  const closeAll = req.type === 'STOP_MARKET' && req.closePosition === true;
  return {
    symbol: req.symbol,
    side: req.side,
    type: req.type,
    ...(closeAll ? { closePosition: 'true' } : { quantity: req.quantity }),
    ...(req.type === 'LIMIT' ? { price: req.price, timeInForce: 'GTC' } : {}),
    ...(req.type === 'STOP_MARKET' ? { stopPrice: req.stopPrice, workingType: 'MARK_PRICE' } : {}),
    ...(req.reduceOnly && !closeAll ? { reduceOnly: 'true' } : {}),
    newClientOrderId: req.clientOrderId,
    // RESULT: a MARKET order answers with its fill, not with status NEW (the ACK default).
    newOrderRespType: 'RESULT',
  };
}

export async function placeOrderOnce(
  client: AsterClient,
  req: PlaceOrderRequest,
  o: RecoveryOptions,
): Promise<ExchangeOrder> {
  if (req.type === 'LIMIT' && !(req.price! > 0)) {
    throw new ExchangeError(
      'rejected',
      `aster new_order: LIMIT order ${req.clientOrderId} needs a positive price`,
      { operation: 'new_order' },
    );
  }
  const params = orderParams(req);
  await client.ensureSynced(); // a failed clock sync is not a lost order: nothing was sent yet
  for (let send = 1; ; send++) {
    let lost: ExchangeError;
    const sent: SentStamp = {};
    try {
      return await client.signed('new_order', 'POST', '/fapi/v1/order', params, order, sent);
    } catch (e) {
      if (!isAmbiguous(e)) throw e;
      lost = e;
    }
    const found =
      client.scheme === 'v3' && sent.nonceUs !== undefined
        ? await findLostV3(client, req, sent, o)
        : await findLost(
            client,
            req,
            client.serverNowMs() + client.executionWindowMs + o.settleMarginMs,
            o,
          );
    if (typeof found === 'object') return found;
    if (found === 'unknown') {
      throw new ExchangeError(
        'unknown_outcome',
        `aster new_order: ${req.clientOrderId} may or may not exist (${lost.message}; look-ups failed)`,
        {
          operation: 'new_order',
          status: lost.details.status,
        },
        { cause: lost },
      );
    }
    if (send >= o.maxSends) {
      // Known outcome: the exchange confirms the order does not exist.
      throw new ExchangeError(
        'unavailable',
        `aster new_order: ${req.clientOrderId} not placed after ${send} sends (${lost.message})`,
        {
          operation: 'new_order',
          status: lost.details.status,
        },
        { cause: lost },
      );
    }
  }
}
