// Risk tokens: the proof that an order passed the risk engine, `{order_id}:{timestamp}:{key_id}:{hmac}`.

export type TokenProblem =
  'malformed' | 'wrong_order' | 'expired' | 'not_yet_valid' | 'bad_signature';

export type TokenCheck =
  { ok: true; issuedMs: number; keyId: string } | { ok: false; problem: TokenProblem };

export interface RiskTokenSigner {
  /** A token for orderId, issued at nowMs. */
  sign(orderId: string, nowMs: number): string;
}

export interface RiskTokenVerifier {
  /** Valid only for orderId, within the TTL, signed by the current or the previous key. */
  verify(token: string, orderId: string, nowMs: number): TokenCheck;
}

export type RiskTokens = RiskTokenSigner & RiskTokenVerifier;
