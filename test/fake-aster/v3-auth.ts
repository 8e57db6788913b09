// The fake server's V3 (API wallet) authentication, strict where the V3 docs are and with our
// reading where they are not:
// - `user`, `signer`, `nonce`, `signature` are mandatory (-1102);
// - the EIP-712 signature over the exact parameter string sent (query string then body, without
//   `&signature=…`) must recover to `signer` on the server's chain id, else -1022 INVALID_SIGNATURE
//   (a tampered request, another key or another chain id all land here);
// - `signer` must be an API wallet registered for `user`, else 401 -2015 REJECTED_MBX_KEY;
// - the nonce ("V3 Nonce Mechanism"): one already used → refused as a duplicate; with 100 nonces
//   kept and the new one below their minimum → refused as expired; more than 10 s from the
//   server's clock either way → refused. The docs name no code for these; the Noop demo shows
//   -4225 "Nonce Expired" for a nonce already taken, so every nonce refusal answers -4225.
//   Signature first, nonce second: a forged request never burns a nonce.
// Accepted, the nonce joins the user's last 100 (the smallest leaves).
import { recoverV3Signer } from '../../src/adapters/exchange/aster/sign-v3.ts';
import { ApiError } from './engine.ts';

export const NONCE_WINDOW_MS = 10_000;
export const NONCES_KEPT = 100;
export const NONCE_EXPIRED = -4225;

export function createV3Auth(o: { chainId: number; nowMs: () => number }) {
  /** user (lower case) → its registered API wallets (lower case). */
  const signers = new Map<string, Set<string>>();
  /** user (lower case) → its last nonces, ascending. */
  const nonces = new Map<string, number[]>();

  const mandatory = (params: URLSearchParams, name: string) => {
    const v = params.get(name);
    if (!v)
      throw new ApiError(
        400,
        -1102,
        `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`,
      );
    return v;
  };

  function takeNonce(user: string, nonce: number) {
    const list = nonces.get(user) ?? [];
    nonces.set(user, list);
    if (list.includes(nonce)) throw new ApiError(400, NONCE_EXPIRED, 'Nonce Expired');
    if (list.length >= NONCES_KEPT && nonce < list[0]!)
      throw new ApiError(
        400,
        NONCE_EXPIRED,
        'Nonce Expired: below the minimum of the last 100 nonces',
      );
    if (Math.abs(nonce / 1000 - o.nowMs()) > NONCE_WINDOW_MS)
      throw new ApiError(400, NONCE_EXPIRED, 'Nonce Expired: more than 10 s from the server time');
    const at = list.findIndex((n) => n > nonce);
    list.splice(at === -1 ? list.length : at, 0, nonce);
    if (list.length > NONCES_KEPT) list.shift();
  }

  return {
    chainId: o.chainId,
    register(user: string, signer: string) {
      const set = signers.get(user.toLowerCase()) ?? new Set<string>();
      set.add(signer.toLowerCase());
      signers.set(user.toLowerCase(), set);
    },
    /** Checks one V3 request; throws ApiError as the exchange would answer. */
    authenticate(rawQuery: string, rawBody: string, params: URLSearchParams) {
      const user = mandatory(params, 'user').toLowerCase();
      const signer = mandatory(params, 'signer');
      const nonceText = mandatory(params, 'nonce');
      const signature = mandatory(params, 'signature');
      if (!/^\d{1,17}$/.test(nonceText))
        throw new ApiError(
          400,
          -1102,
          "Mandatory parameter 'nonce' was not sent, was empty/null, or malformed.",
        );
      const strip = (s: string) => s.replace(/(^|&)signature=[^&]*$/, '');
      const msg = [strip(rawQuery), strip(rawBody)].filter((s) => s !== '').join('&');
      const recovered = recoverV3Signer(msg, signature, o.chainId);
      if (!recovered || recovered.toLowerCase() !== signer.toLowerCase())
        throw new ApiError(400, -1022, 'Signature for this request is not valid.');
      if (!signers.get(user)?.has(signer.toLowerCase()))
        throw new ApiError(401, -2015, 'Invalid API-key, IP, or permissions for action.');
      takeNonce(user, Number(nonceText));
    },
  };
}
