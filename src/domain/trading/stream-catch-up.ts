// The account's trades while the user-data stream cannot carry them (issue 11): while the stream
// is down they are read on REST every USER_STREAM_POLL_MS; after a reconnect, once more from when
// it was lost; after a trade the stream never carried (stream-silence.ts), from that trade on. So
// a gap never hides a fill. Each read starts GAP_MARGIN_MS before the gap (the two clocks, the
// event in flight); times are the exchange's clock. A failed read is logged and retried next poll.
import type { LogPort } from '../../ports/log.ts';
import { type IntervalTimer, realIntervalTimer } from '../time/timers.ts';

/** Polling interval while the stream is down (ms; userTrades weight 5 per symbol on Aster). */
export const USER_STREAM_POLL_MS = 10_000;
/** A gap is read from this long before it began (ms). */
export const GAP_MARGIN_MS = 5_000;

/** What the catch-up reads with, on which clock and timer. */
export interface StreamCatchUpOptions {
  /** Reads and books the account's trades from `fromMs` (account-stream.ts's catchUp). */
  catchUp(fromMs: number): Promise<unknown>;
  /** The exchange's clock (ms). */
  serverNowMs(): number;
  /** The `ais.exchange.stream` logger. */
  log: Pick<LogPort, 'warn'>;
  /** setInterval (unref'd) by default; a test passes its own. */
  timer?: IntervalTimer;
}

/** The schedule of REST reads around the stream's connection, driven by the connection's callbacks. */
export function createStreamCatchUp(o: StreamCatchUpOptions) {
  const timer = o.timer ?? realIntervalTimer;
  let pollTimer: unknown;
  /** Trades are read from here on the next poll or catch-up (the exchange's clock). */
  let readFromMs: number | undefined;
  const readFrom = (ms: number) => (readFromMs = Math.min(readFromMs ?? Infinity, ms));

  const catchUp = async () => {
    if (readFromMs === undefined) return;
    const until = o.serverNowMs();
    try {
      await o.catchUp(readFromMs);
      readFromMs = until - GAP_MARGIN_MS;
    } catch (e) {
      o.log.warn({ err: e }, 'Could not read trades while the stream is down; trying again');
    }
  };
  const stopPolling = () => {
    if (pollTimer !== undefined) timer.cancel(pollTimer);
    pollTimer = undefined;
  };

  return {
    /** The stream is up: polling stops; after a gap (`gapSinceMs`), its trades are read once. */
    async connected(gapSinceMs: number | undefined): Promise<void> {
      stopPolling();
      if (gapSinceMs === undefined) return;
      readFrom(gapSinceMs - GAP_MARGIN_MS);
      await catchUp().then(() => (readFromMs = undefined));
    },
    /** The stream is down: trades are polled from now on, every USER_STREAM_POLL_MS. */
    disconnected(): void {
      readFromMs ??= o.serverNowMs() - GAP_MARGIN_MS;
      if (pollTimer !== undefined) return;
      pollTimer = timer.every(() => void catchUp(), USER_STREAM_POLL_MS);
    },
    /** A trade the stream never carried (at `timeMs`): the next read starts from it. */
    missed(timeMs: number): void {
      readFrom(timeMs - GAP_MARGIN_MS);
    },
    /** Stops polling (the worker stops). */
    stop: stopPolling,
  };
}

/** What createStreamCatchUp returns. */
export type StreamCatchUp = ReturnType<typeof createStreamCatchUp>;
