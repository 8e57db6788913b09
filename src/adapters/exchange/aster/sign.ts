// Request signing for Aster's SIGNED endpoints (Binance USD-M scheme): HMAC-SHA256, hex, keyed by
// the API secret, over the exact query string or form body that goes on the wire.
import { createHmac } from 'node:crypto';

export type Params = Record<string, string | number | boolean | undefined>;

export const signPayload = (secret: string, payload: string): string =>
  createHmac('sha256', secret).update(payload).digest('hex');

/** Plain decimal text: no exponent (1e-7 is refused by the exchange) and no float noise (0.1+0.2). */
export const formatDecimal = (x: number): string =>
  Number.isInteger(x) ? String(x) : x.toFixed(10).replace(/\.?0+$/, '');

/** `a=1&b=x` in insertion order, values percent-encoded, undefined values left out. */
export function encodeParams(params: Params): string {
  return Object.entries(params)
    .filter((e): e is [string, string | number | boolean] => e[1] !== undefined)
    .map(
      ([k, v]) =>
        `${k}=${encodeURIComponent(typeof v === 'number' ? formatDecimal(v) : String(v))}`,
    )
    .join('&');
}
