// Malformed and hostile input at every endpoint (fast-check): wrong types, missing and extra
// fields, NaN-like strings, huge and deep bodies, bad JSON, bad content types, bad tokens. Every
// answer must be a 4xx with a JSON error, and nothing may change: events, decision trail, control
// state, portfolio, breakers, the signal queue.
import { beforeAll, describe, expect, test } from 'bun:test';
import fc from 'fast-check';
import { createApp, MAX_BODY_BYTES, MAX_WEBHOOK_BODY_BYTES } from '../../src/http/app.ts';
import { tradingPort } from '../../src/main/trading-port.ts';
import { buildTrading } from '../../src/main/build-trading.ts';
import { auth, createTestDeps, TEST_TOKEN } from '../helpers/test-deps.ts';

type Kind = 'number' | 'shock' | 'string' | 'enum' | 'object' | 'array';
interface Endpoint {
  path: string;
  valid: Record<string, unknown>;
  fields: Record<string, Kind>;
  /** Unknown keys are refused (zod strictObject). */
  strict: boolean;
}

const alert = {
  status: 'firing',
  labels: { alertname: 'HighDrawdown', severity: 'critical' },
  annotations: {},
  startsAt: '2026-11-25T00:00:00Z',
};
const ENDPOINTS: Endpoint[] = [
  {
    path: '/v1/orders/check',
    valid: {
      symbol: 'BTCUSDT',
      side: 'BUY',
      quantity: 0.01,
      price: 60_000,
      agent_id: 'a1',
      client_order_id: 'c1',
    },
    fields: {
      symbol: 'string',
      side: 'enum',
      quantity: 'number',
      price: 'number',
      agent_id: 'string',
      client_order_id: 'string',
    },
    strict: true,
  },
  {
    path: '/v1/control/kill-switch',
    valid: { action: 'trigger', reason: 'fuzz', operator: 'op' },
    fields: { action: 'enum', reason: 'string', operator: 'string' },
    strict: true,
  },
  {
    path: '/v1/control/trading-state',
    valid: { state: 'HALTED', reason: 'fuzz', operator: 'op' },
    fields: { state: 'enum', reason: 'string', operator: 'string' },
    strict: true,
  },
  {
    path: '/v1/signals',
    valid: {
      agent_id: 'ext',
      symbol: 'BTCUSDT',
      direction: 'LONG',
      confidence: 0.5,
      size_hint: 0.01,
      rationale: 'r',
    },
    fields: {
      agent_id: 'string',
      symbol: 'string',
      direction: 'enum',
      confidence: 'number',
      size_hint: 'number',
      rationale: 'string',
    },
    strict: true,
  },
  {
    path: '/v1/paper/shock',
    valid: { symbol: 'ETHUSDT', fraction: -0.1, reason: 'drill' },
    fields: { symbol: 'string', fraction: 'shock', reason: 'string' },
    strict: true,
  },
  {
    path: '/webhooks/alertmanager',
    valid: { version: '4', groupKey: 'g', status: 'firing', receiver: 'ais', alerts: [alert] },
    fields: {
      version: 'enum',
      groupKey: 'string',
      status: 'enum',
      receiver: 'string',
      alerts: 'array',
    },
    strict: false,
  },
];
/** Fields that may be left out of a valid body (leaving them out keeps it valid). */
const OPTIONAL = new Set(['agent_id', 'client_order_id', 'reason', 'operator', 'rationale']);

const wrongFor: Record<Kind, fc.Arbitrary<unknown>> = {
  number: fc.constantFrom(
    'NaN',
    'Infinity',
    '-Infinity',
    '1e999',
    '',
    '0x10',
    '0.01',
    null,
    true,
    [],
    {},
    -1,
    -1e-9,
  ),
  shock: fc.constantFrom('NaN', '-0.5', null, true, [], {}, -1, -2, 0, 10.5, 1e308),
  string: fc.constantFrom(0, 1e308, -1, null, true, false, [], {}, [['nested']]),
  enum: fc.oneof(
    fc
      .string()
      .filter(
        (s) =>
          ![
            'BUY',
            'SELL',
            'trigger',
            'reset',
            'ACTIVE',
            'REDUCING',
            'HALTED',
            'LONG',
            'SHORT',
            'FLAT',
            '4',
            'firing',
            'resolved',
          ].includes(s),
      ),
    fc.constantFrom(null, 4, true, {}, []),
  ),
  object: fc.constantFrom(null, 1, 'x', []),
  array: fc.constantFrom(
    null,
    1,
    'x',
    {},
    [],
    [null],
    [{}],
    [{ ...alert, status: 'maybe' }],
    [{ ...alert, labels: {} }],
  ),
};

