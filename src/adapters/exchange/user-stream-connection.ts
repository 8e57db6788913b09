// Keeps the user-data stream connected: creates the listen key, opens the WebSocket at
// `<ws base>/ws/<listenKey>` (Bun, Deno and Node 22+ have WebSocket; Node 20 with
// --experimental-websocket), keeps the key alive every 30 minutes (the docs: valid 60 minutes,
// extended by a PUT), replaces it on listenKeyExpired, reconnects with exponential back-off and
// full jitter after any drop, and reconnects before the docs' 24-hour connection limit. Each
// (re)connection is reported so the caller can catch up on REST what the gap may have hidden.
import type { LogPort } from '../../ports/log.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { UserStreamEvent, UserStreamSource } from '../../ports/user-stream.ts';
import { messageOf } from '../../domain/error-message.mjs';

export interface UserStreamStatus {
  connected: boolean;
  /** When the current state began (epoch ms). */
  sinceMs: number;
  reconnects: number;
  /** Event time (the exchange's clock) of the newest message. */
  lastEventMs?: number;
  /** Why it is down, when it is. */
  error?: string;
}

interface UserStreamConnectionOptions {
  source: UserStreamSource;
  /** The `exchange` label of the stream metrics. */
  exchange: string;
  /** Each event in arrival order; a throwing handler is logged, the stream goes on. */
  onEvent(e: UserStreamEvent): void | Promise<void>;
  /** After each successful connection; `gapSinceMs`: when the previous one was lost (a reconnect). */
  onConnected?(gapSinceMs: number | undefined): void;
  onDisconnected?(reason: string): void;
  metrics: Pick<Metrics, 'streamConnected' | 'streamEvent' | 'streamReconnect'>;
  log: LogPort;
  nowMs: () => number;
  /** Keep-alive interval (ms). Default 30 minutes: well inside the key's 60. */
  keepAliveMs?: number;
  /** Reconnect this long after connecting (ms). Default 23 h 50 min: the docs cut connections at 24 h. */
  maxConnectionMs?: number;
  /** Back-off of reconnects: the n-th waits random() × min(maxMs, baseMs × 2^n). Defaults 500 ms, 30 s. */
  backoff?: { baseMs: number; maxMs: number };
  random?: () => number;
  /** The WebSocket constructor; the runtime's global by default. */
  WebSocket?: typeof WebSocket;
}

interface UserStreamConnection {
  /** Connects; resolves once the first attempt ended (connected or scheduled to retry). */
  start(): Promise<void>;
  /** Closes the socket and the listen key; no reconnect after it. */
  stop(): Promise<void>;
  status(): UserStreamStatus;
}

