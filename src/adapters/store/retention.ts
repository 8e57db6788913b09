// Runs retention off the hot path: every interval, deletes the pruned event types older than the
// cut-off in small batches (each one short write transaction, so appends wait at most one batch),
// gives the freed pages back to the file system and exports the store's size.
import {
  PRUNED_EVENT_TYPES,
  retentionCutoffMs,
  retentionNowMs,
} from '../../domain/records/retention.ts';
import type { StoreMaintenance } from '../../ports/event-store.ts';
import type { LogPort } from '../../ports/log.ts';
import type { Metrics } from '../../ports/metrics.ts';

interface RetentionOptions {
  maintenance: StoreMaintenance;
  /** Days pruned types are kept; 0 keeps everything (sizes are still exported). */
  days: number;
  metrics: Pick<Metrics, 'eventStoreFootprint' | 'eventsPruned'>;
  log: LogPort;
  /** The wall clock (event times are wall-clock times). */
  nowMs: () => number;
  /** The time of the newest stored event (any type): the cut-off never passes it by more than a pass interval. */
  newestStoredMs?: () => Promise<number | undefined>;
  /** The wall clock's unexplained step in ms (0: none), looked at before each pass: while not 0, nothing is pruned. */
  clockStepMs?: () => number;
  /** Time between runs (default 60 s); the first run starts at once. */
  intervalMs?: number;
  /** Rows per DELETE (default 1,000: a few ms of the writer thread). */
  batchSize?: number;
}

export interface Retention {
  /** One pass: prune every type down to the cut-off, vacuum, export sizes. Answers rows deleted. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/** Deletes every pruned type down to `cutoff` in batches, then gives the freed pages back; answers rows deleted. */
async function pruneTo(
  opts: RetentionOptions,
  cutoff: number,
  batchSize: number,
  stopped: () => boolean,
): Promise<number> {
  let total = 0;
  for (const type of PRUNED_EVENT_TYPES) {
    let deleted: number;
    do {
      deleted = await opts.maintenance.pruneBefore(type, cutoff, batchSize);
      if (deleted) opts.metrics.eventsPruned(type, deleted);
      total += deleted;
    } while (deleted === batchSize && !stopped());
  }
  // Every pass, not only after deletes: a large first prune frees more than one step gives back.
  while ((await opts.maintenance.vacuumStep()) && !stopped());
  return total;
}

export function startRetention(opts: RetentionOptions): Retention {
  const batchSize = opts.batchSize ?? 1_000;
  const intervalMs = opts.intervalMs ?? 60_000;
  let stopped = false;
  let running: Promise<number> | undefined;

  /** The cut-off of this pass, or undefined: keep everything, or the wall clock stepped. */
  async function cutoffNow(): Promise<number | undefined> {
    if (opts.days <= 0) return undefined;
    const stepMs = opts.clockStepMs?.() ?? 0;
    if (stepMs !== 0) {
      opts.log.warn(
        { step_ms: Math.round(stepMs) },
        'Retention pass skipped: the wall clock stepped (see GET /v1/clock)',
      );
      return undefined;
    }
    const newest = await opts.newestStoredMs?.();
    return retentionCutoffMs(retentionNowMs(opts.nowMs(), newest, intervalMs), opts.days);
  }

  async function pass(): Promise<number> {
    const cutoff = await cutoffNow();
    let total = 0;
    if (cutoff !== undefined) total = await pruneTo(opts, cutoff, batchSize, () => stopped);
    if (total > 0)
      opts.log.info(
        { deleted: total, before: new Date(cutoff!).toISOString() },
        'Retention pruned old events',
      );
    opts.metrics.eventStoreFootprint(opts.maintenance.footprint());
    return total;
  }
  const runOnce = () => {
    running ??= pass().finally(() => (running = undefined));
    return running;
  };
  const tick = () =>
    void runOnce().catch((e) =>
      opts.log.warn({ err: e }, 'Retention pass failed; retrying next interval'),
    );
  tick();
  const timer = setInterval(tick, intervalMs);
  (timer as { unref?: () => void }).unref?.();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}
