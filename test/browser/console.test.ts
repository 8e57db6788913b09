// The operator console in a real browser: Debian's chromium driven by playwright-core (headless,
// no sandbox, background networking off), a worker process trading "Aster" through the fake Aster
// server (flat market: trades come from external signals only). At 1440 × 900 and at 390 × 844:
// read-only without a session (and a cross-site page cannot act), log in, a fill and its
// protective stop appear live without a reload, a kill switch triggered with a reason shows as
// KILLED with its timeline rows and the cancelled order, reset, REDUCING, a flatten of one
// symbol, no side-scrolling.
// Screenshots: test-results/console-<width>.png (copied to docs/ by hand).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createAsterExchange } from '../../src/adapters/exchange/aster/aster-exchange.ts';
import { type FakeAster, startFakeAster } from '../fake-aster/server.ts';
import { requireBinary } from '../helpers/binaries.ts';
import { seedFlatMarket, stoppedAfterAll, tradeBySignal, workerApi } from '../helpers/drill.ts';
import { asterEnv, ROOT, startWorker, type WorkerProcess } from '../helpers/worker-process.ts';

const TOKEN = 'console-browser-token-0123456789';
const api = workerApi(TOKEN);
let fake: FakeAster | undefined;
const workers = stoppedAfterAll(() => fake);
let worker: WorkerProcess;
let browser: Browser;

beforeAll(async () => {
  const executablePath = requireBinary('chromium', 'chromium-browser');
  fake = await startFakeAster({ balanceUsd: 100_000, symbols: ['BTCUSDT', 'ETHUSDT'] });
  seedFlatMarket(fake, 'BTCUSDT', 60_000);
  seedFlatMarket(fake, 'ETHUSDT', 3_000);
  worker = await startWorker(
    'bun',
    asterEnv(fake, {
      AIS_API_TOKEN: TOKEN,
      AIS_SYMBOLS: 'BTCUSDT,ETHUSDT',
      AIS_LOOP_INTERVAL_MS: '200',
      AIS_MAX_POSITION_WEIGHT: '0.5',
      AIS_MAX_NET_EXPOSURE: '1',
      AIS_MAX_ORDER_NOTIONAL_USD: '50000',
      AIS_STOP_LOSS: '0.03',
    }),
  );
  workers.push(worker);
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

const waitForWord = (page: Page, w: string) =>
  page.waitForFunction(
    (w) => document.querySelector('[data-field="state"]')?.textContent === w,
    w,
    { timeout: 10_000 },
  );

/** Opens a control's dialog, gives the reason, confirms. */
async function act(page: Page, action: string, reason: string, before?: () => Promise<void>) {
  await before?.();
  await page.click(`[data-action="${action}"]`);
  await page.fill('#confirm-reason', reason);
  await page.click('#confirm-go');
  await page.waitForFunction(() => !document.querySelector<HTMLDialogElement>('#confirm')!.open);
}

/** Without a session: no control on the page, the API refuses the page's own request; then log in. */
async function readOnlyThenLogin(page: Page) {
  expect(await page.locator('[data-action]').count()).toBe(0);
  expect(await page.locator('[data-field="state"]').textContent()).toBe('ACTIVE');
  const refused = await page.evaluate(async () => {
    const r = await fetch('/v1/control/kill-switch', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'trigger', reason: 'no session' }),
    });
    return r.status;
  });
  expect(refused).toBe(401);
  await page.fill('#login-token', TOKEN);
  await page.click('#login button');
  await page.waitForSelector('[data-action="kill-trigger"]');
}

/** A page on another site, in the operator's logged-in browser, tries to halt trading. */
async function crossSiteAttempt(page: Page) {
  const other = await page.context().newPage();
  await other.goto(`${worker.url.replace('127.0.0.1', 'localhost')}/api`);
  await other.evaluate(async (target) => {
    await fetch(`${target}/v1/control/trading-state`, {
      method: 'POST',
      mode: 'no-cors',
      credentials: 'include',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ state: 'HALTED', reason: 'csrf' }),
    }).catch(() => undefined);
  }, worker.url);
  await other.close();
  expect((await api(worker, '/health')).trading_state).toBe('ACTIVE');
}

/** Someone leaves a LIMIT order resting on the account; it shows among the open orders. */
async function restingLimit(page: Page, id: string) {
  await createAsterExchange({
    baseUrl: fake!.url,
    apiKey: fake!.apiKey,
    apiSecret: fake!.apiSecret,
    nowMs: Date.now,
  }).placeOrder({
    clientOrderId: id,
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'LIMIT',
    quantity: 0.1,
    price: 55_000,
  });
  await page.waitForSelector(`#orders tr[data-order="${id}"]`, { timeout: 10_000 });
}

