// A 30-day backtest on one symbol at one-minute bars (43,200 cycles through agents, arbitration,
// the WASM risk engine and the paper exchange), beside the bare market replay of the same bars.
import { createSyntheticMarket, DEFAULT_SYMBOLS } from '../../src/domain/market/synthetic.ts';
import { runBacktest } from '../../src/main/backtest.ts';
import { record, section } from './harness.ts';

export async function benchBacktest() {
  const s = section('backtest');
  const run = await runBacktest({ days: 30, seed: 1, runId: 'bench', symbols: ['BTCUSDT'] });
  const t0 = performance.now();
  const market = createSyntheticMarket({
    seed: 1,
    symbols: DEFAULT_SYMBOLS.slice(0, 1),
    startMs: 0,
  });
  for (let i = 0; i < run.bars; i++) market.step();
  const bare = (performance.now() - t0) / 1000;
  record({
    section: s,
    name: `30 days x 1 symbol, 1-minute bars (${run.bars} cycles, ${run.trades} trades)`,
    value: run.wall_seconds,
    unit: 's',
    baseline: { name: 'market replay alone', value: bare },
    target: '<= 10 s',
    met: run.wall_seconds <= 10,
  });
  record({
    section: s,
    name: 'cycles per second',
    value: run.bars / run.wall_seconds,
    unit: 'cycles/s',
  });
}
