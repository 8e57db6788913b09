// Group commit: writes submitted while a flush runs wait and go together in the next flush, so a
// burst of N concurrent writes costs a handful of transactions (or fsyncs), not N. A caller's
// promise settles only after the flush that carried its items has settled.

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
  /** Items waiting for the next flush (for metrics and back-pressure). */
  readonly queued: number;
}

/**
 * @param flush writes items durably and returns one result per item, in order
 * @param maxItems items per flush at most; a larger backlog goes in several flushes
 */
export function createGroupCommit<T, R>(flush: (items: T[]) => Promise<R[]>, maxItems = 5_000): GroupCommit<T, R> {
  let pending: Entry<T, R>[] = [];
  let queued = 0;
  let running: Promise<void> | undefined;

  /** Flushes one batch: the oldest submissions, up to maxItems (at least one submission). */
  async function flushOnce(): Promise<void> {
    let take = 0;
    let count = 0;
    while (take < pending.length && (take === 0 || count + pending[take]!.items.length <= maxItems)) {
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
    // A macrotask, not a microtask: every write submitted in the current tick joins the flush, and
    // a store whose driver answers synchronously cannot starve timers, sockets and file I/O.
    running ??= new Promise<void>((resolve) => defer(resolve))
      .then(flushOnce)
      .finally(() => {
        running = undefined;
        if (pending.length > 0) start();
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
      while (running) await running;
    },
    get queued() {
      return queued;
    },
  };
}
