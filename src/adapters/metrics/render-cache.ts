// Scrapes cannot starve the risk checks: a /metrics render costs 15-35 ms of the main thread, and
// 64 scrapers at once used to cost 64 renders. Here concurrent scrapes share one render, and a
// render is reused for `maxAgeMs`, so the main thread renders at most once per interval however
// many scrapers ask (Prometheus scrapes every 15 s by default: a second-old figure changes nothing).

/** What GET /metrics needs: the exposition text and its content type. */
export interface Exporter {
  render(): Promise<string>;
  readonly contentType: string;
}

interface RenderCacheOptions {
  /** Reuse a finished render this long (AIS_METRICS_CACHE_MS); 0: only share one in flight. */
  maxAgeMs: number;
  /** Monotonic clock in ms (a wall-clock step neither freezes nor empties the cache). */
  monotonicMs?: () => number;
}

/** Wraps `exporter` so that concurrent renders share one and a finished one is kept `maxAgeMs`. */
export function cachedExporter(exporter: Exporter, opts: RenderCacheOptions): Exporter {
  const monotonicMs = opts.monotonicMs ?? (() => performance.now());
  let inFlight: Promise<string> | undefined;
  let last: { text: string; atMs: number } | undefined;
  return {
    contentType: exporter.contentType,
    render() {
      if (inFlight) return inFlight;
      // The age counts from the render's start: the figures are as old as the moment they were read.
      if (last && monotonicMs() - last.atMs < opts.maxAgeMs) return Promise.resolve(last.text);
      const atMs = monotonicMs();
      inFlight = exporter.render().then(
        (text) => {
          inFlight = undefined;
          last = { text, atMs };
          return text;
        },
        (e: unknown) => {
          inFlight = undefined;
          throw e;
        },
      );
      return inFlight;
    },
  };
}
