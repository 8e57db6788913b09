// Keeps the user-data stream connected: creates the listen key, opens the WebSocket at
// `<ws base>/ws/<listenKey>` (Bun, Deno and Node 22+ have WebSocket; Node 20 with
// --experimental-websocket), probes the key every minute with its keep-alive (the docs: valid 60
// minutes, extended by a PUT; a key that expired without a listenKeyExpired event answers -1125
// and is replaced at once), replaces it on listenKeyExpired, reconnects with exponential back-off
// and full jitter after any drop, reconnects before the docs' 24-hour connection limit, and
// restarts with a new key when told the stream is silent (restart). Each (re)connection is
// reported so the caller can catch up on REST what the gap may have hidden.
import type { UserStreamEvent } from '../../ports/user-stream.ts';
import { messageOf } from '../../domain/error-message.mjs';
import { isExchangeError } from '../../ports/exchange.ts';
import type {
  StreamTiming,
  UserStreamConnectionOptions,
  UserStreamStatus,
} from './user-stream-options.ts';

export type { StreamTiming, UserStreamStatus };

interface UserStreamConnection {
  /** Connects; resolves once the first attempt ended (connected or scheduled to retry). */
  start(): Promise<void>;
  /** Closes the socket and the listen key; no reconnect after it. */
  stop(): Promise<void>;
  status(): UserStreamStatus;
  /**
   * The stream carries nothing while the account changes (`reason` says what it missed): a new
   * key and connection at once; status() stays `silentSinceMs` until a message arrives.
   */
  restart(reason: string): void;
}

/** -1125 INVALID_LISTEN_KEY "This listenKey does not exist." (Aster error codes). */
const INVALID_LISTEN_KEY = -1125;
const isKeyGone = (e: unknown) => isExchangeError(e) && e.details.code === INVALID_LISTEN_KEY;

export function createUserStreamConnection(
  options: UserStreamConnectionOptions,
): UserStreamConnection {
  const o = { ...options, ...options.timing };
  const WS = o.WebSocket ?? (globalThis as { WebSocket?: typeof WebSocket }).WebSocket;
  const keepAliveMs = o.keepAliveMs ?? 60_000;
  const maxConnectionMs = o.maxConnectionMs ?? (23 * 60 + 50) * 60_000;
  const backoff = o.backoff ?? { baseMs: 500, maxMs: 30_000 };
  const random = o.random ?? Math.random;
  let ws: WebSocket | undefined;
  let listenKey: string | undefined;
  let stopped = false;
  let attempt = 0;
  let timers: ReturnType<typeof setTimeout>[] = [];
  let downSinceMs: number | undefined; // wall clock: the trades to read back from the exchange
  const mono = o.monoMs ?? o.nowMs; // status times: their ages in /health must not follow a step
  const status: UserStreamStatus = { connected: false, sinceMs: mono(), reconnects: 0 };

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
    if (status.connected || downSinceMs === undefined) {
      downSinceMs = o.nowMs();
      status.sinceMs = mono();
    }
    Object.assign(status, { connected: false, error: reason });
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

  /** The listen key's keep-alive every keepAliveMs: -1125 (gone) means a new key at once; any other failure is logged and probed again. */
  function probe() {
    later(async () => {
      try {
        await o.source.keepAliveListenKey(listenKey!);
      } catch (e) {
        if (!isKeyGone(e)) {
          o.log.warn({ err: e }, 'Listen key probe failed; probing again');
          return probe();
        }
        o.metrics.streamSilent(o.exchange, 'listen_key_gone');
        o.log.warn({ err: e }, 'Listen key gone without an event: a new key and connection');
        return restartNow('listen key gone (-1125)');
      }
      probe();
    }, keepAliveMs);
  }

  function restartNow(reason: string) {
    if (stopped) return;
    clearTimers();
    detach();
    down(reason);
    void connect(true);
  }

  /** The socket opened: connected from now, the key probed, a reconnect before the age limit. */
  function opened(isRetry: boolean) {
    const gapSinceMs = isRetry ? downSinceMs : undefined;
    attempt = 0;
    downSinceMs = undefined;
    Object.assign(status, { connected: true, sinceMs: mono(), error: undefined });
    o.metrics.streamConnected(o.exchange, true);
    o.log.info({ reconnects: status.reconnects }, 'User-data stream connected');
    clearTimers();
    probe();
    later(() => {
      o.log.info({}, 'User-data stream reconnects before the 24-hour connection limit');
      detach();
      down('24-hour limit');
      void connect(true);
    }, maxConnectionMs);
    o.onConnected?.(gapSinceMs);
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
        opened(isRetry);
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
    status.silentSinceMs = undefined;
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
    restart(reason) {
      status.silentSinceMs ??= mono();
      o.metrics.streamSilent(o.exchange, 'no_events');
      o.log.warn({ reason }, 'User-data stream silent: a new key and connection');
      restartNow(`silent: ${reason}`);
    },
  };
}
