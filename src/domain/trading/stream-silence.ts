// A user-data stream that is connected but carries nothing while the account changes (a listen key
// that died without an event, a proxy that swallows frames): found by comparing what REST already
// reads (reconciliation reads every symbol's trades each run) with what the stream carried. A
// trade REST shows, made while the stream was connected and older than the grace, that the stream
// never delivered means the stream is silent. Pure bookkeeping; times on the exchange's clock.

/** Trade ids the stream carried are remembered this long (reconciliation reads the last 30 min at most per run). */
const KEEP_MS = 2 * 60 * 60_000;

export interface StreamSilenceDetector {
  /** A fill the stream carried: its trade id and time. */
  carried(tradeId: string, timeMs: number): void;
  /** The stream (re)connected at `exchangeMs`: trades before it come through the REST catch-up, not the stream. */
  connected(exchangeMs: number): void;
  disconnected(): void;
  /**
   * The first of `trades` (read on REST) made while the stream was connected, at least `graceMs`
   * before `nowMs`, that the stream never carried; undefined when there is none or the stream is down.
   */
  missed(
    trades: readonly { id: string; timeMs: number }[],
    nowMs: number,
  ): { id: string; timeMs: number } | undefined;
}

export function createStreamSilenceDetector(graceMs: number): StreamSilenceDetector {
  const seen = new Map<string, number>();
  let connectedSinceMs: number | undefined;
  return {
    carried(tradeId, timeMs) {
      seen.set(tradeId, timeMs);
      if (seen.size > 10_000) for (const [id, t] of seen) if (t < timeMs - KEEP_MS) seen.delete(id);
    },
    connected: (exchangeMs) => void (connectedSinceMs = exchangeMs),
    disconnected: () => void (connectedSinceMs = undefined),
    missed(trades, nowMs) {
      if (connectedSinceMs === undefined) return undefined;
      const since = connectedSinceMs;
      return trades.find(
        (t) => t.timeMs >= since && t.timeMs <= nowMs - graceMs && !seen.has(t.id),
      );
    },
  };
}
