// A drawdown trip bounds the loss: backtests of the built-in agents over several seeds, with the
// tightest setting (AIS_MAX_DRAWDOWN=0.02) and no per-position stop (AIS_STOP_LOSS=0), so that
// nothing but the drawdown action stands between the trip and the market. With flatten, no seed's
// largest drawdown passes the limit by more than the largest single-bar move of its data, and the
// book is flat afterwards; with cancel, the positions stay open and the loss runs on past the limit.
import { describe, expect, it } from 'bun:test';
import { runBacktest } from '../../src/main/backtest.ts';

const LIMIT = 0.02;
const run = (seed: number, action: string) =>
  runBacktest({
    days: 7,
    seed,
    runId: `bound-${action}-${seed}`,
    env: {
      AIS_MAX_DRAWDOWN: String(LIMIT),
      AIS_DRAWDOWN_ACTION: action,
      AIS_STOP_LOSS: '0',
    },
  });
const pct = (x: number) => `${(x * 100).toFixed(3)} %`;

describe('a drawdown trip with AIS_DRAWDOWN_ACTION=flatten', () => {
  it.each([1, 2, 3, 4, 5])(
    'keeps seed %i within the limit plus its largest one-bar move, and closes every position',
    async (seed) => {
      const s = await run(seed, 'flatten');
      console.log(
        `seed ${seed}: max drawdown ${pct(s.max_drawdown)} vs limit ${pct(LIMIT)} (over by ${pct(s.max_drawdown - LIMIT)}; largest one-bar move ${pct(s.largest_bar_move)})`,
      );
      expect(s.kill_switch_triggered).toBe(true);
      expect(s.max_drawdown - LIMIT).toBeLessThanOrEqual(s.largest_bar_move);
      expect(s.open_positions).toBe(0);
    },
  );

  it('does better than cancel, which leaves the positions to the market', async () => {
    const [flatten, cancel] = [await run(4, 'flatten'), await run(4, 'cancel')];
    console.log(
      `seed 4: flatten ${pct(flatten.max_drawdown)}, cancel ${pct(cancel.max_drawdown)} (limit ${pct(LIMIT)})`,
    );
    expect(cancel.open_positions).toBeGreaterThan(0);
    expect(cancel.max_drawdown).toBeGreaterThan(flatten.max_drawdown);
  });
});
