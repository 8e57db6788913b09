// Bearer-token guard for control endpoints. Fails closed: with no token configured every call
// answers 503 saying how to enable them. Tokens are compared in constant time (as SHA-256 digests,
// so that the length of the expected token does not leak either).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { jsonError } from '../error-handler.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function requireToken(
  token: string | undefined,
  variable = 'AIS_API_TOKEN',
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
