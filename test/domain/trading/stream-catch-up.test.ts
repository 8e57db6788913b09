// The REST reads around the user-data stream, on a timer the test fires by hand and an exchange
// clock it moves: polling every 10 s while the stream is down, one read of the gap after a
// reconnect, a read from a trade the stream never carried; a failed read is logged and retried.
import { describe, expect, it } from 'bun:test';
import {
  createStreamCatchUp,
  GAP_MARGIN_MS,
  USER_STREAM_POLL_MS,
} from '../../../src/domain/trading/stream-catch-up.ts';
import type { IntervalTimer } from '../../../src/domain/time/timers.ts';

function rig() {
  const jobs = new Map<number, { fn: () => void; ms: number }>();
  let next = 0;
  const timer: IntervalTimer = {
    every: (fn, ms) => (jobs.set(++next, { fn, ms }), next),
    cancel: (h) => void jobs.delete(h as number),
  };
  let now = 1_000_000;
  let failing = false;
  const reads: number[] = [];
  const warnings: { obj: object; msg: string }[] = [];
  const gap = createStreamCatchUp({
    async catchUp(fromMs) {
      reads.push(fromMs);
      if (failing) throw new Error('userTrades 503');
    },
    serverNowMs: () => now,
    log: { warn: (obj, msg) => void warnings.push({ obj, msg }) },
    timer,
  });
  /** One poll tick, its read settled. */
  const tick = async () => {
    for (const j of jobs.values()) j.fn();
    await new Promise((r) => setTimeout(r, 0));
  };
  return {
    gap,
    jobs,
    tick,
    reads,
    warnings,
    at: (ms: number) => (now = ms),
    fail: (on: boolean) => (failing = on),
  };
}

describe('stream catch-up', () => {
  it('polls every 10 s while the stream is down, each read from the end of the last one', async () => {
    const r = rig();
    r.at(1_000_000);
    r.gap.disconnected();
    r.gap.disconnected(); // a second report starts no second schedule
    expect([...r.jobs.values()].map((j) => j.ms)).toEqual([USER_STREAM_POLL_MS]);
    expect(USER_STREAM_POLL_MS).toBe(10_000);
    r.at(1_010_000);
    await r.tick();
    r.at(1_020_000);
    await r.tick();
    expect(r.reads).toEqual([1_000_000 - GAP_MARGIN_MS, 1_010_000 - GAP_MARGIN_MS]);
    expect(GAP_MARGIN_MS).toBe(5_000);
  });

  it('logs a failed read and reads the same span again on the next poll', async () => {
    const r = rig();
    r.gap.disconnected();
    r.fail(true);
    await r.tick();
    r.fail(false);
    await r.tick();
    expect(r.reads).toEqual([995_000, 995_000]);
    expect(r.warnings.map((w) => w.msg)).toEqual([
      'Could not read trades while the stream is down; trying again',
    ]);
    expect((r.warnings[0]!.obj as { err: Error }).err.message).toBe('userTrades 503');
  });

  it('on a reconnect stops polling and reads the gap once, from its start', async () => {
    const r = rig();
    r.at(2_000_000);
    r.gap.disconnected();
    r.at(2_030_000);
    // The connection says the gap began earlier than the first report of it.
    await r.gap.connected(1_990_000);
    expect(r.jobs.size).toBe(0);
    expect(r.reads).toEqual([1_990_000 - GAP_MARGIN_MS]);
    // Nothing left to read: a connect without a gap reads nothing.
    await r.gap.connected(undefined);
    expect(r.reads).toHaveLength(1);
  });

  it('a trade the stream never carried: the next read starts from it; stop ends polling', async () => {
    const r = rig();
    r.gap.missed(900_000);
    await r.gap.connected(950_000);
    expect(r.reads).toEqual([900_000 - GAP_MARGIN_MS]);
    r.gap.disconnected();
    expect(r.jobs.size).toBe(1);
    r.gap.stop();
    expect(r.jobs.size).toBe(0);
  });
});
