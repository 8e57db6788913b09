// The backtest's trades file and equity/drawdown page: what runBacktest records adds up to its
// summary, the CLI writes both files (CSV or JSON by extension) and refuses other names, and the
// page renders in Debian's chromium from the file alone (no request but itself), at 390 px too.
import { describe, expect, test } from 'bun:test';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { drawdowns, type EquityPoint } from '../../src/adapters/market/equity-chart.ts';
import { runBacktest } from '../../src/main/backtest.ts';
import type { ExchangeTrade } from '../../src/ports/exchange.ts';
import { requireBinary } from '../helpers/binaries.ts';
import { ROOT, tempDir } from '../helpers/worker-process.ts';

const dir = tempDir();
const cli = (args: string[]) =>
  spawnSync('./node_modules/.bin/bun', ['src/main/backtest.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    encoding: 'utf8',
    timeout: 60_000,
  });

describe('backtest record', () => {
  test('one NAV per bar plus the start, every trade; they agree with the summary', async () => {
    const record = { equity: [] as EquityPoint[], trades: [] as ExchangeTrade[] };
    const s = await runBacktest({ days: 1, seed: 3, runId: 'rec', record });
    expect(record.equity).toHaveLength(s.bars + 1);
    expect(record.equity.at(-1)!.navUsd).toBe(s.final_nav_usd);
    expect(record.equity[1]!.timeMs - record.equity[0]!.timeMs).toBe(60_000);
    expect(record.trades).toHaveLength(s.trades);
    expect(Math.max(...drawdowns(record.equity))).toBeCloseTo(s.max_drawdown, 12);
  });
});

describe('backtest CLI files', () => {
  test('--trades (CSV and JSON) and --chart write what the run traded', () => {
    const args = ['--days', '1', '--seed', '4', '--json', '--run-id', 'files'];
    const csv = join(dir, 'trades.csv');
    const chart = join(dir, 'chart.html');
    const a = cli([...args, '--trades', csv, '--chart', chart]);
    expect(a.status).toBe(0);
    const summary = JSON.parse(a.stdout);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(summary.trades + 1);
    expect(lines[0]).toBe(
      'time,time_ms,symbol,side,quantity,price,notional_usd,fee_usd,realized_pnl_usd,trade_id,order_id',
    );
    expect(lines.slice(1).every((l) => !/e[-+]\d/.test(l))).toBe(true);

    const json = join(dir, 'trades.json');
    const b = cli([...args, '--trades', json]);
    expect(b.status).toBe(0);
    const rows = JSON.parse(readFileSync(json, 'utf8')) as Record<string, unknown>[];
    expect(rows.map((r) => Object.values(r).join(','))).toEqual(lines.slice(1));
    expect(readFileSync(chart, 'utf8')).toContain('Backtest files: return');
  });

  test('refuses a trades file that is neither .csv nor .json, and a chart that is not .html, creating nothing', () => {
    for (const [option, name, message] of [
      ['--trades', 'trades.txt', '--trades must name a .csv or .json file'],
      ['--chart', 'chart.png', '--chart must name an .html file'],
      ['--trades', '--help', '--trades must name a .csv or .json file'],
    ] as const) {
      const r = cli(['--days', '1', option, join(dir, name)]);
      expect(r.status).toBe(2);
      expect(r.stderr).toStartWith(`backtest: ${message}`);
      expect(existsSync(join(dir, name))).toBe(false);
    }
  });

  test('the chart renders from the file alone, at 1440 and at 390 px without side-scrolling', async () => {
    const chart = join(dir, 'chart.html');
    if (!existsSync(chart))
      expect(cli(['--days', '1', '--seed', '4', '--chart', chart]).status).toBe(0);
    const browser = await chromium.launch({
      executablePath: requireBinary('chromium', 'chromium-browser'),
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage'],
    });
    try {
      for (const width of [1440, 390]) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        const asked: string[] = [];
        page.on('request', (r) => asked.push(r.url()));
        await page.goto(`file://${chart}`);
        expect(asked).toEqual([`file://${chart}`]);
        const shape = await page.evaluate(() => {
          const svg = document.querySelector('svg')!.getBoundingClientRect();
          const line = document.querySelector('polyline.equity') as SVGPolylineElement;
          return {
            svgWidth: svg.width,
            svgHeight: svg.height,
            points: line.points.numberOfItems,
            scrollWidth: document.documentElement.scrollWidth,
          };
        });
        expect(shape.points).toBeGreaterThan(100);
        expect(shape.svgHeight).toBeGreaterThan(width === 390 ? 150 : 400);
        expect(shape.scrollWidth).toBeLessThanOrEqual(width);
        expect(shape.svgWidth).toBeLessThanOrEqual(width);
        if (width === 1440) await page.screenshot({ path: join(dir, 'chart.png') });
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });
});
