// One HTTP request to Aster and what its answer means: the time-out, the latency and rate-limit
// usage reported, every failure turned into an ExchangeError whose kind tells the caller whether
// the request may have executed (API docs, "HTTP Return Codes"), a 200 validated with zod.
// Messages never carry the signed query string or the credentials.
import type { z } from 'zod';
import { messageOf } from '../../../domain/error-message.mjs';
import { ExchangeError, type ExchangeErrorKind } from '../../../ports/exchange.ts';
import { errorBody } from './schema/common.ts';

/** Rate-limit usage the exchange reports in its headers. */
export interface AsterUsage {
  usedWeight1m?: number;
  orderCount1m?: number;
}

/** What a request needs besides its own arguments. */
export interface AsterTransportOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  /** V1: the X-MBX-APIKEY header; V3 sends none. */
  apiKey?: string;
  /** Per request, body included. Default 5 s. */
  timeoutMs?: number;
  onUsage?: (u: AsterUsage) => void;
  /** Once per HTTP request: operation, seconds, success. */
  onCall?: (operation: string, seconds: number, ok: boolean) => void;
  /** What to check when the exchange refuses the credentials (by its error code); '' otherwise. */
  credentialHint: (code: number) => string;
}

type Fail = (
  kind: ExchangeErrorKind,
  message: string,
  d?: Omit<ExchangeError['details'], 'operation'>,
  cause?: unknown,
) => ExchangeError;

const headerNumber = (h: Headers, name: string) => {
  const v = h.get(name);
  return v !== null && /^\d+$/.test(v) ? Number(v) : undefined;
};

const retryAfterMs = (h: Headers) => {
  const s = headerNumber(h, 'retry-after');
  return s === undefined ? undefined : s * 1000;
};

/** The error a status says before the body is read: limits, bans, the firewall, server failures. */
function statusFailure(res: Response, fail: Fail): ExchangeError | undefined {
  const { status } = res;
  const retry = { status, retryAfterMs: retryAfterMs(res.headers) };
  if (status === 429) return fail('rate_limited', 'HTTP 429, rate limit exceeded', retry);
  if (status === 418) return fail('banned', 'HTTP 418, IP banned', retry);
  // 403 = the web application firewall's limit (API docs, HTTP Return Codes): the request was not
  // executed; back off like a 429 (its Retry-After when given, else the limiter's default pause).
  if (status === 403)
    return fail('rate_limited', 'HTTP 403, web application firewall limit', retry);
  // 503 = "sent, no answer from the engine": the request may have executed (API docs, HTTP Return Codes).
  if (status === 503)
    return fail('unknown_outcome', 'HTTP 503, execution status unknown', { status });
  if (status >= 500) return fail('unavailable', `HTTP ${status}`, { status });
  return undefined;
}

/** The answer's JSON when the status is 200; the exchange's refusal (its code and message) otherwise. */
function answerJson(status: number, text: string, fail: Fail, hint: (code: number) => string) {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    if (status >= 400)
      throw fail('rejected', `HTTP ${status} without an error body`, { status }, e);
    throw fail('bad_response', `HTTP ${status} with a body that is not JSON`, { status }, e);
  }
  if (status >= 400) {
    const err = errorBody.safeParse(json);
    if (!err.success) throw fail('rejected', `HTTP ${status}`, { status });
    throw fail('rejected', `${err.data.code} ${err.data.msg}${hint(err.data.code)}`, {
      status,
      code: err.data.code,
    });
  }
  if (status !== 200) throw fail('bad_response', `unexpected HTTP ${status}`, { status });
  return json;
}

/** The answer through its schema, or bad_response naming where it is off. */
function parse<S extends z.ZodType>(operation: string, schema: S, json: unknown): z.output<S> {
  const r = schema.safeParse(json);
  if (r.success) return r.data;
  const where = r.error.issues[0]?.path.join('.') || 'body';
  throw new ExchangeError(
    'bad_response',
    `aster ${operation}: answer off schema at ${where}: ${r.error.issues[0]?.message}`,
    { operation, offSchema: true },
  );
}

/** Returns send(): one request (`payload` in the query, or the body of a POST), its answer parsed. */
export function createAsterTransport(o: AsterTransportOptions) {
  const fetchFn = o.fetch ?? fetch;
  const timeoutMs = o.timeoutMs ?? 5_000;

  /** The response and its text, or timeout / unavailable. */
  async function exchange(url: string, init: RequestInit, fail: Fail) {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), timeoutMs);
    try {
      const res = await fetchFn(url, { ...init, signal: ctl.signal });
      return { res, text: await res.text() };
    } catch (e) {
      if (ctl.signal.aborted) throw fail('timeout', `no answer within ${timeoutMs} ms`, {}, e);
      throw fail('unavailable', `network failure (${messageOf(e)})`, {}, e);
    } finally {
      clearTimeout(timer);
    }
  }

  return async function send<S extends z.ZodType>(
    operation: string,
    method: string,
    path: string,
    payload: string,
    schema: S,
  ): Promise<z.output<S>> {
    const inBody = method === 'POST';
    const url = `${o.baseUrl}${path}${!inBody && payload ? `?${payload}` : ''}`;
    const headers: Record<string, string> = o.apiKey ? { 'X-MBX-APIKEY': o.apiKey } : {};
    if (inBody) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const fail: Fail = (kind, message, d = {}, cause) =>
      new ExchangeError(kind, `aster ${operation}: ${message}`, { ...d, operation }, { cause });
    const started = performance.now();
    let ok = false;
    try {
      const body = inBody ? payload : undefined;
      const { res, text } = await exchange(url, { method, headers, body }, fail);
      const usage = {
        usedWeight1m: headerNumber(res.headers, 'x-mbx-used-weight-1m'),
        orderCount1m: headerNumber(res.headers, 'x-mbx-order-count-1m'),
      };
      if (usage.usedWeight1m !== undefined || usage.orderCount1m !== undefined) o.onUsage?.(usage);
      const failure = statusFailure(res, fail);
      if (failure) throw failure;
      const value = parse(operation, schema, answerJson(res.status, text, fail, o.credentialHint));
      ok = true;
      return value;
    } finally {
      o.onCall?.(operation, (performance.now() - started) / 1000, ok);
    }
  };
}
