// The resilience registry on real parts: breakers that open on outages and reject fast, every
// transition logged, stored and counted; limiters whose buckets live in the WASM core.
import { describe, expect, it } from 'bun:test';
import { EventType } from '../../../src/ports/event-store.ts';
import { ExchangeError } from '../../../src/ports/exchange.ts';
import { CircuitOpenError } from '../../../src/ports/resilience.ts';
import { createTestResilience, fakeClock } from './helpers.ts';

const outage = () => Promise.reject(new ExchangeError('unavailable', 'HTTP 502'));
const breakerOpts = { failureThreshold: 3, windowMs: 10_000, openMs: 5_000 };

describe('resilience registry: breakers', () => {
  it('passes results and errors through while closed, counting them', async () => {
    const { resilience, sample } = await createTestResilience();
    expect(await resilience.guard('svc', async () => 42)).toBe(42);
    await expect(resilience.guard('svc', outage)).rejects.toThrow('HTTP 502');
    const [b] = resilience.stats().breakers;
    expect(b).toMatchObject({
      name: 'svc',
      state: 'closed',
      successes: 1,
      failures: 1,
      rejections: 0,
      windowCalls: 2,
      windowFailures: 1,
    });
    expect(await sample('ais_circuit_breaker_successes_total', 'breaker="svc"')).toBe(1);
    expect(await sample('ais_circuit_breaker_failures_total', 'breaker="svc"')).toBe(1);
    expect(await sample('ais_circuit_breaker_state', 'breaker="svc"')).toBe(0);
  });

  it('opens at the threshold, then rejects fast with a typed error without calling', async () => {
    const { resilience, store, logs, sample } = await createTestResilience();
    const b = resilience.breaker('aster.market', breakerOpts);
    for (let i = 0; i < 3; i++) await expect(b.run(outage)).rejects.toThrow(ExchangeError);
    let called = false;
    const err = await b.run(async () => (called = true)).catch((e: unknown) => e);
    expect(called).toBe(false);
    expect(err).toBeInstanceOf(CircuitOpenError);
    expect(err).toMatchObject({
      code: 'circuit_open',
      service: 'aster.market',
      retryAfterMs: 5_000,
    });

    await resilience.settled();
    const events = await store.query({ type: EventType.breakerTransition });
    expect(events.map((e) => [e.stream, e.payload])).toEqual([
      [
        'aster.market',
        {
          name: 'aster.market',
          from: 'closed',
          to: 'open',
          reason: '3 failures within 10000 ms (threshold 3)',
        },
      ],
    ]);
    const line = logs.find((l) => l['message'] === 'Circuit breaker opened');
    expect(line).toMatchObject({
      level: 'WARNING',
      logger: 'ais.resilience.breaker',
      extra_json: { breaker: 'aster.market', from: 'closed', to: 'open' },
    });
    expect(
      await sample(
        'ais_circuit_breaker_transitions_total',
        'breaker="aster.market",from_state="closed",to_state="open"',
      ),
    ).toBe(1);
    expect(await sample('ais_circuit_breaker_state', 'breaker="aster.market"')).toBe(2);
    expect(await sample('ais_circuit_breaker_rejections_total', 'breaker="aster.market"')).toBe(1);
  });

  it('does not count the caller’s own mistakes (a rejected 4xx, a 429) against the breaker', async () => {
    const { resilience } = await createTestResilience();
    const b = resilience.breaker('svc', breakerOpts);
    for (let i = 0; i < 5; i++)
      await expect(
        b.run(() => Promise.reject(new ExchangeError('rejected', 'bad symbol', { status: 400 }))),
      ).rejects.toThrow();
    for (let i = 0; i < 5; i++)
      await expect(
        b.run(() => Promise.reject(new ExchangeError('rate_limited', '429', { retryAfterMs: 1 }))),
      ).rejects.toThrow();
    for (let i = 0; i < 5; i++)
      await expect(b.run(() => Promise.reject(new RangeError('our bug')))).rejects.toThrow();
    expect(b.stats()).toMatchObject({ state: 'closed', failures: 0, successes: 0 });
  });

  it('counts timeouts, network errors and 5xx statuses as failures', async () => {
    const { resilience } = await createTestResilience();
    const b = resilience.breaker('svc', { ...breakerOpts, failureThreshold: 10 });
    const failures = [
      new ExchangeError('timeout', 'no answer'),
      new DOMException('timed out', 'TimeoutError'),
      new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
      }),
      Object.assign(new Error('webhook answered 503'), { status: 503 }),
      Object.assign(new Error('refused'), { code: 'ECONNRESET' }),
    ];
    for (const f of failures) await expect(b.run(() => Promise.reject(f))).rejects.toBe(f);
    expect(b.stats().failures).toBe(failures.length);
  });

  it('probes after the cool-down and closes on success, storing each transition in order', async () => {
    const { resilience, clock, store, sample } = await createTestResilience();
    const b = resilience.breaker('svc', breakerOpts);
    for (let i = 0; i < 3; i++) await expect(b.run(outage)).rejects.toThrow();
    clock.advance(4_999);
    await expect(b.run(async () => 1)).rejects.toBeInstanceOf(CircuitOpenError);
    clock.advance(1);
    // One probe at a time: a second call while the probe is in flight is refused.
    let release!: () => void;
    const probe = b.run(() => new Promise<string>((r) => (release = () => r('ok'))));
    await expect(b.run(async () => 2)).rejects.toMatchObject({
      code: 'circuit_open',
      retryAfterMs: 0,
    });
    expect(b.stats()).toMatchObject({ state: 'half_open', probesInFlight: 1 });
    release();
    expect(await probe).toBe('ok');
    expect(b.stats().state).toBe('closed');
    await resilience.settled();
    const events = await store.query({ type: EventType.breakerTransition, stream: 'svc' });
    expect(events.map((e) => (e.payload as { to: string }).to)).toEqual([
      'open',
      'half_open',
      'closed',
    ]);
    expect(
      await sample(
        'ais_circuit_breaker_transitions_total',
        'breaker="svc",from_state="half_open",to_state="closed"',
      ),
    ).toBe(1);
  });

  it('counts a closed success in the window at the start of the newest call', async () => {
    const { resilience, clock } = await createTestResilience();
    const b = resilience.breaker('svc', { ...breakerOpts, windowSlots: 10 }); // 1 s slots
    let finish = () => {};
    const slow = b.run(() => new Promise<void>((resolve) => (finish = resolve)));
    clock.advance(9_500); // the call lasts 9.5 s
    finish();
    await slow;
    expect(b.stats()).toMatchObject({ successes: 1, windowCalls: 1 });
    // Counted at its start, it leaves the window 10 s after that, not 10 s after its end.
    clock.advance(600);
    expect(b.stats()).toMatchObject({ successes: 1, windowCalls: 0 });
  });

  it('does not count a success in the state after a transition when its call began before it', async () => {
    const { resilience, clock } = await createTestResilience();
    const b = resilience.breaker('svc', { ...breakerOpts, failureThreshold: 1 });
    let finish = () => {};
    const early = b.run(() => new Promise<void>((resolve) => (finish = resolve)));
    await expect(b.run(outage)).rejects.toThrow('HTTP 502'); // opens
    clock.advance(5_000);
    let probe = () => {};
    const probing = b.run(() => new Promise<void>((resolve) => (probe = resolve))); // half_open, one probe in flight
    finish();
    await early;
    expect(b.stats()).toMatchObject({ state: 'half_open', successes: 1, probesInFlight: 1 });
    probe();
    await probing;
    expect(b.stats()).toMatchObject({ state: 'closed', successes: 2, windowCalls: 0 });
  });

  it('resets a breaker by hand, and knows no unknown names', async () => {
    const { resilience, store } = await createTestResilience();
    const b = resilience.breaker('svc', breakerOpts);
    for (let i = 0; i < 3; i++) await expect(b.run(outage)).rejects.toThrow();
    expect(await resilience.resetBreaker('nope')).toBeUndefined();
    const after = await resilience.resetBreaker('svc', 'operator');
    expect(after).toMatchObject({ name: 'svc', state: 'closed', windowCalls: 0 });
    const latest = await store.latest(EventType.breakerTransition, 'svc');
    expect(latest?.payload).toEqual({
      name: 'svc',
      from: 'open',
      to: 'closed',
      reason: 'reset by operator',
    });
    expect(await b.run(async () => 'through')).toBe('through');
  });

  it('refuses names that cannot be a metric label or a URL segment', async () => {
    const { resilience } = await createTestResilience();
    expect(() => resilience.breaker('has space')).toThrow('breaker name');
    expect(() => resilience.breaker('x'.repeat(129))).toThrow('breaker name');
    expect(() => resilience.limiter('a/b', { capacity: 1, refillPerSec: 1 })).toThrow(
      'limiter name',
    );
    await expect(resilience.guard('bad name', async () => 1)).rejects.toThrow('breaker name');
  });

  it('creates guard breakers with the registry defaults', async () => {
    const { resilience } = await createTestResilience({
      defaultBreaker: { failureThreshold: 1, openMs: 1_000 },
    });
    await expect(resilience.guard('webhook', outage)).rejects.toThrow();
    await expect(resilience.guard('webhook', async () => 1)).rejects.toBeInstanceOf(
      CircuitOpenError,
    );
    expect(resilience.stats().breakers[0]?.options).toMatchObject({
      failureThreshold: 1,
      openMs: 1_000,
    });
  });
});

