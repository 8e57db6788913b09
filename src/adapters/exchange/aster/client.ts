// The HTTP edge of the Aster adapter: signs requests, keeps the server-clock offset, enforces the
// time-out, reports latency and rate-limit usage, validates answers with zod and turns every
// failure into an ExchangeError whose kind tells the caller whether the request may have executed.
// Messages never carry the signed query string or the credentials.
import type { z } from 'zod';
import { ExchangeError, isExchangeError } from '../../../ports/exchange.ts';
import { ErrorCode, errorBody, serverTime } from './schema/common.ts';
import { encodeParams, type Params, signPayload } from './sign.ts';

export interface AsterUsage {
  usedWeight1m?: number;
  orderCount1m?: number;
}

export interface AsterClientOptions {
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  fetch?: typeof fetch;
  nowMs: () => number;
  /** Per request, body included. Default 5 s. */
  timeoutMs?: number;
  /** How long after its timestamp the exchange may still execute a request. Default 5 s (the API's). */
  recvWindowMs?: number;
  onUsage?: (u: AsterUsage) => void;
  /** Once per HTTP request (retries and order look-ups included): operation, seconds, success.
   *  Operations: time, balance, positions, user_trades, open_orders, new_order, query_order,
   *  cancel_order, mark_price, klines (the names guardExchange uses). */
  onCall?: (operation: string, seconds: number, ok: boolean) => void;
}

const headerNumber = (h: Headers, name: string) => {
  const v = h.get(name);
  return v !== null && /^\d+$/.test(v) ? Number(v) : undefined;
};

const retryAfterMs = (h: Headers) => {
  const s = headerNumber(h, 'retry-after');
  return s === undefined ? undefined : s * 1000;
};

export type AsterClient = ReturnType<typeof createAsterClient>;

export function createAsterClient(o: AsterClientOptions) {
  const fetchFn = o.fetch ?? fetch;
  const timeoutMs = o.timeoutMs ?? 5_000;
  const recvWindowMs = o.recvWindowMs ?? 5_000;
  let offsetMs: number | undefined;

  async function send<S extends z.ZodType>(operation: string, method: string, path: string, params: Params, signed: boolean, schema: S): Promise<z.output<S>> {
    const encoded = encodeParams(params);
    const payload = signed ? `${encoded}${encoded ? '&' : ''}signature=${signPayload(o.apiSecret, encoded)}` : encoded;
    const inBody = method === 'POST';
    const url = `${o.baseUrl}${path}${!inBody && payload ? `?${payload}` : ''}`;
    const headers: Record<string, string> = { 'X-MBX-APIKEY': o.apiKey };
    if (inBody) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const fail = (kind: ConstructorParameters<typeof ExchangeError>[0], message: string, d: Omit<ExchangeError['details'], 'operation'> = {}) =>
      new ExchangeError(kind, `aster ${operation}: ${message}`, { ...d, operation });

    const started = performance.now();
    let ok = false;
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), timeoutMs);
    try {
      let res: Response;
      let text: string;
      try {
        res = await fetchFn(url, { method, headers, body: inBody ? payload : undefined, signal: ctl.signal });
        text = await res.text();
      } catch (e) {
        if (ctl.signal.aborted) throw fail('timeout', `no answer within ${timeoutMs} ms`);
        throw fail('unavailable', `network failure (${e instanceof Error ? e.message : String(e)})`);
      }
      const usage = { usedWeight1m: headerNumber(res.headers, 'x-mbx-used-weight-1m'), orderCount1m: headerNumber(res.headers, 'x-mbx-order-count-1m') };
      if (usage.usedWeight1m !== undefined || usage.orderCount1m !== undefined) o.onUsage?.(usage);

      const { status } = res;
      if (status === 429) throw fail('rate_limited', 'HTTP 429, rate limit exceeded', { status, retryAfterMs: retryAfterMs(res.headers) });
      if (status === 418) throw fail('banned', 'HTTP 418, IP banned', { status, retryAfterMs: retryAfterMs(res.headers) });
      // 503 = "sent, no answer from the engine": the request may have executed (API docs, HTTP Return Codes).
      if (status === 503) throw fail('unknown_outcome', 'HTTP 503, execution status unknown', { status });
      if (status >= 500) throw fail('unavailable', `HTTP ${status}`, { status });
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        if (status >= 400) throw fail('rejected', `HTTP ${status} without an error body`, { status });
        throw fail('bad_response', `HTTP ${status} with a body that is not JSON`, { status });
      }
      if (status >= 400) {
        const err = errorBody.safeParse(json);
        if (!err.success) throw fail('rejected', `HTTP ${status}`, { status });
        throw fail('rejected', `${err.data.code} ${err.data.msg}`, { status, code: err.data.code });
      }
      if (status !== 200) throw fail('bad_response', `unexpected HTTP ${status}`, { status });
      const value = parse(operation, schema, json);
      ok = true;
      return value;
    } finally {
      clearTimeout(timer);
      o.onCall?.(operation, (performance.now() - started) / 1000, ok);
    }
  }

  function parse<S extends z.ZodType>(operation: string, schema: S, json: unknown): z.output<S> {
    const r = schema.safeParse(json);
    if (r.success) return r.data;
    const where = r.error.issues[0]?.path.join('.') || 'body';
    throw new ExchangeError('bad_response', `aster ${operation}: answer off schema at ${where}: ${r.error.issues[0]?.message}`, { operation });
  }

  /**
   * Offset = server clock minus the local clock at the midpoint of the round trip. Calls that ask
   * while a sync is under way share it: one GET /fapi/v1/time, not one per concurrent call (those
   * requests pass no rate limiter).
   */
  let syncing: Promise<number> | undefined;
  function syncTime(): Promise<number> {
    syncing ??= (async () => {
      const before = o.nowMs();
      const { serverTime: t } = await send('time', 'GET', '/fapi/v1/time', {}, false, serverTime);
      offsetMs = t - (before + o.nowMs()) / 2;
      return offsetMs;
    })().finally(() => {
      syncing = undefined;
    });
    return syncing;
  }

  const ensureSynced = async () => {
    if (offsetMs === undefined) await syncTime();
  };

  return {
    recvWindowMs,
    syncTime,
    ensureSynced,
    /** The exchange's clock as this process estimates it. */
    serverNowMs: () => o.nowMs() + (offsetMs ?? 0),

    async get<S extends z.ZodType>(operation: string, path: string, params: Params, schema: S): Promise<z.output<S>> {
      return send(operation, 'GET', path, params, false, schema);
    },

    /** A SIGNED call. Syncs the clock before the first one; on -1021 resyncs and sends once more
     *  (the exchange refused the request outright, so even an order may be re-sent). */
    async signed<S extends z.ZodType>(operation: string, method: 'GET' | 'POST' | 'DELETE', path: string, params: Params, schema: S): Promise<z.output<S>> {
      await ensureSynced();
      const attempt = async () => {
        const stamped = { ...params, recvWindow: recvWindowMs, timestamp: Math.round(o.nowMs() + (offsetMs ?? 0)) };
        return send(operation, method, path, stamped, true, schema);
      };
      try {
        return await attempt();
      } catch (e) {
        if (!isExchangeError(e) || e.details.code !== ErrorCode.INVALID_TIMESTAMP) throw e;
        await syncTime();
        return attempt();
      }
    },
  };
}