/** A body that the endpoint must refuse: one mutation of a valid body, or no JSON object at all. */
const badBody = (e: Endpoint): fc.Arbitrary<string> =>
  fc.oneof(
    fc
      .constantFrom(...Object.keys(e.fields).filter((f) => !OPTIONAL.has(f)))
      .map((f) => JSON.stringify({ ...e.valid, [f]: undefined })),
    fc
      .constantFrom(...Object.keys(e.fields))
      .chain((f) => wrongFor[e.fields[f]!].map((v) => JSON.stringify({ ...e.valid, [f]: v }))),
    ...(e.strict
      ? [
          fc
            .string({ minLength: 1, maxLength: 20 })
            .filter((k) => !(k in e.fields) && k !== '__proto__')
            .map((k) => JSON.stringify({ ...e.valid, [k]: 1 })),
        ]
      : []),
    fc.string().filter((s) => {
      try {
        const v = JSON.parse(s);
        return typeof v !== 'object' || v === null || Array.isArray(v);
      } catch {
        return true;
      }
    }),
    fc.constantFrom(
      '[]',
      'null',
      '"x"',
      '{',
      '{"a":',
      `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
      `${'{"a":'.repeat(3_000)}1${'}'.repeat(3_000)}`,
    ),
  );

let t: Awaited<ReturnType<typeof createTestDeps>>;
let app: ReturnType<typeof createApp>;
let signalsQueued = 0;
let shocks = 0;

beforeAll(async () => {
  t = await createTestDeps();
  const trading = buildTrading({
    config: t.deps.config,
    risk: t.risk,
    store: t.store,
    metrics: t.metrics,
    logger: t.deps.logger,
    decisionLog: t.decisionLog,
    nowMs: Date.now,
  });
  const port = tradingPort(trading);
  t.deps.trading = {
    ...port,
    loopRunning: () => true,
    submitSignal: (s) => (signalsQueued++, port.submitSignal(s)),
  };
  t.deps.resilience.breaker('fuzz.breaker');
  t.deps.paper = { symbols: trading.symbols, shock: () => shocks++ };
  app = createApp(t.deps);
});

async function snapshot() {
  const events = await t.store.query({ limit: 10_000 });
  return JSON.stringify({
    events: events.length,
    decisions: t.decisions.length,
    control: t.risk.control.state(),
    portfolio: t.risk.portfolio.get(),
    breakers: t.deps.resilience
      .stats()
      .breakers.map((b) => [b.name, b.state, b.failures, b.successes]),
    signalsQueued,
    shocks,
  });
}

async function expectClientError(res: Response) {
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  const body = await res.json();
  expect(body.error.code).toEqual(expect.any(String));
  expect(body.error.message).toEqual(expect.any(String));
}

describe('hostile input', () => {
  for (const e of ENDPOINTS) {
    test(`POST ${e.path}: malformed bodies get a 4xx JSON error and change nothing`, async () => {
      const before = await snapshot();
      await fc.assert(
        fc.asyncProperty(badBody(e), async (body) => {
          const res = await app.request(e.path, {
            method: 'POST',
            headers: { ...auth(), 'content-type': 'application/json' },
            body,
          });
          await expectClientError(res);
        }),
        { numRuns: 150 },
      );
      expect(await snapshot()).toBe(before);
    });
  }

  test('every protected endpoint refuses missing, malformed and wrong tokens, whatever the body', async () => {
    const before = await snapshot();
    const paths = [
      ...ENDPOINTS.map((e) => ['POST', e.path]),
      ['GET', '/v1/events'],
      ['GET', '/v1/portfolio'],
      ['GET', '/v1/resilience'],
      ['POST', '/v1/resilience/breakers/fuzz.breaker/reset'],
      ['POST', '/v1/reconciliation/run'],
      ['GET', '/v1/reconciliation/latest'],
    ];
    const badAuth = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom(
        'Bearer',
        'Bearer ',
        `Basic ${btoa(`x:${TEST_TOKEN}`)}`,
        `bearer${TEST_TOKEN}`,
        `Bearer ${TEST_TOKEN}x`,
        `Bearer ${TEST_TOKEN.slice(1)}`,
        TEST_TOKEN,
      ),
      fc
        .string({ maxLength: 80 })
        .filter((s) => !/[\r\n\0]/.test(s) && /^[\x20-\x7e]*$/.test(s))
        .map((s) => `Bearer ${s}`),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        badAuth,
        async ([method, path], authorization) => {
          const e = ENDPOINTS.find((x) => x.path === path);
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (authorization !== undefined) headers.authorization = authorization;
          const res = await app.request(path!, {
            method,
            headers,
            body: method === 'POST' ? JSON.stringify(e?.valid ?? {}) : undefined,
          });
          expect([401, 403]).toContain(res.status);
          await expectClientError(res);
        },
      ),
      { numRuns: 200 },
    );
    expect(await snapshot()).toBe(before);
  });

  test('bad content types, oversized bodies and bad query strings get 4xx JSON errors', async () => {
    const before = await snapshot();
    for (const e of ENDPOINTS) {
      for (const type of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        '',
      ]) {
        const headers: Record<string, string> = { ...auth() };
        if (type) headers['content-type'] = type;
        await expectClientError(
          await app.request(e.path, { method: 'POST', headers, body: JSON.stringify(e.valid) }),
        );
      }
      // Past each route's limit: 1 MiB, 16 MiB for Alertmanager's webhook (MAX_WEBHOOK_BODY_BYTES).
      const over = e.path === '/webhooks/alertmanager' ? MAX_WEBHOOK_BODY_BYTES : MAX_BODY_BYTES;
      const huge = JSON.stringify({ ...e.valid, padding: 'x'.repeat(over + 1) });
      const res = await app.request(e.path, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' },
        body: huge,
      });
      expect(res.status).toBe(413);
      await expectClientError(res);
    }
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          'type=bogus',
          'limit=0',
          'limit=abc',
          'limit=1e9',
          'limit=-5',
          'since=notadate',
          'since=1e999',
          'after_id=-1',
          'after_id=x',
          'order=sideways',
          'extra=1',
          `stream=${'s'.repeat(500)}`,
        ),
        async (q) => expectClientError(await app.request(`/v1/events?${q}`, { headers: auth() })),
      ),
      { numRuns: 40 },
    );
    for (const name of ['bad name', '%00', 'x'.repeat(200), 'no-such-breaker']) {
      await expectClientError(
        await app.request(`/v1/resilience/breakers/${encodeURIComponent(name)}/reset`, {
          method: 'POST',
          headers: auth(),
        }),
      );
    }
    expect(await snapshot()).toBe(before);
  });
});
