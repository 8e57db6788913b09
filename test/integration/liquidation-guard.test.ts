// Done-when of the margin work: a paper backtest with high leverage allowed and an agent that wants
// 15x its NAV, through a 7.7 % fall of the mark. With liquidation_distance at 0.1 the guard stops
// the position growing while its liquidation price would be within 10 % of the mark, and the paper
// exchange liquidates nothing; with it at 0 the position grows to 15x and the fall liquidates it
// (an `autoclose-` order the worker books).
import { describe, expect, test } from 'bun:test';
import type { SymbolBar } from '../../src/domain/market/replay.ts';
import type { Agent } from '../../src/domain/trading/agents/agent.ts';
import { runBacktest } from '../../src/main/backtest.ts';

const MINUTE = 60_000;
const START = Date.UTC(2026, 0, 5);

/** 120 bars at 60,000, eight bars falling 1 % each, then 30 bars at the low. */
function bars(): SymbolBar[] {
  const closes: number[] = [];
  for (let i = 0; i < 120; i++) closes.push(60_000);
  for (let i = 0; i < 8; i++) closes.push(Math.round(closes.at(-1)! * 0.99 * 10) / 10);
  for (let i = 0; i < 30; i++) closes.push(closes.at(-1)!);
  return closes.map((close, i) => {
    const open = closes[i - 1] ?? close;
    return {
      symbol: 'BTCUSDT',
      openTimeMs: START + i * MINUTE,
      closeTimeMs: START + (i + 1) * MINUTE - 1,
      open,
      high: Math.max(open, close),
      low: Math.min(open, close),
      close,
      volume: 10,
    };
  });
}

/** Wants a long of one more NAV each cycle, up to 15x (a size hint above 1: a fraction of NAV before risk limits). */
function levered(): Agent {
  let n = 0;
  return {
    id: 'levered',
    lookback: 1,
    analyze: (b) => ({
      agentId: 'levered',
      symbol: b.symbol,
      direction: 'LONG',
      confidence: 1,
      sizeHint: Math.min(15, ++n),
      rationale: 'test: wants leverage',
      timeMs: b.nowMs,
    }),
  };
}

const env = (minDistance: string) => ({
  AIS_MIN_LIQUIDATION_DISTANCE: minDistance,
  AIS_PAPER_LEVERAGE: '20',
  AIS_MAX_LEVERAGE: '20',
  AIS_MAX_GROSS_EXPOSURE: '20',
  AIS_MAX_NET_EXPOSURE: '20',
  AIS_MAX_POSITION_WEIGHT: '20',
  AIS_MAX_ORDER_NOTIONAL_USD: '1000000000',
  AIS_MAX_DRAWDOWN: '1',
  AIS_MAX_DAILY_LOSS: '1',
  // No stop-loss: only the margin guards stand between the position and its liquidation.
  AIS_STOP_LOSS: '0',
});

describe('liquidation_distance in a paper backtest with high leverage allowed', () => {
  test('with the guard (0.1) the paper exchange liquidates nothing; without it (0) it liquidates', async () => {
    const guarded = await runBacktest({
      days: 0,
      bars: bars(),
      seed: 1,
      runId: 'guarded',
      env: env('0.1'),
      agents: [levered()],
    });
    expect(guarded.trades).toBeGreaterThanOrEqual(5); // the position was built, one NAV at a time
    expect(guarded.rejections_by_guard.liquidation_distance).toBeGreaterThan(0);
    expect(guarded.liquidations).toBe(0);
    expect(guarded.final_nav_usd).toBeGreaterThan(0);

    const unguarded = await runBacktest({
      days: 0,
      bars: bars(),
      seed: 1,
      runId: 'unguarded',
      env: env('0'),
      agents: [levered()],
    });
    expect(unguarded.rejections_by_guard.liquidation_distance ?? 0).toBe(0);
    expect(unguarded.liquidations).toBeGreaterThanOrEqual(1);
  });
});
