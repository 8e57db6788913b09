// Console sessions: a login with the API token gets a cookie holding a signed, expiring, random
// session id, never the token. Signature: HMAC-SHA256 under a key derived from the token, so a new
// token ends every session and a restart keeps them; logout revokes the id until its expiry.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The session cookie's name: HttpOnly, SameSite=Strict, Path=/ (routes.ts sets it). */
export const SESSION_COOKIE = 'ais_session';

export interface Sessions {
  /** A new session: the cookie value and when it expires (epoch ms). */
  issue(nowMs: number): { value: string; expiresMs: number };
  /** True for a value this worker signed, not expired, not revoked. */
  verify(value: string | undefined, nowMs: number): boolean;
  /** Ends the session of `value` (logout); unknown or forged values are ignored. */
  revoke(value: string | undefined, nowMs: number): void;
  /** Checks a login attempt against the API token in constant time. */
  checkToken(candidate: string): boolean;
}

const sha256 = (s: string) => createHmac('sha256', 'ais-console').update(s).digest();

/** Sessions signed with a key derived from `apiToken`, lasting `ttlMs`. */
export function createSessions(apiToken: string, ttlMs: number): Sessions {
  const key = createHmac('sha256', apiToken).update('ais-console-session-v1').digest();
  const expected = sha256(apiToken);
  const revoked = new Map<string, number>();
  const sign = (body: string) => createHmac('sha256', key).update(body).digest('base64url');
  /** `expiresMs(base 36).id` when the signature holds, else undefined. */
  const parse = (value: string | undefined) => {
    const m = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
    if (!m) return undefined;
    const good = Buffer.from(sign(`${m[1]}.${m[2]}`));
    const given = Buffer.from(m[3]!);
    if (good.length !== given.length || !timingSafeEqual(good, given)) return undefined;
    return { expiresMs: Number.parseInt(m[1]!, 36), id: m[2]! };
  };
  return {
    issue(nowMs) {
      const expiresMs = nowMs + ttlMs;
      const body = `${expiresMs.toString(36)}.${randomBytes(16).toString('base64url')}`;
      return { value: `${body}.${sign(body)}`, expiresMs };
    },
    verify(value, nowMs) {
      const s = parse(value);
      return s !== undefined && s.expiresMs > nowMs && !revoked.has(s.id);
    },
    revoke(value, nowMs) {
      const s = parse(value);
      for (const [id, until] of revoked) if (until <= nowMs) revoked.delete(id);
      if (s && s.expiresMs > nowMs) revoked.set(s.id, s.expiresMs);
    },
    checkToken: (candidate) => timingSafeEqual(sha256(candidate), expected),
  };
}