export function createUserStreamConnection(o: UserStreamConnectionOptions): UserStreamConnection {
  const WS = o.WebSocket ?? (globalThis as { WebSocket?: typeof WebSocket }).WebSocket;
  const keepAliveMs = o.keepAliveMs ?? 30 * 60_000;
  const maxConnectionMs = o.maxConnectionMs ?? (23 * 60 + 50) * 60_000;
  const backoff = o.backoff ?? { baseMs: 500, maxMs: 30_000 };
  const random = o.random ?? Math.random;
  let ws: WebSocket | undefined;
  let listenKey: string | undefined;
  let stopped = false;
  let attempt = 0;
  let timers: ReturnType<typeof setTimeout>[] = [];
  let downSinceMs: number | undefined;
  const status: UserStreamStatus = { connected: false, sinceMs: o.nowMs(), reconnects: 0 };

  const later = (fn: () => void, ms: number) => {
    const t = setTimeout(fn, ms);
    (t as { unref?: () => void }).unref?.();
    timers.push(t);
  };
  const clearTimers = () => {
    for (const t of timers) clearTimeout(t);
    timers = [];
  };

  function down(reason: string) {
    if (status.connected || downSinceMs === undefined) downSinceMs = o.nowMs();
    Object.assign(status, { connected: false, sinceMs: downSinceMs, error: reason });
    o.metrics.streamConnected(o.exchange, false);
    o.onDisconnected?.(reason);
  }

  function scheduleReconnect(reason: string) {
    if (stopped) return;
    clearTimers();
    const waitMs = Math.round(random() * Math.min(backoff.maxMs, backoff.baseMs * 2 ** attempt));
    attempt++;
    o.log.warn(
      { reason, retry_in_ms: waitMs, attempt },
      'User-data stream down; polling until it is back',
    );
    later(() => void connect(true), waitMs);
  }

  /** Drops the socket without triggering its close handler's reconnect (we decide what follows). */
  function detach() {
    const old = ws;
    ws = undefined;
    if (old) {
      old.onclose = old.onerror = old.onmessage = old.onopen = null;
      try {
        old.close();
      } catch {
        // already closed
      }
    }
  }

  async function connect(isRetry: boolean): Promise<void> {
    if (stopped) return;
    if (isRetry) {
      status.reconnects++;
      o.metrics.streamReconnect();
    }
    try {
      listenKey = await o.source.createListenKey();
    } catch (e) {
      down(`listen key not created: ${messageOf(e)}`);
      return scheduleReconnect(status.error!);
    }
    if (stopped) return;
    let socket: WebSocket;
    try {
      socket = new WS!(o.source.streamUrl(listenKey));
    } catch (e) {
      down(`connection failed: ${messageOf(e)}`);
      return scheduleReconnect(status.error!);
    }
    ws = socket;
    await new Promise<void>((resolve) => {
      socket.onopen = () => {
        const gapSinceMs = isRetry ? downSinceMs : undefined;
        attempt = 0;
        downSinceMs = undefined;
        Object.assign(status, { connected: true, sinceMs: o.nowMs(), error: undefined });
        o.metrics.streamConnected(o.exchange, true);
        o.log.info({ reconnects: status.reconnects }, 'User-data stream connected');
        clearTimers();
        const keepAlive = () =>
          later(async () => {
            try {
              await o.source.keepAliveListenKey(listenKey!);
              keepAlive();
            } catch (e) {
              // The key is gone (expired, closed): a new one, a new connection.
              detach();
              down(`keep-alive failed: ${messageOf(e)}`);
              scheduleReconnect(status.error!);
            }
          }, keepAliveMs);
        keepAlive();
        later(() => {
          o.log.info({}, 'User-data stream reconnects before the 24-hour connection limit');
          detach();
          down('24-hour limit');
          void connect(true);
        }, maxConnectionMs);
        o.onConnected?.(gapSinceMs);
        resolve();
      };
      socket.onmessage = (m) => void handle(typeof m.data === 'string' ? m.data : String(m.data));
      socket.onclose = (ev) => {
        if (ws !== socket) return;
        ws = undefined;
        down(`closed (${ev.code}${ev.reason ? ` ${ev.reason}` : ''})`);
        scheduleReconnect(status.error!);
        resolve();
      };
      socket.onerror = () => {
        // onclose follows with the reason
      };
    });
  }

  async function handle(text: string) {
    let event: UserStreamEvent | undefined;
    try {
      event = o.source.parse(text);
    } catch (e) {
      o.metrics.streamEvent('malformed');
      o.log.warn({ err: e }, 'User-data stream message not understood');
      return;
    }
    if (!event) return;
    o.metrics.streamEvent(event.type);
    status.lastEventMs = Math.max(
      status.lastEventMs ?? 0,
      event.type === 'fill' ? event.fill.eventMs : event.eventMs,
    );
    if (event.type === 'listen_key_expired') {
      o.log.warn({}, 'Listen key expired: a new key and connection');
      detach();
      down('listen key expired');
      void connect(true);
      return;
    }
    try {
      await o.onEvent(event);
    } catch (e) {
      o.log.error({ event: event.type, err: e }, 'User-data stream event not handled');
    }
  }

  return {
    async start() {
      if (!WS) {
        down('no WebSocket in this runtime (Node 20: run with --experimental-websocket)');
        o.log.warn(
          {},
          'No WebSocket client in this runtime: the user-data stream is off, the worker polls',
        );
        return;
      }
      await connect(false);
    },
    async stop() {
      stopped = true;
      clearTimers();
      detach();
      o.metrics.streamConnected(o.exchange, false);
      if (listenKey) await o.source.closeListenKey(listenKey).catch(() => undefined);
    },
    status: () => ({ ...status }),
  };
}
