// The HTTP smoke suite every runtime's start-up file must pass (test/runtime/boot.test.ts runs it
// on Bun, Deno and Node): public pages, auth, a risk check, a signal, the loop cycling, JSON errors.
import { expect } from 'bun:test';

export async function httpSmoke(url: string, token: string): Promise<void> {
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const page = await fetch(`${url}/`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toContain('text/html');
  expect(await page.text()).toContain('data-field="state"');
  // The console's assets are read from disk at start-up on every runtime, uPlot from node_modules.
  for (const asset of ['app.js', 'uPlot.iife.min.js']) {
    const res = await fetch(`${url}/console/assets/${asset}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('javascript');
    expect((await res.text()).length).toBeGreaterThan(1_000);
  }

  const spec = await (await fetch(`${url}/openapi.json`)).json();
  expect(spec.paths['/v1/orders/check']).toBeDefined();

  expect((await fetch(`${url}/v1/portfolio`)).status).toBe(401);
  expect(
    (
      await fetch(`${url}/v1/portfolio`, {
        headers: { authorization: 'Bearer wrong-token-0123456789' },
      })
    ).status,
  ).toBe(403);
  const portfolio = await (await fetch(`${url}/v1/portfolio`, { headers: auth })).json();
  expect(portfolio.nav_usd).toBeGreaterThan(0);

  const check = await fetch(`${url}/v1/orders/check`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ symbol: 'BTCUSDT', side: 'BUY', quantity: 0.001, price: 60_000 }),
  });
  expect(check.status).toBe(200);
  expect(await check.json()).toMatchObject({ approved: true, token: expect.any(String) });
  const bad = await fetch(`${url}/v1/orders/check`, {
    method: 'POST',
    headers: auth,
    body: '{"symbol":',
  });
  expect(bad.status).toBe(400);
  expect((await bad.json()).error.code).toEqual(expect.any(String));

  const signal = await fetch(`${url}/v1/signals`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({
      agent_id: 'smoke',
      symbol: 'BTCUSDT',
      direction: 'FLAT',
      confidence: 0.5,
      size_hint: 0,
    }),
  });
  expect(signal.status).toBe(202);

  const missing = await fetch(`${url}/nope`);
  expect(missing.status).toBe(404);
  expect((await missing.json()).error.code).toBe('not_found');

  // The loop cycles on every runtime.
  for (let i = 0; i < 100; i++) {
    const health = await (await fetch(`${url}/health`)).json();
    if (
      health.components.loop.status === 'ok' &&
      /^\d+ cycles$/.test(health.components.loop.detail ?? '')
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the trading loop never completed a cycle');
}
