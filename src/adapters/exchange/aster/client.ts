// The HTTP edge of the Aster adapter: signs requests, keeps the server-clock offset, enforces the
// time-out, reports latency and rate-limit usage, validates answers with zod and turns every
// failure into an ExchangeError whose kind tells the caller whether the request may have executed.
// Messages never carry the signed query string or the credentials.
//
// One client, two signing schemes, chosen by the credentials it is given:
// - V1 (`apiKey` + `apiSecret`): HMAC-SHA256 over the parameters plus `recvWindow` and a
//   millisecond `timestamp`; the key in X-MBX-APIKEY; paths /fapi/v1|v2|v4/*.
// - V3 (`wallet`): an EIP-712 signature by the API wallet over the parameters plus a microsecond
//   `nonce`, `user` and `signer`; no API key header; paths /fapi/v3/* (./endpoints.ts).
// Callers name endpoints by their V1 path and never see the difference.
import type { z } from 'zod';
import { messageOf } from '../../../domain/error-message.mjs';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { ExchangeError, type ExchangeErrorKind, isExchangeError } from '../../../ports/exchange.ts';
import { type AsterPath, type AsterScheme, NOOP_PATH, pathFor } from './endpoints.ts';
import { ErrorCode, errorBody, noopAnswer, serverTime } from './schema/common.ts';
import { checkParamTypes } from './param-types.ts';
import { encodeParams, type Params, signPayload } from './sign.ts';
import { type AsterWallet, signV3 } from './sign-v3.ts';

interface AsterUsage {
  usedWeight1m?: number;
  orderCount1m?: number;
}

/** V1 (HMAC) or V3 (API wallet) credentials: exactly one of the two. */
export type AsterAuth =
  | { apiKey: string; apiSecret: string; wallet?: undefined }
  | { wallet: AsterWallet; apiKey?: undefined; apiSecret?: undefined };

/** How far the V3 nonce may be from the server's clock, either way (V3 docs, "V3 Nonce Mechanism"). */
const V3_NONCE_WINDOW_MS = 10_000;

/** Filled in by `signed` just before the request goes out: what makes this request unique. */
export interface SentStamp {
  /** V3: the request's nonce (µs). */
  nonceUs?: number;
  /** V1: the request's timestamp (ms, server clock). */
  timestampMs?: number;
}

type AsterClientOptions = AsterAuth & AsterConnectionOptions;

