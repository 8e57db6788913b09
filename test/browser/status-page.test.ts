// The status page in a real browser: Debian's chromium driven by playwright-core (headless, no
// sandbox, background networking off) loads GET / from a running worker, and the values it shows
// must equal /v1/portfolio and /health. The market is frozen (one bar an hour) so the numbers do
// not move between the API call and the page. Screenshot: test-results/status-page.png.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { requireBinary } from '../helpers/binaries.ts';
import { ROOT, startWorker, type WorkerProcess } from '../helpers/worker-process.ts';

const TOKEN = 'browser-test-token-0123456789';
const auth = { Authorization: `Bearer ${TOKEN}` };
let worker: WorkerProcess;
let browser: Browser;

beforeAll(async () => {
  const executablePath = requireBinary('chromium', 'chromium-browser');
  worker = await startWorker('bun', {
    AIS_API_TOKEN: TOKEN,
    AIS_MARKET_BAR_MS: '3600000',
    AIS_LOOP_INTERVAL_MS: '100',
  });
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
});
afterAll(async () => {
  await browser?.close();
  await worker?.stop();
});

const usd = (x: number) =>
  x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

describe('status page', () => {
  test('shows the same trading state, kill switch, NAV, drawdown, exposure and positions as the API', async () => {
    // Let the loop trade on the frozen market until it has nothing more to do.
    await Bun.sleep(1_500);
    const page = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
    const portfolio = await (await fetch(`${worker.url}/v1/portfolio`, { headers: auth })).json();
    const health = await (await fetch(`${worker.url}/health`)).json();
    const res = await page.goto(`${worker.url}/`);
    expect(res?.status()).toBe(200);
    const field = (name: string) => page.locator(`[data-field="${name}"]`).innerText();

    expect(await field('trading_state')).toBe(`Trading ${health.trading_state}`);
    expect(await field('kill_switch')).toBe('Kill switch off');
    expect(await field('nav_usd')).toBe(usd(portfolio.nav_usd));
    expect(await field('drawdown')).toBe(pct(portfolio.drawdown));
    expect(await field('gross_exposure')).toBe(portfolio.gross_exposure.toFixed(4));
    expect(await field('net_exposure')).toBe(portfolio.net_exposure.toFixed(4));
    expect(await field('leverage')).toBe(portfolio.leverage.toFixed(4));
    // Each figure beside its limit in force (the worker's configuration, as in ais_risk_limit).
    expect(await field('drawdown_limit')).toBe(`limit ${pct(portfolio.limits.max_drawdown)}`);
    expect(await field('leverage_limit')).toBe(`limit ${portfolio.limits.max_leverage.toFixed(4)}`);
    // The paper loop reads the margin every cycle.
    expect(await field('margin_ratio')).toBe(pct(portfolio.margin.margin_ratio));
    const shown = (await page.locator('[data-position]').allInnerTexts()).sort();
    expect(shown).toEqual(portfolio.positions.map((p: { symbol: string }) => p.symbol).sort());
    for (const [name, c] of Object.entries(
      health.components as Record<string, { status: string }>,
    )) {
      expect(await page.locator(`[data-component="${name}"]`).innerText()).toBe(c.status);
    }
    expect(await page.locator('svg[aria-label^="NAV"]').count()).toBe(1);
    mkdirSync(join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'test-results/status-page.png'), fullPage: true });
  });

  test('the kill switch is prominent once triggered, and the page escapes what it shows', async () => {
    const reason = '<script>alert(1)</script> drill';
    const r = await fetch(`${worker.url}/v1/control/kill-switch`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'trigger', reason }),
    });
    expect(r.status).toBe(200);
    const page = await browser.newPage();
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await page.goto(`${worker.url}/`);
    expect(await page.locator('[data-field="kill_switch"]').innerText()).toContain(
      `KILL SWITCH ACTIVE: ${reason}`,
    );
    expect(await page.title()).toContain('KILL SWITCH');
    expect(dialogs).toBe(0);
  });
});
