// Group commit: writes submitted while a flush runs wait and go together in a later flush, so a
// burst of N concurrent writes costs a handful of transactions (or fsyncs), not N. A caller's
// promise settles only after the flush that carried its items has settled.
//
// Up to `maxInFlight` flushes may run at once, each started a macrotask after the writes it carries.
// With a writer that takes its flushes in the order it receives them (the event store's writer
// thread, which also commits the flushes waiting in its queue together), several in flight keep it
// busy: it starts the next transaction the moment one commits, instead of idling while the event
// loop hears of the commit, answers its requests and hands over the next batch.

const defer: (fn: () => void) => void =
  typeof setImmediate === 'function' ? (fn) => setImmediate(fn) : (fn) => setTimeout(fn, 0);

interface Entry<T, R> {
  items: readonly T[];
  resolve(results: R[]): void;
  reject(error: unknown): void;
}

interface GroupCommit<T, R> {
  submit(items: readonly T[]): Promise<R[]>;
  /** Resolves when everything submitted so far has been flushed (or has failed). */
  drain(): Promise<void>;
  /** Items waiting for a flush (for metrics and back-pressure). */
  readonly queued: number;
}

interface GroupCommitOptions {
  /** Items per flush at most; a larger backlog goes in several flushes. Default 5,000. */
  maxItems?: number;
  /**
   * Flushes running at once; default 1. More than 1 only when `flush` commits its calls in the
   * order they were made (a single writer with a queue), so that later writes are never committed
   * before earlier ones.
   */
  maxInFlight?: number;
}

/**
 * @param flush writes items durably and returns one result per item, in order
 */
export function createGroupCommit<T, R>(
  flush: (items: T[]) => Promise<R[]>,
  options: GroupCommitOptions = {},
): GroupCommit<T, R> {
  const maxItems = options.maxItems ?? 5_000;
  const maxInFlight = Math.max(1, options.maxInFlight ?? 1);
  let pending: Entry<T, R>[] = [];
  let queued = 0;
  let inFlight = 0;
  let scheduled = false;
  /** drain() callers, told each time a flush settles. */
  let settledWaiters: (() => void)[] = [];

  /** Flushes one batch: the oldest submissions, up to maxItems (at least one submission). */
  async function flushOnce(): Promise<void> {
    let take = 0;
    let count = 0;
    while (
      take < pending.length &&
      (take === 0 || count + pending[take]!.items.length <= maxItems)
    ) {
      count += pending[take]!.items.length;
      take++;
    }
    const batch = pending.splice(0, take);
    queued -= count;
    const items = batch.flatMap((e) => e.items);
    try {
      const results = await flush(items);
      let at = 0;
      for (const e of batch) {
        e.resolve(results.slice(at, at + e.items.length));
        at += e.items.length;
      }
    } catch (error) {
      for (const e of batch) e.reject(error);
    }
  }

  function start(): void {
    if (scheduled || inFlight >= maxInFlight || pending.length === 0) return;
    scheduled = true;
    // A macrotask, not a microtask: every write submitted in the current tick joins the flush, and
    // a store whose driver answers synchronously cannot starve timers, sockets and file I/O.
    defer(() => {
      scheduled = false;
      if (inFlight >= maxInFlight || pending.length === 0) return;
      inFlight++;
      void flushOnce().finally(() => {
        inFlight--;
        start();
        const waiters = settledWaiters;
        settledWaiters = [];
        for (const w of waiters) w();
      });
    });
  }

  return {
    submit(items) {
      if (items.length === 0) return Promise.resolve([]);
      return new Promise<R[]>((resolve, reject) => {
        pending.push({ items, resolve, reject });
        queued += items.length;
        start();
      });
    },
    async drain() {
      // A flush is running or about to: wait for one to settle, then look again.
      while (inFlight > 0 || scheduled || pending.length > 0)
        await new Promise<void>((r) => settledWaiters.push(r));
    },
    get queued() {
      return queued;
    },
  };
}
