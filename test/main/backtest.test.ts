// The backtest: deterministic per seed, a sane summary, the CLI's refusals, and a push that the
// real Pushgateway (Debian prometheus-pushgateway) serves back.
import { afterAll, describe, expect, test } from 'bun:test';
import { spawnSync } from 'node:child_process';
import { backtestSummaryRegistry } from '../../src/adapters/metrics/backtest-summary.ts';
import { pushSummary, runBacktest } from '../../src/main/backtest.ts';
import { type Program, startPushgateway } from '../monitoring/processes.ts';
import { ROOT, tempDir } from '../helpers/worker-process.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsvBars } from '../../src/adapters/market/csv-bars.ts';
import { createSyntheticMarket, DEFAULT_SYMBOLS } from '../../src/domain/market/synthetic.ts';

describe('backtest', () => {
  test('the same seed gives the same run; the summary adds up', async () => {
    const a = await runBacktest({ days: 2, seed: 5, runId: 'a', symbols: ['BTCUSDT', 'ETHUSDT'] });
    const b = await runBacktest({ days: 2, seed: 5, runId: 'b', symbols: ['BTCUSDT', 'ETHUSDT'] });
    const strip = ({ wall_seconds: _w, run_id: _r, ...rest }: typeof a) => rest;
    expect(strip(a)).toEqual(strip(b));
    expect(a.bars).toBe(2 * 24 * 60);
    expect(a.trades).toBeGreaterThan(0);
    expect(a.orders_checked).toBeGreaterThanOrEqual(a.trades);
    expect(a.max_drawdown).toBeGreaterThanOrEqual(0);
    expect(a.final_nav_usd).toBeCloseTo(100_000 * (1 + a.total_return), 6);
    const c = await runBacktest({ days: 2, seed: 6, runId: 'c', symbols: ['BTCUSDT', 'ETHUSDT'] });
    expect(c.final_nav_usd).not.toBe(a.final_nav_usd);
  });

  test('tight limits show up as rejections by guard', async () => {
    const s = await runBacktest({
      days: 1,
      seed: 2,
      runId: 'tight',
      env: { AIS_MAX_POSITION_WEIGHT: '0.001' },
    });
    expect(s.rejections_by_guard.position_weight).toBeGreaterThan(0);
    expect(await backtestSummaryRegistry(s).metrics()).toContain(
      `ais_backtest_rejections{guard="position_weight"} ${s.rejections_by_guard.position_weight}`,
    );
  });

  test('replays recorded bars from a CSV file through the same loop', async () => {
    const market = createSyntheticMarket({
      seed: 9,
      symbols: DEFAULT_SYMBOLS.slice(0, 2),
      startMs: Date.UTC(2026, 0, 1),
    });
    const lines = ['time,symbol,open,high,low,close,volume'];
    for (let i = 0; i < 2 * 24 * 60; i++)
      for (const [symbol, c] of market.step())
        lines.push([c.openTimeMs, symbol, c.open, c.high, c.low, c.close, c.volume].join(','));
    const file = join(tempDir(), 'bars.csv');
    writeFileSync(file, lines.join('\n'));
    const s = await runBacktest({
      days: 1,
      seed: 0,
      runId: 'csv',
      bars: parseCsvBars(readFileSync(file, 'utf8')),
    });
    expect(s.bars).toBe(2 * 24 * 60);
    expect([...s.symbols].sort()).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(s.days).toBeCloseTo(2, 6);
    expect(s.trades).toBeGreaterThan(0);
    const cli = spawnSync(process.execPath, ['src/main/backtest.ts', '--csv', file, '--json'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(cli.status).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({
      bars: s.bars,
      trades: s.trades,
      final_nav_usd: s.final_nav_usd,
    });
    writeFileSync(file, 'time,symbol,open,high,low,close\n0,BTCUSDT,1,2,1,oops');
    const bad = spawnSync(process.execPath, ['src/main/backtest.ts', '--csv', file], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('line 2: close must be a positive number');
  });

  test('the CLI refuses bad arguments with one line and exit code 2', () => {
    for (const args of [['--days', 'x'], ['--seed', '-1'], ['--symbols', 'btc'], ['--nope']]) {
      const r = spawnSync(process.execPath, ['src/main/backtest.ts', ...args], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^backtest: /);
    }
  });

  describe('push to the Pushgateway', () => {
    let gateway: Program | undefined;
    afterAll(() => gateway?.stop());

    test('the summary is queryable from the real Pushgateway, grouped by run id', async () => {
      gateway = await startPushgateway();
      const url = gateway.url;
      const s = await runBacktest({ days: 0.5, seed: 1, runId: 'push-test', symbols: ['BTCUSDT'] });
      await pushSummary(url, s);
      const text = await (await fetch(`${url}/metrics`)).text();
      expect(text).toMatch(/ais_backtest_trades\{[^}]*job="ais_backtest"[^}]*\} \d+/);
      expect(text).toMatch(/ais_backtest_trades\{[^}]*run_id="push-test"[^}]*\}/);
      await expect(pushSummary(`${url}/nope`, s)).rejects.toThrow(/Pushgateway answered/);
    });
  });
});
