// Parameter types of every endpoint the fake serves, copied from the "Parameters" tables of the
// docs (V1 doc, aster-finance-futures-api.md; V3 doc, aster-finance-futures-api-v3.md, same tables
// plus nonce/user/signer). Checked before authentication and routing, with the answers a
// Binance-style server gives:
//   LONG / INT not `^[0-9]{1,20}$`      → -1100 Illegal characters found in parameter '%s'; legal range is '^[0-9]{1,20}$'.
//   DECIMAL not `^([0-9]{1,20})(\.[0-9]{1,20})?$` → -1100 with that range
//   a parameter sent empty                → -1105 Parameter '%s' was empty.
//   a parameter the table does not list   → -1104 Not all sent parameters were read; read '%s' parameter(s) but was sent '%s'.
// An INT above 2^31 - 1 is refused like an illegal one (our reading: the server's int).
// Mandatory parameters are checked by the routes (-1102), as before.
import { ApiError } from './engine.ts';

type ParamType = 'LONG' | 'INT' | 'DECIMAL' | 'STRING' | 'ENUM';
type Table = Record<string, ParamType>;

const LONG_RANGE = '^[0-9]{1,20}$';
const DECIMAL_RANGE = '^([0-9]{1,20})(\\.[0-9]{1,20})?$';
const LONG_RE = new RegExp(LONG_RANGE);
const DECIMAL_RE = new RegExp(DECIMAL_RANGE);

/** SIGNED (TRADE / USER_DATA) endpoints add these: V1 recvWindow, timestamp; V3 nonce, user, signer. */
const SIGNED_V1: Table = { recvWindow: 'LONG', timestamp: 'LONG', signature: 'STRING' };
const SIGNED_V3: Table = { nonce: 'LONG', user: 'STRING', signer: 'STRING', signature: 'STRING' };

const ORDER_REF: Table = { symbol: 'STRING', orderId: 'LONG', origClientOrderId: 'STRING' };

/** `METHOD /v1-path` → its own parameters (docs order). */
export const ENDPOINT_PARAMS: Record<string, Table> = {
  'GET /fapi/v1/time': {},
  'GET /fapi/v1/exchangeInfo': {},
  'GET /fapi/v1/premiumIndex': { symbol: 'STRING' },
  'GET /fapi/v1/klines': {
    symbol: 'STRING',
    interval: 'ENUM',
    startTime: 'LONG',
    endTime: 'LONG',
    limit: 'INT',
  },
  'GET /fapi/v2/balance': {},
  'GET /fapi/v4/account': {},
  'GET /fapi/v2/positionRisk': { symbol: 'STRING' },
  'GET /fapi/v1/positionSide/dual': {},
  'POST /fapi/v1/positionSide/dual': { dualSidePosition: 'STRING' },
  'POST /fapi/v1/leverage': { symbol: 'STRING', leverage: 'INT' },
  'POST /fapi/v1/marginType': { symbol: 'STRING', marginType: 'ENUM' },
  'GET /fapi/v1/userTrades': {
    symbol: 'STRING',
    startTime: 'LONG',
    endTime: 'LONG',
    fromId: 'LONG',
    limit: 'INT',
  },
  'GET /fapi/v1/income': {
    symbol: 'STRING',
    incomeType: 'STRING',
    startTime: 'LONG',
    endTime: 'LONG',
    limit: 'INT',
  },
  'GET /fapi/v1/leverageBracket': { symbol: 'STRING' },
  'GET /fapi/v1/forceOrders': {
    symbol: 'STRING',
    autoCloseType: 'ENUM',
    startTime: 'LONG',
    endTime: 'LONG',
    limit: 'INT',
  },
  'GET /fapi/v1/openOrders': { symbol: 'STRING' },
  'GET /fapi/v1/order': ORDER_REF,
  'DELETE /fapi/v1/order': ORDER_REF,
  'POST /fapi/v1/order': {
    symbol: 'STRING',
    side: 'ENUM',
    positionSide: 'ENUM',
    type: 'ENUM',
    timeInForce: 'ENUM',
    quantity: 'DECIMAL',
    reduceOnly: 'STRING',
    price: 'DECIMAL',
    newClientOrderId: 'STRING',
    stopPrice: 'DECIMAL',
    closePosition: 'STRING',
    activationPrice: 'DECIMAL',
    callbackRate: 'DECIMAL',
    workingType: 'ENUM',
    priceProtect: 'STRING',
    newOrderRespType: 'ENUM',
  },
  // USER_STREAM: no parameters under V1; V3 signs it.
  'POST /fapi/v1/listenKey': {},
  'PUT /fapi/v1/listenKey': {},
  'DELETE /fapi/v1/listenKey': {},
  'POST /fapi/v3/noop': {},
};

function checkValue(name: string, type: ParamType, value: string) {
  if (value === '') throw new ApiError(400, -1105, `Parameter '${name}' was empty.`);
  const illegal = (range: string) =>
    new ApiError(
      400,
      -1100,
      `Illegal characters found in parameter '${name}'; legal range is '${range}'.`,
    );
  if ((type === 'LONG' || type === 'INT') && !LONG_RE.test(value)) throw illegal(LONG_RANGE);
  if (type === 'INT' && Number(value) > 2 ** 31 - 1) throw illegal(LONG_RANGE);
  if (type === 'DECIMAL' && !DECIMAL_RE.test(value)) throw illegal(DECIMAL_RANGE);
}

/** The table of `method path` (`path` the V1 route) plus its authentication parameters; undefined when the fake has none (the router answers 404). */
function tableOf(method: string, path: string, o: { signed: boolean; v3: boolean }) {
  const own = ENDPOINT_PARAMS[`${method} ${path}`];
  return own && { ...own, ...(o.signed ? (o.v3 ? SIGNED_V3 : SIGNED_V1) : {}) };
}

/**
 * Before authentication: every parameter the table types has a value of its type (-1100, -1105).
 * `v3` when the request was sent to a /fapi/v3/ path.
 */
export function checkParamValues(
  method: string,
  path: string,
  params: URLSearchParams,
  o: { signed: boolean; v3: boolean },
) {
  const table = tableOf(method, path, o);
  if (!table) return;
  for (const [name, value] of params) if (name in table) checkValue(name, table[name]!, value);
}

/** After authentication (a missing signature or nonce answers -1102 first): no parameter the endpoint does not take (-1104). */
export function checkUnread(
  method: string,
  path: string,
  params: URLSearchParams,
  o: { signed: boolean; v3: boolean },
) {
  const table = tableOf(method, path, o);
  if (!table) return;
  const names = [...params.keys()];
  const read = names.filter((n) => n in table).length;
  if (read < names.length)
    throw new ApiError(
      400,
      -1104,
      `Not all sent parameters were read; read '${read}' parameter(s) but was sent '${names.length}'.`,
    );
}