export interface AsterConnectionOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  nowMs: () => number;
  /** Per request, body included. Default 5 s. */
  timeoutMs?: number;
  /** V1: how long after its timestamp the exchange may still execute a request. Default 5 s (the API's). */
  recvWindowMs?: number;
  onUsage?: (u: AsterUsage) => void;
  /** Once per HTTP request (retries and order look-ups included): operation, seconds, success.
   *  Operations: time, balance, positions, user_trades, open_orders, new_order, query_order,
   *  cancel_order, mark_price, klines (the names guardExchange uses), noop (V3). */
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
  const scheme: AsterScheme = o.wallet ? 'v3' : 'v1';
  const recvWindowMs = o.recvWindowMs ?? 5_000;
  let offsetMs: number | undefined;
  let lastNonceUs = 0;

  /**
   * V3 parameters in ASCII key order. The V3 docs' examples sign the exact string they send, in
   * their own order (nonce, user, signer last); the API overview says the parameters are sorted by
   * key before signing. Sending them sorted satisfies both readings: what is signed is what is
   * sent, and it is already in key order.
   */
  const byKey = (p: Params): Params =>
    Object.fromEntries(Object.entries(p).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

  /** `params` plus the scheme's stamp, url-encoded, then `&signature=…` over exactly that string.
   *  V3 takes a fresh nonce unless `nonceUs` is given (a noop repeats an earlier request's). */
  function signedPayload(
    operation: string,
    params: Params,
    sent: SentStamp,
    nonceUs?: number,
  ): string {
    let encoded: string;
    let signature: string;
    if (o.wallet) {
      const w = o.wallet;
      sent.nonceUs = nonceUs ?? nextNonceUs();
      const all = byKey({ ...params, nonce: sent.nonceUs, user: w.user, signer: w.signer });
      checkParamTypes(operation, all);
      encoded = encodeParams(all);
      signature = signV3(encoded, w.privateKey, w.chainId);
    } else {
      sent.timestampMs = Math.round(serverNowMs());
      const all = { ...params, recvWindow: recvWindowMs, timestamp: sent.timestampMs };
      checkParamTypes(operation, all);
      encoded = encodeParams(all);
      signature = signPayload(o.apiSecret, encoded);
    }
    return `${encoded}&signature=${signature}`;
  }

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
    const local = o.nowMs();
    const subMs = Number.isInteger(local) ? performance.now() % 1 : 0;
    lastNonceUs = Math.max(lastNonceUs + 1, Math.floor((local + subMs + (offsetMs ?? 0)) * 1000));
    return lastNonceUs;
  }

  const serverNowMs = () => o.nowMs() + (offsetMs ?? 0);

  /** What to check when the exchange refuses the credentials themselves (the operator reads this
   *  in the start-up line or the log; addresses are public, the key and secret are never named). */
  function credentialHint(code: number): string {
    const w = o.wallet;
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

  async function send<S extends z.ZodType>(
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
    const fail = (
      kind: ExchangeErrorKind,
      message: string,
      d: Omit<ExchangeError['details'], 'operation'> = {},
      cause?: unknown,
    ) => new ExchangeError(kind, `aster ${operation}: ${message}`, { ...d, operation }, { cause });

    const started = performance.now();
    let ok = false;
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), timeoutMs);
    try {
      let res: Response;
      let text: string;
      try {
        res = await fetchFn(url, {
          method,
          headers,
          body: inBody ? payload : undefined,
          signal: ctl.signal,
        });
        text = await res.text();
      } catch (e) {
        if (ctl.signal.aborted) throw fail('timeout', `no answer within ${timeoutMs} ms`, {}, e);
        throw fail('unavailable', `network failure (${messageOf(e)})`, {}, e);
      }
      const usage = {
        usedWeight1m: headerNumber(res.headers, 'x-mbx-used-weight-1m'),
        orderCount1m: headerNumber(res.headers, 'x-mbx-order-count-1m'),
      };
      if (usage.usedWeight1m !== undefined || usage.orderCount1m !== undefined) o.onUsage?.(usage);

      const { status } = res;
      if (status === 429)
        throw fail('rate_limited', 'HTTP 429, rate limit exceeded', {
          status,
          retryAfterMs: retryAfterMs(res.headers),
        });
      if (status === 418)
        throw fail('banned', 'HTTP 418, IP banned', {
          status,
          retryAfterMs: retryAfterMs(res.headers),
        });
      // 403 = the web application firewall's limit (API docs, HTTP Return Codes): the request was not
      // executed; back off like a 429 (its Retry-After when given, else the limiter's default pause).
      if (status === 403)
        throw fail('rate_limited', 'HTTP 403, web application firewall limit', {
          status,
          retryAfterMs: retryAfterMs(res.headers),
        });
      // 503 = "sent, no answer from the engine": the request may have executed (API docs, HTTP Return Codes).
      if (status === 503)
        throw fail('unknown_outcome', 'HTTP 503, execution status unknown', { status });
      if (status >= 500) throw fail('unavailable', `HTTP ${status}`, { status });
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
        throw fail('rejected', `${err.data.code} ${err.data.msg}${credentialHint(err.data.code)}`, {
          status,
          code: err.data.code,
        });
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
    throw new ExchangeError(
      'bad_response',
      `aster ${operation}: answer off schema at ${where}: ${r.error.issues[0]?.message}`,
      { operation, offSchema: true },
    );
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
      const { serverTime: t } = await send(
        'time',
        'GET',
        pathFor(scheme, '/fapi/v1/time'),
        '',
        serverTime,
      );
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
    /** 'v1' (HMAC) or 'v3' (API wallet, EIP-712): which credentials the client was given. */
    scheme,
    /**
     * How long after it was sent a signed request may still execute, on the server's clock: V1 its
     * recvWindow after its timestamp; V3 the nonce window (10 s) after its nonce.
     */
    executionWindowMs: scheme === 'v3' ? V3_NONCE_WINDOW_MS : recvWindowMs,
    syncTime,
    ensureSynced,
    /** The exchange's clock as this process estimates it (ms). */
    serverNowMs,

    /** A public (unsigned) GET; `path` is the endpoint's V1 path, sent to its V3 path under V3. */
    async get<S extends z.ZodType>(
      operation: string,
      path: AsterPath,
      params: Params,
      schema: S,
    ): Promise<z.output<S>> {
      checkParamTypes(operation, params);
      return send(operation, 'GET', pathFor(scheme, path), encodeParams(params), schema);
    },

    /**
     * A SIGNED call (TRADE / USER_DATA); `path` is the endpoint's V1 path, sent to its V3 path
     * under V3. Syncs the clock before the first one. `sent`, when given, receives the request's
     * nonce (V3) or timestamp (V1) before it goes out (placeOrderOnce needs it after a lost answer).
     * V1, -1021 (timestamp outside recvWindow): resyncs and sends once more (the exchange refused
     * the request outright, so even an order may be re-sent).
     * V3, -4225 (nonce refused): resyncs and throws, no re-send: a nonce refusal is either a clock
     * the next request will have right, or a reused nonce, a fault to see and count, not to paper over.
     */
    async signed<S extends z.ZodType>(
      operation: string,
      method: 'GET' | 'POST' | 'DELETE',
      path: AsterPath,
      params: Params,
      schema: S,
      sent: SentStamp = {},
    ): Promise<z.output<S>> {
      await ensureSynced();
      const target = pathFor(scheme, path);
      const attempt = () =>
        send(operation, method, target, signedPayload(operation, params, sent), schema);
      try {
        return await attempt();
      } catch (e) {
        if (!isExchangeError(e)) throw e;
        if (scheme === 'v3' && e.details.code === ErrorCode.NONCE_EXPIRED) {
          // Nonces restart from the new clock estimate: one that ran ahead of the server must not
          // keep every later nonce ahead too (the server only needs them unique and above the
          // minimum of its last 100, which a nonce on its own clock is).
          lastNonceUs = 0;
          await syncTime().catch(() => undefined);
          throw e;
        }
        if (scheme !== 'v1' || e.details.code !== ErrorCode.INVALID_TIMESTAMP) throw e;
        await syncTime();
        return attempt();
      }
    },

    /**
     * The user-data stream's listen key (Aster "User Data Streams"): POST creates (or returns the
     * active key, extended 60 min), PUT keeps it alive, DELETE closes it. V1 (USER_STREAM) sends the
     * API key header alone, without a signature; V3 signs it like any USER_STREAM request.
     */
    async listenKey<S extends z.ZodType>(
      method: 'POST' | 'PUT' | 'DELETE',
      schema: S,
    ): Promise<z.output<S>> {
      const operation = `listen_key_${method.toLowerCase()}`;
      if (scheme === 'v1')
        return send(operation, method, pathFor(scheme, '/fapi/v1/listenKey'), '', schema);
      await ensureSynced();
      return send(
        operation,
        method,
        pathFor(scheme, '/fapi/v1/listenKey'),
        signedPayload(operation, {}, {}),
        schema,
      );
    },

    /**
     * V3 only: POST /fapi/v3/noop with the nonce of an earlier request. Accepted, it takes that
     * nonce, so the earlier request can no longer execute (it is refused as a used nonce when it
     * arrives); refused with -4225, the earlier request took the nonce first (V3 docs, "Noop").
     */
    async noop(nonceUs: number): Promise<void> {
      if (!o.wallet)
        throw new InvalidArgumentError('aster noop: only the V3 scheme has POST /fapi/v3/noop');
      await send('noop', 'POST', NOOP_PATH, signedPayload('noop', {}, {}, nonceUs), noopAnswer);
    },
  };
}
