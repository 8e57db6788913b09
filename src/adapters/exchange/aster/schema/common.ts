// Wire primitives of Aster's futures API (Binance USD-M conventions): money and quantities travel
// as decimal strings and are turned into numbers here, once; ids and times are JSON integers.
import { z } from 'zod';

/** "123.4500" → 123.45. Only plain decimals: no exponents, no empty strings, no "NaN". */
export const decimal = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/, 'expected a decimal string')
  .transform(Number);

export const millis = z.number().int().nonnegative();
export const id = z.number().int().nonnegative().transform(String);
export const side = z.enum(['BUY', 'SELL']);

/** Every error answer: `{"code": -1121, "msg": "Invalid symbol."}`. */
export const errorBody = z.object({ code: z.number().int(), msg: z.string() });

export const serverTime = z.object({ serverTime: millis });

/** POST /fapi/v3/noop accepted: `{"code": 200, "msg": "success"}` (V3 docs, "Noop"). */
export const noopAnswer = z.object({ code: z.literal(200), msg: z.string() });

/** Error codes the adapter acts on (Aster futures API, "Error Codes"). */
export const ErrorCode = {
  /** Timestamp outside recvWindow, or 1000 ms ahead of the server: resync the clock. */
  INVALID_TIMESTAMP: -1021,
  /** V1: bad HMAC. V3: the signature does not recover to the user's registered API wallet (a
   *  tampered request, another key, another chain id). Our reading: the V3 docs list -1022 as
   *  their only signature error. */
  INVALID_SIGNATURE: -1022,
  BAD_SYMBOL: -1121,
  /** Query/cancel of an order the exchange does not know. */
  NO_SUCH_ORDER: -2013,
  REJECTED_MBX_KEY: -2015,
  /** V3: nonce refused: reused, below the minimum of the user's last 100, or more than 10 s from
   *  the server's clock. The V3 docs show it ("Nonce Expired") for a nonce a noop took first and
   *  name no other nonce code; our reading is that all nonce refusals answer it. */
  NONCE_EXPIRED: -4225,
  /** Change Margin Type to the type already set: the account is as asked. */
  NO_NEED_TO_CHANGE_MARGIN_TYPE: -4046,
  /** Change Position Mode to the mode already set: the account is as asked. */
  NO_NEED_TO_CHANGE_POSITION_SIDE: -4059,
} as const;