describe('resilience registry: limiters', () => {
  it('hands out bucket indexes from 0 upward and never the risk engine’s last one', async () => {
    const { resilience, core } = await createTestResilience();
    expect(resilience.limiter('a', { capacity: 1, refillPerSec: 1 }).bucketIndex).toBe(0);
    expect(resilience.limiter('b', { capacity: 1, refillPerSec: 1 }).bucketIndex).toBe(1);
    expect(resilience.limiter('a', { capacity: 1, refillPerSec: 1 }).bucketIndex).toBe(0);
    expect(() =>
      resilience.limiter('c', { capacity: 1, refillPerSec: 1, bucketIndex: core.maxBuckets - 1 }),
    ).toThrow('risk engine');
    expect(() => resilience.limiter('c', { capacity: 1, refillPerSec: 1, bucketIndex: 1 })).toThrow(
      'already taken',
    );
    expect(() => resilience.limiter('a', { capacity: 2, refillPerSec: 1 })).toThrow('exists');
    expect(() => resilience.limiter('missing')).toThrow('no limiter');
  });

  it('keeps the bucket in the WASM core and reports it in stats()', async () => {
    const { resilience, core, clock, sample } = await createTestResilience();
    const l = resilience.limiter('ip', { capacity: 10, refillPerSec: 2 });
    expect(l.tryAcquire(4)).toBe(true);
    expect(core.bucketTokens(l.bucketIndex, clock.now)).toBe(6);
    expect(l.tryAcquire(7)).toBe(false);
    expect(await sample('ais_rate_limiter_throttled_total', 'limiter="ip"')).toBe(1);
    expect(await sample('ais_rate_limiter_tokens', 'limiter="ip"')).toBe(6);
    clock.advance(500);
    expect(resilience.stats().limiters).toEqual([
      {
        name: 'ip',
        tokens: 7,
        capacity: 10,
        refillPerSec: 2,
        allowed: 1,
        throttled: 1,
        pausedUntilMs: 0,
        bucketIndex: 0,
      },
    ]);
    expect(await sample('ais_rate_limiter_tokens', 'limiter="ip"')).toBe(7); // stats() refreshed the gauge
  });

  it('waits for the refill when the wait fits, else fails throttled without waiting', async () => {
    const { resilience, clock } = await createTestResilience();
    const l = resilience.limiter('orders', { capacity: 2, refillPerSec: 1, maxWaitMs: 1_500 });
    await l.acquire(2);
    await l.acquire(1);
    expect(clock.sleeps).toEqual([1_000]);
    const err = await l.acquire(2).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'throttled', details: { retryAfterMs: 2_000 } });
    expect(clock.sleeps).toEqual([1_000]);
    await expect(l.acquire(3, 1e9)).rejects.toMatchObject({ kind: 'throttled' }); // over capacity: never
  });

  it('refuses everything while paused, and logs the pause', async () => {
    const { resilience, clock, logs } = await createTestResilience();
    const l = resilience.limiter('ip', { capacity: 100, refillPerSec: 10, maxWaitMs: 0 });
    l.pause(clock.now + 30_000, 'HTTP 429');
    expect(l.tryAcquire(1)).toBe(false);
    await expect(l.acquire(1)).rejects.toMatchObject({
      kind: 'throttled',
      details: { retryAfterMs: 30_000 },
    });
    expect(l.stats().pausedUntilMs).toBe(clock.now + 30_000);
    clock.advance(30_000);
    expect(l.tryAcquire(1)).toBe(true);
    expect(l.stats().pausedUntilMs).toBe(0);
    expect(logs.find((x) => x['message'] === 'Rate limiter paused')).toMatchObject({
      level: 'WARNING',
      logger: 'ais.resilience.limiter',
      extra_json: { limiter: 'ip', pause_ms: 30_000 },
    });
  });

  it('sets the tokens gauge on grants at most once a second', async () => {
    const { resilience, clock, sample } = await createTestResilience();
    const l = resilience.limiter('ip', { capacity: 100, refillPerSec: 0 });
    l.tryAcquire(10);
    expect(await sample('ais_rate_limiter_tokens', 'limiter="ip"')).toBe(100);
    clock.advance(1_000);
    l.tryAcquire(10);
    expect(await sample('ais_rate_limiter_tokens', 'limiter="ip"')).toBe(80);
  });

  it('takes the exchange’s own count of used tokens', async () => {
    const { resilience } = await createTestResilience();
    const l = resilience.limiter('ip', { capacity: 100, refillPerSec: 0 });
    l.setTokens(40);
    expect(l.tokens()).toBe(40);
    l.setTokens(-5);
    expect(l.tokens()).toBe(0);
    l.setTokens(1e9);
    expect(l.tokens()).toBe(100);
  });

  it('reads the clock once for the breaker and the bucket of a guarded call while closed', async () => {
    const { resilience, clock } = await createTestResilience();
    resilience.limiter('svc', { capacity: 10, refillPerSec: 1 });
    await resilience.guard('svc', async () => 1); // creates the breaker
    const before = clock.reads;
    for (let i = 0; i < 5; i++) await resilience.guard('svc', async () => 1);
    expect(clock.reads - before).toBe(5);
    expect(resilience.stats().limiters[0]).toMatchObject({ allowed: 6 });
  });

  it('guard spends one token of the limiter named like the service', async () => {
    const { resilience } = await createTestResilience();
    const l = resilience.limiter('webhook', { capacity: 1, refillPerSec: 0, maxWaitMs: 0 });
    expect(await resilience.guard('webhook', async () => 'sent')).toBe('sent');
    let called = false;
    await expect(resilience.guard('webhook', async () => (called = true))).rejects.toMatchObject({
      kind: 'throttled',
    });
    expect(called).toBe(false);
    expect(l.stats()).toMatchObject({ allowed: 1, throttled: 1 });
    // A throttled call is not a failure of the service.
    expect(resilience.breaker('webhook').stats()).toMatchObject({ state: 'closed', failures: 0 });
  });

  it('guard spends tokens of a limiter made after the service’s breaker', async () => {
    const { resilience } = await createTestResilience();
    expect(await resilience.guard('webhook', async () => 'sent')).toBe('sent'); // no limiter yet
    const l = resilience.limiter('webhook', { capacity: 1, refillPerSec: 0, maxWaitMs: 0 });
    expect(await resilience.guard('webhook', async () => 'sent')).toBe('sent');
    await expect(resilience.guard('webhook', async () => 'sent')).rejects.toMatchObject({
      kind: 'throttled',
    });
    expect(l.stats()).toMatchObject({ allowed: 1, throttled: 1 });
  });
});

