// CSRF defence for requests authenticated by the console's session cookie (besides its
// SameSite=Strict): a state-changing request must carry an Origin header naming this host. A
// cross-site page cannot forge Origin, nor send X-Forwarded-Host without a CORS preflight, which
// this worker never grants; a request without Origin is refused (every browser sends it on POST).
import type { Context } from 'hono';

/** Methods that change nothing: no Origin needed. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True when `c` is a safe method, or its Origin's host is the Host (or X-Forwarded-Host) it was sent to. */
export function isSameOrigin(c: Context): boolean {
  if (SAFE_METHODS.has(c.req.method)) return true;
  if (c.req.header('sec-fetch-site') === 'cross-site') return false;
  const origin = c.req.header('origin');
  if (!origin || !URL.canParse(origin)) return false;
  const host = new URL(origin).host;
  return host === c.req.header('host') || host === c.req.header('x-forwarded-host');
}
