// The one place that knows which path each Aster endpoint has under each signing scheme. Callers
// name an endpoint by its V1 (HMAC) path; under V3 (API wallet, EIP-712) the client sends it to
// the V3 path the V3 docs list for the same endpoint (aster-finance-futures-api-v3.md). A path
// missing here does not compile: add a row, with the V3 path read from the docs, before using it.

/** V1 path → V3 path, every endpoint the adapter uses (or is about to). */
const V3_PATHS = {
  '/fapi/v1/time': '/fapi/v3/time',
  '/fapi/v1/exchangeInfo': '/fapi/v3/exchangeInfo',
  '/fapi/v1/klines': '/fapi/v3/klines',
  '/fapi/v1/premiumIndex': '/fapi/v3/premiumIndex',
  '/fapi/v2/balance': '/fapi/v3/balance',
  '/fapi/v2/positionRisk': '/fapi/v3/positionRisk',
  // "Account Information v3": V1 has it at /fapi/v4/account, V3 at /fapi/v3/accountWithJoinMargin.
  '/fapi/v4/account': '/fapi/v3/accountWithJoinMargin',
  '/fapi/v1/userTrades': '/fapi/v3/userTrades',
  '/fapi/v1/openOrders': '/fapi/v3/openOrders',
  '/fapi/v1/order': '/fapi/v3/order',
  '/fapi/v1/income': '/fapi/v3/income',
  '/fapi/v1/forceOrders': '/fapi/v3/forceOrders',
  '/fapi/v1/positionSide/dual': '/fapi/v3/positionSide/dual',
  '/fapi/v1/leverage': '/fapi/v3/leverage',
  '/fapi/v1/marginType': '/fapi/v3/marginType',
  // "Notional and Leverage Brackets" (USER_DATA, weight 1).
  '/fapi/v1/leverageBracket': '/fapi/v3/leverageBracket',
  // User Data Streams: V1 takes the API key alone (USER_STREAM), V3 a signed request.
  '/fapi/v1/listenKey': '/fapi/v3/listenKey',
} as const;

/** An endpoint, named by its V1 path. */
export type AsterPath = keyof typeof V3_PATHS;

export type AsterScheme = 'v1' | 'v3';

/** The path to send `path` to under `scheme`. */
export const pathFor = (scheme: AsterScheme, path: AsterPath): string =>
  scheme === 'v1' ? path : V3_PATHS[path];

/** V3 only: cancels a request still queued, by sending its nonce (V3 docs, "Noop"). */
export const NOOP_PATH = '/fapi/v3/noop';
