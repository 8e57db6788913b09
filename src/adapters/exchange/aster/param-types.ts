// Aster's request parameters as its docs type them (aster-finance-futures-api-v3.md and the V1
// doc, each endpoint's "Parameters" table): a LONG or an INT is an unsigned integer in decimal
// digits, and a Binance-style server refuses anything else (-1100, "Illegal characters found in
// parameter 'startTime'; legal range is '^[0-9]{1,20}$'"). Checked before a request is signed, so
// that a fraction (a clock estimate ending in .5) fails here, loudly, instead of at the exchange.
import { ExchangeError } from '../../../ports/exchange.ts';
import type { Params } from './sign.ts';

/**
 * Every integer-typed parameter the adapter sends, with its type in the docs. `type` is left out on
 * purpose: it is an INT for "Modify Isolated Position Margin" but an ENUM for "New Order".
 */
export const INTEGER_PARAMS = {
  startTime: 'LONG',
  endTime: 'LONG',
  fromId: 'LONG',
  orderId: 'LONG',
  recvWindow: 'LONG',
  timestamp: 'LONG',
  /** V3: microseconds (V3 docs, "V3 Nonce Mechanism"). */
  nonce: 'LONG',
  countdownTime: 'LONG',
  limit: 'INT',
  /** "target initial leverage: int from 1 to 125" (Change Initial Leverage). */
  leverage: 'INT',
} as const;

/** The exchange's legal range for a LONG, as its -1100 answer quotes it. */
export const LONG_PATTERN = /^[0-9]{1,20}$/;
/** An INT: the LONG pattern within a signed 32-bit integer (our reading: Java's int). */
const INT_MAX = 2 ** 31 - 1;

/** True when `value` is what the docs' `type` allows on the wire. */
export function isIntegerParam(type: 'LONG' | 'INT', value: string | number | boolean): boolean {
  if (typeof value === 'boolean') return false;
  if (typeof value === 'number' && !Number.isSafeInteger(value)) return false;
  const text = String(value);
  if (!LONG_PATTERN.test(text)) return false;
  return type === 'LONG' || Number(text) <= INT_MAX;
}

/**
 * Throws ExchangeError('rejected') naming the first integer-typed parameter whose value is not an
 * integer the docs allow (fractional, negative, NaN, exponent). Nothing has been sent then.
 */
export function checkParamTypes(operation: string, params: Params): void {
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || !(name in INTEGER_PARAMS)) continue;
    const type = INTEGER_PARAMS[name as keyof typeof INTEGER_PARAMS];
    if (isIntegerParam(type, value)) continue;
    throw new ExchangeError(
      'rejected',
      `aster ${operation}: parameter '${name}' is a ${type} (an unsigned integer) in the docs; ${String(value)} not sent`,
      { operation },
    );
  }
}

/** A time in ms as a LONG: floored, so a window's INCLUSIVE start never moves past a row it should hold. */
export const msParam = (ms: number | undefined): number | undefined =>
  ms === undefined ? undefined : Math.floor(ms);
