// The margin schedule over a real paper exchange: a real exchange's margin is read at most every
// MARGIN_EVERY_MS and always in the cycle after a fill; an in-process margin (paper) every cycle.
import { describe, expect, it } from 'bun:test';
import { createPaperExchange } from '../../../src/adapters/exchange/paper/paper-exchange.ts';
import { createSyntheticMarket, DEFAULT_SYMBOLS } from '../../../src/domain/market/synthetic.ts';
import {
  afterFill,
  MARGIN_UNREAD,
  type MarginTiming,
  readMarginWhenDue,
} from '../../../src/domain/trading/cycle-reads.ts';
import { MARGIN_EVERY_MS, marginEveryMs } from '../../../src/domain/trading/margin-schedule.ts';

/** A paper exchange whose margin reads are counted, and cycles at the times given (ms). */
function rig() {
  const startMs = 1_700_000_000_000;
  const market = createSyntheticMarket({
    seed: 1,
    symbols: DEFAULT_SYMBOLS,
    barMs: 60_000,
    startMs,
  });
  market.advanceTo(startMs + 60 * 60_000);
  const paper = createPaperExchange({ market, initialBalanceUsd: 10_000, nowMs: () => startMs });
  let reads = 0;
  const exchange = { marginAccount: () => (reads++, paper.marginAccount()) };
  let timing: MarginTiming = MARGIN_UNREAD;
  /** One cycle at `atMs`: true when the margin was read. */
  const cycle = async (atMs: number, everyMs: number) => {
    const read = await readMarginWhenDue(exchange, timing, atMs, everyMs);
    if (read) timing = read.timing;
    return read !== undefined;
  };
  return { cycle, fill: () => (timing = afterFill(timing)), reads: () => reads };
}

describe('margin schedule', () => {
  it('reads a real exchange margin every MARGIN_EVERY_MS (5 s), and in the cycle after a fill', async () => {
    expect(MARGIN_EVERY_MS).toBe(5_000);
    const every = marginEveryMs(false);
    expect(every).toBe(MARGIN_EVERY_MS);
    const r = rig();
    const due: boolean[] = [];
    for (const t of [0, 1_000, 4_999, 5_000, 6_000]) due.push(await r.cycle(t, every));
    expect(due).toEqual([true, false, false, true, false]);
    r.fill();
    expect(await r.cycle(7_000, every)).toBe(true);
    expect(await r.cycle(8_000, every)).toBe(false);
    expect(r.reads()).toBe(3);
  });

  it('reads an in-process margin (paper) in every cycle', async () => {
    expect(marginEveryMs(true)).toBe(0);
    const r = rig();
    for (const t of [0, 1, 2, 3]) expect(await r.cycle(t, marginEveryMs(true))).toBe(true);
    expect(r.reads()).toBe(4);
  });
});
