// A paper worker process whose drawdown trips the kill switch closes every position
// (AIS_DRAWDOWN_ACTION=flatten, the default) with reduce-only orders through the gate, and holds
// no exposure afterwards: the loss stops at the trip. No per-position stop (AIS_STOP_LOSS=0), so
// nothing else closes the position.
import { afterAll, describe, expect, it } from 'bun:test';
import { waitFor } from '../monitoring/processes.ts';
import { workerApi } from '../helpers/drill.ts';
import { startWorker, type WorkerProcess } from '../helpers/worker-process.ts';

const TOKEN = 'drawdown-flatten-token-0123456789';
const api = workerApi(TOKEN);
const started: WorkerProcess[] = [];
afterAll(async () => {
  await Promise.all(started.map((w) => w.stop('SIGKILL')));
});

interface Portfolio {
  nav_usd: number;
  drawdown: number;
  positions: { symbol: string; quantity: number; weight: number }[];
}

describe('a drawdown trip on a paper worker', () => {
  it('flattens every position, and the drawdown stops growing', async () => {
    const worker = await startWorker('bun', {
      AIS_API_TOKEN: TOKEN,
      AIS_LOOP_INTERVAL_MS: '100',
      AIS_MAX_POSITION_WEIGHT: '0.6',
      AIS_MAX_NET_EXPOSURE: '1',
      AIS_MAX_ORDER_NOTIONAL_USD: '1000000',
      AIS_STOP_LOSS: '0',
      // Only the drill's signal trades: no built-in agent unwinds the position before the crash.
      AIS_AGENTS: 'none',
    });
    started.push(worker);
    const position = await waitFor(
      'a position of at least 10 % of NAV',
      async () => {
        await api(worker, '/v1/signals', {
          agent_id: 'drill',
          symbol: 'BTCUSDT',
          direction: 'LONG',
          confidence: 1,
          size_hint: 0.5,
        });
        const p = (await api(worker, '/v1/portfolio')) as Portfolio;
        const btc = p.positions.find((x) => x.symbol === 'BTCUSDT');
        return btc && btc.weight >= 0.1 && btc;
      },
      30_000,
    );
    // A crash that takes about 8 % of NAV: past the 5 % limit in one bar.
    const shock = await api(worker, '/v1/paper/shock', {
      symbol: 'BTCUSDT',
      fraction: -Math.min(0.9, 0.08 / position.weight),
      reason: 'drawdown flatten drill',
    });
    expect(shock).toMatchObject({ scheduled: true });
    await waitFor(
      'the drawdown action',
      async () => worker.logs.some((l) => l.message === 'Drawdown action closed positions'),
      20_000,
    ).catch((e) => {
      console.log(
        worker.logs
          .filter((l) => l.level !== 'INFO' && l.level !== 'DEBUG')
          .map((l) => JSON.stringify(l).slice(0, 400))
          .join('\n'),
      );
      throw e;
    });
    const after = (await api(worker, '/v1/portfolio')) as Portfolio;
    expect(after.positions.filter((p) => p.quantity !== 0)).toEqual([]);
    const health = (await (await fetch(`${worker.url}/health`)).json()) as {
      kill_switch: { active: boolean; reason: string };
    };
    expect(health.kill_switch.active).toBe(true);
    expect(health.kill_switch.reason).toMatch(/^drawdown .* reached the 5\.00% limit$/);
    // Flat: more bars pass and the NAV does not move.
    await Bun.sleep(1_000);
    const later = (await api(worker, '/v1/portfolio')) as Portfolio;
    expect(later.nav_usd).toBe(after.nav_usd);
    expect(later.drawdown).toBe(after.drawdown);
    // The crash came in one bar: the loss is the trip plus that bar, and no more.
    console.log(
      `paper drill: drawdown ${(after.drawdown * 100).toFixed(2)} % (limit 5.00 %; a one-bar crash worth about 8 % of NAV), flat afterwards`,
    );
  });
});
