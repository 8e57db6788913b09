// Bearer-token guard for control endpoints. Fails closed: with no token configured every call
// answers 503 saying how to enable them. Tokens are compared in constant time (as SHA-256 digests,
// so that the length of the expected token does not leak either). With `sessions`, a request
// without an Authorization header may instead carry the console's session cookie; a
// state-changing one must then also come from this origin (same-origin.ts).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { SESSION_COOKIE, type Sessions } from '../console/session.ts';
import { jsonError } from '../error-handler.ts';
import { isSameOrigin } from './same-origin.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * The bearer-token guard; with `sessions`, the console's session cookie is accepted too (its
 * state-changing requests only from this origin: 403 `cross_origin` otherwise).
 */
export function requireToken(
  token: string | undefined,
  variable = 'AIS_API_TOKEN',
  sessions?: { sessions: Sessions; nowMs: () => number },
): MiddlewareHandler {
  const expected = token ? digest(token) : undefined;
  return async (c, next) => {
    if (!expected) {
      return jsonError(
        c,
        503,
        'control_disabled',
        `control endpoints are disabled: set ${variable} (16+ characters) and restart the worker`,
      );
    }
    const header = c.req.header('authorization') ?? '';
    if (!header && sessions?.sessions.verify(getCookie(c, SESSION_COOKIE), sessions.nowMs()))
      return viaSession(c, next);
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      c.header('WWW-Authenticate', 'Bearer');
      return jsonError(
        c,
        401,
        'unauthorized',
        'missing bearer token: send Authorization: Bearer <token>',
      );
    }
    if (!timingSafeEqual(digest(match[1]!), expected))
      return jsonError(c, 403, 'forbidden', 'wrong bearer token');
    await next();
  };
}

async function viaSession(c: Context, next: () => Promise<void>) {
  if (!isSameOrigin(c))
    return jsonError(
      c,
      403,
      'cross_origin',
      'a session may change state only from its own origin (Origin header missing or foreign)',
    );
  await next();
}
