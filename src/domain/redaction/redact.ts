// The one redaction of URLs for everything the worker prints (logs, error messages, /health,
// /v1/resilience, the console, CLI output): no userinfo, no secret query parameters, no listen
// key in a user-data stream path, and a Slack incoming-webhook URL (a secret as a whole: its path is
// the credential) reduced to its host.

export const REDACTED = '[REDACTED]';

/** Query parameter names that carry credentials (authToken, api_key, X-Amz-Signature, sig, …). */
const SECRET_PARAM = /token|key|secret|passw|pwd|signature|^sig$|auth|credential|session|^code$/i;
/** Hosts whose whole URL is the credential (Slack incoming webhooks: hooks.slack.com/services/T…/B…/…). */
const WHOLE_SECRET_HOST = /(^|\.)hooks\.slack\.com$/i;

/**
 * `url` without userinfo and secret query parameters (their values become [REDACTED]); a Slack
 * webhook becomes `https://hooks.slack.com/[REDACTED]`. Answers `url` unchanged (byte for byte)
 * when there is nothing to remove, and redacts by pattern when it does not parse.
 */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url
      .replace(/\/\/[^/@\s]*@/, '//')
      .replace(/([?&][^=&\s]+=)[^&\s#]*/g, (m, name: string) =>
        SECRET_PARAM.test(name.slice(1, -1)) ? `${name}${REDACTED}` : m,
      );
  }
  if (WHOLE_SECRET_HOST.test(u.hostname)) return `${u.protocol}//${u.host}/${REDACTED}`;
  let changed = false;
  if (u.username || u.password) {
    u.username = '';
    u.password = '';
    changed = true;
  }
  // A user-data stream URL carries its listen key as the path (Aster, like Binance: <ws base>/ws/<listenKey>).
  const stream = /^\/ws\/([^/]{16,})$/.exec(u.pathname);
  if (stream && stream[1] !== REDACTED) {
    u.pathname = `/ws/${REDACTED}`;
    changed = true;
  }
  for (const name of [...u.searchParams.keys()]) {
    if (SECRET_PARAM.test(name) && u.searchParams.get(name) !== REDACTED) {
      u.searchParams.set(name, REDACTED);
      changed = true;
    }
  }
  return changed
    ? u
        .toString()
        .replaceAll(encodeURIComponent(REDACTED), REDACTED)
        .replaceAll('%5BREDACTED%5D', REDACTED)
    : url;
}

/** Every URL inside free text (an error message, a log line) redacted with redactUrl. */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;
export function redactText(text: string): string {
  return text.includes('://') ? text.replace(URL_IN_TEXT, redactUrl) : text;
}

/** A JSON-like value with redactText applied to every string in it (for /health, /v1/resilience). */
export function redactDeep<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (!value || typeof value !== 'object' || depth > 10) return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, depth + 1);
  return out as T;
}
