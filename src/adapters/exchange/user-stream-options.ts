// The user-data stream connection's options, timing and status (user-stream-connection.ts).
import type { LogPort } from '../../ports/log.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { UserStreamEvent, UserStreamSource } from '../../ports/user-stream.ts';

export interface UserStreamStatus {
  connected: boolean;
  /** When the current state began (epoch ms). */
  sinceMs: number;
  reconnects: number;
  /** Event time (the exchange's clock) of the newest message. */
  lastEventMs?: number;
  /** Why it is down, when it is. */
  error?: string;
  /** Set when the stream was found silent (a change on REST it never carried); cleared by the next message. */
  silentSinceMs?: number;
}

/** The stream's schedule: keep-alives, the connection's age limit, reconnect back-off. */
export interface StreamTiming {
  /** Liveness probe (the listen key's keep-alive) interval (ms). Default 60 s: a key that expired silently is replaced within a minute. */
  keepAliveMs?: number;
  /** Reconnect this long after connecting (ms). Default 23 h 50 min: the docs cut connections at 24 h. */
  maxConnectionMs?: number;
  /** Back-off of reconnects: the n-th waits random() × min(maxMs, baseMs × 2^n). Defaults 500 ms, 30 s. */
  backoff?: { baseMs: number; maxMs: number };
  random?: () => number;
  /** The monotonic clock (ms, epoch scale: clocks.ts) stamping the status's since / silent-since (their ages in /health); `nowMs` when absent. */
  monoMs?: () => number;
}

export interface UserStreamConnectionOptions {
  source: UserStreamSource;
  /** The `exchange` label of the stream metrics. */
  exchange: string;
  /** Each event in arrival order; a throwing handler is logged, the stream goes on. */
  onEvent(e: UserStreamEvent): void | Promise<void>;
  /** After each successful connection; `gapSinceMs`: when the previous one was lost (a reconnect). */
  onConnected?(gapSinceMs: number | undefined): void;
  onDisconnected?(reason: string): void;
  metrics: Pick<Metrics, 'streamConnected' | 'streamEvent' | 'streamReconnect' | 'streamSilent'>;
  log: LogPort;
  /** Wall clock (ms): when a connection was lost, as the window of trades read back from the exchange. */
  nowMs: () => number;
  /** When to keep the key alive and to reconnect; defaults as the docs advise. */
  timing?: StreamTiming;
  /** The WebSocket constructor; the runtime's global by default. */
  WebSocket?: typeof WebSocket;
}
