// Signing a request under either scheme, and the nonces V3 needs:
// - V1 (`apiKey` + `apiSecret`): HMAC-SHA256 over the parameters plus `recvWindow` and a
//   millisecond `timestamp` on the server's clock;
// - V3 (`wallet`): an EIP-712 signature by the API wallet over the parameters plus a microsecond
//   `nonce`, `user` and `signer`, in key order.
import { checkParamTypes } from './param-types.ts';
import { ErrorCode } from './schema/common.ts';
import { encodeParams, type Params, signPayload } from './sign.ts';
import { type AsterWallet, signV3 } from './sign-v3.ts';

/** V1 (HMAC) or V3 (API wallet) credentials: exactly one of the two. */
export type AsterAuth =
  | { apiKey: string; apiSecret: string; wallet?: undefined }
  | { wallet: AsterWallet; apiKey?: undefined; apiSecret?: undefined };

/** Filled in just before the request goes out: what makes this request unique. */
export interface SentStamp {
  /** V3: the request's nonce (µs). */
  nonceUs?: number;
  /** V1: the request's timestamp (ms, server clock). */
  timestampMs?: number;
}

/** The clock the signer stamps with: the local clock and the server's offset as last measured. */
export interface SignerClock {
  nowMs: () => number;
  offsetMs: () => number | undefined;
}

/**
 * V3 parameters in ASCII key order. The V3 docs' examples sign the exact string they send, in
 * their own order (nonce, user, signer last); the API overview says the parameters are sorted by
 * key before signing. Sending them sorted satisfies both readings: what is signed is what is
 * sent, and it is already in key order.
 */
const byKey = (p: Params): Params =>
  Object.fromEntries(Object.entries(p).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** What to check when the exchange refuses the credentials themselves (addresses are public, the key and secret are never named). */
export function credentialHint(auth: AsterAuth, code: number): string {
  const w = auth.wallet;
  if (code === ErrorCode.INVALID_SIGNATURE) {
    return w
      ? ` (the V3 signature does not recover to ASTER_SIGNER ${w.signer} on chain ${w.chainId}: check ASTER_SIGNER_PRIVATE_KEY and ASTER_CHAIN_ID, 1666 mainnet, 714 testnet)`
      : ' (check ASTER_API_SECRET: it must be the secret of ASTER_API_KEY)';
  }
  if (code === ErrorCode.REJECTED_MBX_KEY) {
    return w
      ? ` (API wallet ${w.signer} is not registered for ASTER_USER ${w.user}, or was revoked: check both on the API wallet page)`
      : ' (check ASTER_API_KEY, its permissions and its IP allow list)';
  }
  return '';
}

export function createAsterSigner(auth: AsterAuth, clock: SignerClock, recvWindowMs: number) {
  let lastNonceUs = 0;
  const serverNowMs = () => clock.nowMs() + (clock.offsetMs() ?? 0);

  /**
   * Microseconds on the server's clock as estimated, strictly increasing across every request of
   * this client: a second request in the same millisecond (or the same microsecond) gets the
   * previous nonce + 1, never the same one (the exchange refuses a reused nonce).
   */
  function nextNonceUs(): number {
    // The exchange keeps nonces per user, not per process: two workers on one account (or one API
    // wallet each) share them. A millisecond clock would give both `ms × 1000` for their first
    // request of a millisecond; the sub-millisecond part of the monotonic clock spreads them over
    // the microseconds (off by < 1 ms, far inside the 10 s window).
    const local = clock.nowMs();
    const subMs = Number.isInteger(local) ? performance.now() % 1 : 0;
    const offset = clock.offsetMs() ?? 0;
    lastNonceUs = Math.max(lastNonceUs + 1, Math.floor((local + subMs + offset) * 1000));
    return lastNonceUs;
  }

  return {
    serverNowMs,
    /** Nonces restart from the next clock estimate (after the exchange refused one). */
    resetNonces: () => void (lastNonceUs = 0),
    /**
     * `params` plus the scheme's stamp, url-encoded, then `&signature=…` over exactly that string.
     * V3 takes a fresh nonce unless `nonceUs` is given (a noop repeats an earlier request's).
     */
    signedPayload(params: Params, sent: SentStamp, nonceUs?: number): string {
      let encoded: string;
      let signature: string;
      if (auth.wallet) {
        const w = auth.wallet;
        sent.nonceUs = nonceUs ?? nextNonceUs();
        const all = byKey({ ...params, nonce: sent.nonceUs, user: w.user, signer: w.signer });
        checkParamTypes('signed request', all);
        encoded = encodeParams(all);
        signature = signV3(encoded, w.privateKey, w.chainId);
      } else {
        sent.timestampMs = Math.round(serverNowMs());
        const all = { ...params, recvWindow: recvWindowMs, timestamp: sent.timestampMs };
        checkParamTypes('signed request', all);
        encoded = encodeParams(all);
        signature = signPayload(auth.apiSecret, encoded);
      }
      return `${encoded}&signature=${signature}`;
    },
  };
}