/** The kill switch from the console: KILLED with its reason, the LIMIT cancelled, the stop kept. */
async function killSwitch(page: Page, limitId: string, reason: string) {
  await act(page, 'kill-trigger', reason);
  await waitForWord(page, 'KILLED');
  expect(await page.locator('[data-field="state-detail"]').innerText()).toContain(reason);
  await page.waitForSelector(`#orders tr[data-order="${limitId}"]`, {
    state: 'detached',
    timeout: 10_000,
  });
  expect(await page.locator('#orders tr[data-protective="true"]').count()).toBeGreaterThan(0);
  await page.waitForFunction(
    (id) => document.querySelector('#timeline')!.textContent!.includes(`BTCUSDT LIMIT`) && !!id,
    limitId,
    { timeout: 10_000 },
  );
  const rows = await page.locator('#timeline li').allInnerTexts();
  expect(rows.some((r) => r.includes('Kill switch triggered') && r.includes(reason))).toBe(true);
  expect(rows.some((r) => r.includes('cancelled 1 (BTCUSDT LIMIT)'))).toBe(true);
  expect(await page.locator('#timeline b').count()).toBe(0); // the reason is text, not HTML
}

for (const [width, height, symbol, direction] of [
  [1440, 900, 'BTCUSDT', 'LONG'],
  [390, 844, 'ETHUSDT', 'SHORT'],
] as const) {
  describe(`the console at ${width} × ${height}`, () => {
    test('read-only without a session, then operated live with one', async () => {
      const active = await api(worker, '/v1/control/trading-state', {
        state: 'ACTIVE',
        reason: 'browser test',
      });
      expect(active).toMatchObject({ trading_state: 'ACTIVE' });
      const context = await browser.newContext({ viewport: { width, height } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${worker.url}/`);
      await readOnlyThenLogin(page);
      const cookies = await context.cookies();
      expect(cookies).toEqual([
        expect.objectContaining({ name: 'ais_session', httpOnly: true, sameSite: 'Strict' }),
      ]);
      expect(cookies[0]!.value).not.toContain(TOKEN);
      expect(await page.evaluate(() => document.cookie)).toBe('');
      await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
      await crossSiteAttempt(page);

      // A fill and its protective stop appear without a reload.
      await tradeBySignal(api, fake!, worker, symbol, direction);
      // (each width trades its own symbol, so these rows are new on this page)
      const trade = page.locator('#trades tr[data-trade]', { hasText: symbol });
      const stop = page.locator('#orders tr[data-protective="true"]', { hasText: symbol });
      await trade.first().waitFor({ timeout: 10_000 });
      await stop.first().waitFor({ timeout: 10_000 });
      await page.waitForSelector(`#positions tr[data-position="${symbol}"]`);
      const stopRow = await stop.first().innerText();
      expect(stopRow).toContain('STOP_MARKET');
      expect(stopRow).toContain('whole position');

      const limitId = `web-limit-${width}`;
      await restingLimit(page, limitId);
      await killSwitch(page, limitId, `drill at ${width} px <b>not bold</b>`);

      // Reset (trading then stays HALTED), then REDUCING.
      await act(page, 'kill-reset', 'drill over');
      await waitForWord(page, 'HALTED');
      await act(page, 'trading-state', 'only reduce for now', async () => {
        await page.selectOption('#trading-state', 'REDUCING');
      });
      await waitForWord(page, 'REDUCING');
      expect((await api(worker, '/health')).trading_state).toBe('REDUCING');

      // The screenshot: the state after the drill, positions and the protective stop still there.
      await page.waitForFunction(() => document.querySelector('#plot canvas'));
      expect(errors).toEqual([]);
      mkdirSync(join(ROOT, 'test-results'), { recursive: true });
      await page.screenshot({
        path: join(ROOT, `test-results/console-${width}.png`),
        fullPage: true,
      });

      // Flatten this width's symbol from the console: its position leaves the page live.
      await act(page, 'flatten', `close ${symbol}`, async () => {
        await page.selectOption('#flatten-symbol', symbol);
      });
      await page.waitForSelector(`#positions tr[data-position="${symbol}"]`, {
        state: 'detached',
        timeout: 10_000,
      });
      expect(await page.locator('#result').innerText()).toContain('1 position(s) closed');
      const actions = await api(worker, '/v1/events?type=control_action&order=desc&limit=4');
      expect(
        actions.events.map((e: { payload: { endpoint: string; by: string } }) => [
          e.payload.endpoint,
          e.payload.by,
        ]),
      ).toEqual([
        ['flatten', 'console'],
        ['trading-state', 'console'],
        ['kill-switch', 'console'],
        ['kill-switch', 'console'],
      ]);

      // Everything above happened on the one page load; nothing scrolls sideways.
      expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(1);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBe(0);
      expect(errors).toEqual([]);

      // Logged out, the controls are gone.
      await page.click('#logout');
      await page.waitForSelector('#login');
      expect(await page.locator('[data-action]').count()).toBe(0);
      await context.close();
    }, 90_000);
  });
}
