// HMAC-SHA256 risk tokens `{order_id}:{timestamp_ms}:{key_id}:{hmac_hex}`, valid TOKEN_TTL_MS. The
// previous secret still verifies, so a key rotation does not void tokens in flight.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RiskTokens, TokenCheck } from '../../ports/risk-tokens.ts';

/** product.md: approved orders get a token valid 300 s. */
export const TOKEN_TTL_MS = 300_000;
/** Tolerated clock step backwards between signing and verifying. */
const FUTURE_SKEW_MS = 5_000;

interface RiskTokenKeys {
  secret: string;
  keyId: string;
  previousSecret?: string;
}

export function createRiskTokens(keys: RiskTokenKeys, ttlMs = TOKEN_TTL_MS): RiskTokens {
  const mac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest();
  const secrets = [keys.secret, keys.previousSecret].filter((s): s is string => !!s);
  return {
    sign(orderId, nowMs) {
      const body = `${orderId}:${Math.floor(nowMs)}:${keys.keyId}`;
      return `${body}:${mac(keys.secret, body).toString('hex')}`;
    },
    verify(token, orderId, nowMs): TokenCheck {
      // Parsed from the right: an order id may itself hold ':' (Binance-style client ids do).
      const parts = token.split(':');
      if (parts.length < 4) return { ok: false, problem: 'malformed' };
      const [hex, keyId, ts] = [parts.pop()!, parts.pop()!, parts.pop()!];
      const tokenOrderId = parts.join(':');
      if (!/^\d{1,16}$/.test(ts) || !/^[0-9a-f]{64}$/.test(hex) || !keyId)
        return { ok: false, problem: 'malformed' };
      const given = Buffer.from(hex, 'hex');
      const body = `${tokenOrderId}:${ts}:${keyId}`;
      if (!secrets.some((s) => timingSafeEqual(mac(s, body), given)))
        return { ok: false, problem: 'bad_signature' };
      if (tokenOrderId !== orderId) return { ok: false, problem: 'wrong_order' };
      const issuedMs = Number(ts);
      if (issuedMs > nowMs + FUTURE_SKEW_MS) return { ok: false, problem: 'not_yet_valid' };
      if (nowMs - issuedMs > ttlMs) return { ok: false, problem: 'expired' };
      return { ok: true, issuedMs, keyId };
    },
  };
}
