// The HTTP edge of the Aster adapter: keeps the server-clock offset, signs requests
// (./client-signer.ts) and sends them (./client-http.ts: the time-out, usage, every failure an
// ExchangeError whose kind tells the caller whether the request may have executed).
//
// One client, two signing schemes, chosen by the credentials it is given:
// - V1 (`apiKey` + `apiSecret`): HMAC-SHA256 over the parameters plus `recvWindow` and a
//   millisecond `timestamp`; the key in X-MBX-APIKEY; paths /fapi/v1|v2|v4/*.
// - V3 (`wallet`): an EIP-712 signature by the API wallet over the parameters plus a microsecond
//   `nonce`, `user` and `signer`; no API key header; paths /fapi/v3/* (./endpoints.ts).
// Callers name endpoints by their V1 path and never see the difference.
import type { z } from 'zod';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { isExchangeError } from '../../../ports/exchange.ts';
import { type AsterTransportOptions, createAsterTransport } from './client-http.ts';
import {
  type AsterAuth,
  createAsterSigner,
  credentialHint,
  type SentStamp,
} from './client-signer.ts';
import { type AsterPath, type AsterScheme, NOOP_PATH, pathFor } from './endpoints.ts';
import { ErrorCode, noopAnswer, serverTime } from './schema/common.ts';
import { encodeParams, type Params } from './sign.ts';
import { checkParamTypes } from './param-types.ts';

export type { AsterAuth, SentStamp };

/** How far the V3 nonce may be from the server's clock, either way (V3 docs, "V3 Nonce Mechanism"). */
const V3_NONCE_WINDOW_MS = 10_000;

type AsterClientOptions = AsterAuth & AsterConnectionOptions;

export interface AsterConnectionOptions extends Omit<
  AsterTransportOptions,
  'apiKey' | 'credentialHint' | 'onCall'
> {
  nowMs: () => number;
  /** V1: how long after its timestamp the exchange may still execute a request. Default 5 s (the API's). */
  recvWindowMs?: number;
  /** Once per HTTP request (retries and order look-ups included): operation, seconds, success.
   *  Operations: time, balance, positions, user_trades, open_orders, new_order, query_order,
   *  cancel_order, mark_price, klines (the names guardExchange uses), noop (V3). */
  onCall?: (operation: string, seconds: number, ok: boolean) => void;
}

export type AsterClient = ReturnType<typeof createAsterClient>;

export function createAsterClient(o: AsterClientOptions) {
  const scheme: AsterScheme = o.wallet ? 'v3' : 'v1';
  const recvWindowMs = o.recvWindowMs ?? 5_000;
  let offsetMs: number | undefined;
  const signer = createAsterSigner(o, { nowMs: o.nowMs, offsetMs: () => offsetMs }, recvWindowMs);
  /** The caller's parameters typed as the docs type them (param-types.ts), then signed. */
  const signedPayload = (operation: string, params: Params, sent: SentStamp) => {
    checkParamTypes(operation, params);
    return signer.signedPayload(params, sent);
  };
  const serverNowMs = signer.serverNowMs;
  const send = createAsterTransport({ ...o, credentialHint: (code) => credentialHint(o, code) });

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
          signer.resetNonces();
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
        signer.signedPayload({}, {}),
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
      await send('noop', 'POST', NOOP_PATH, signer.signedPayload({}, {}, nonceUs), noopAnswer);
    },
  };
}