describe('resilience registry: restore after a restart', () => {
  it('reopens a breaker whose stored opening is within its cool-down, and only that one', async () => {
    const first = await createTestResilience();
    const b = first.resilience.breaker('aster.market', breakerOpts);
    for (let i = 0; i < 3; i++) await expect(b.run(outage)).rejects.toThrow(ExchangeError);
    await first.resilience.settled();
    const stored = await first.store.query({
      type: EventType.breakerTransition,
      newestFirst: true,
    });

    // The same process restarted 2 s later (cool-down 5 s): open again, calls refused without running.
    const clock = fakeClock(first.clock.now + 2_000);
    const second = await createTestResilience({ clock });
    const again = second.resilience.breaker('aster.market', breakerOpts);
    second.resilience.breaker('aster.account', breakerOpts);
    expect(second.resilience.restore(stored)).toEqual(['aster.market']);
    expect(again.stats()).toMatchObject({ state: 'open', retryAfterMs: 3_000 });
    expect(await second.sample('ais_circuit_breaker_state', 'breaker="aster.market"')).toBe(2);
    await expect(again.run(async () => 1)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(second.resilience.breaker('aster.account').stats().state).toBe('closed');
    clock.advance(3_000);
    expect(await again.run(async () => 'probe')).toBe('probe');

    // Restarted after the cool-down, or after a stored close: closed.
    const late = await createTestResilience({ clock: fakeClock(first.clock.now + 10_000) });
    late.resilience.breaker('aster.market', breakerOpts);
    expect(late.resilience.restore(stored)).toEqual([]);
    const closedLater = [
      {
        stream: 'aster.market',
        timeMs: first.clock.now + 1_000,
        type: 'breaker_transition' as const,
        id: 0,
        schemaVersion: 1,
        payload: {
          name: 'aster.market',
          from: 'open' as const,
          to: 'closed' as const,
          reason: 'test',
        },
      },
      ...stored,
    ];
    const third = await createTestResilience({ clock: fakeClock(first.clock.now + 2_000) });
    third.resilience.breaker('aster.market', breakerOpts);
    expect(third.resilience.restore(closedLater)).toEqual([]);
  });
});
