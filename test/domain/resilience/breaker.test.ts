// The circuit breaker state machine: examples of each edge, then properties over random call
// sequences (concurrent calls, outcomes in any order, time moving forward).
import { describe, expect, it } from 'bun:test';
import fc from 'fast-check';
import {
  BREAKER_EDGES,
  type BreakerOptions,
  type BreakerState,
  type BreakerTransition,
  breakerOptions,
  canPass,
  countClosedSuccess,
  createBreaker,
  onFailure,
  onNeutral,
  onSuccess,
  resetBreaker,
  windowCounts,
  windowSlot,
} from '../../../src/domain/resilience/breaker.ts';

/** Runs n failures at nowMs, each through canPass first; returns the state and the transitions. */
function failN(s: BreakerState, n: number, nowMs: number) {
  const transitions: BreakerTransition[] = [];
  for (let i = 0; i < n; i++) {
    const d = canPass(s, nowMs);
    if (d.transition) transitions.push(d.transition);
    if (!d.allowed) return { s: d.state, transitions };
    const r = onFailure(d.state, nowMs, d.generation);
    if (r.transition) transitions.push(r.transition);
    s = r.state;
  }
  return { s, transitions };
}

describe('breaker: examples', () => {
  const opts: Partial<BreakerOptions> = { failureThreshold: 3, windowMs: 10_000, openMs: 5_000 };

  it('stays closed below the failure threshold and opens when it is reached', () => {
    let { s, transitions } = failN(createBreaker(opts), 2, 1_000);
    expect(s.state).toBe('closed');
    expect(transitions).toEqual([]);
    ({ s, transitions } = failN(s, 1, 1_500));
    expect(s.state).toBe('open');
    expect(s.openedAtMs).toBe(1_500);
    expect(transitions).toEqual([
      {
        from: 'closed',
        to: 'open',
        reason: '3 failures within 10000 ms (threshold 3)',
        atMs: 1_500,
      },
    ]);
  });

  it('forgets failures that slid out of the window', () => {
    let { s } = failN(createBreaker(opts), 2, 0);
    ({ s } = failN(s, 2, 10_500));
    expect(s.state).toBe('closed');
    expect(windowCounts(s, 10_500)).toEqual({ calls: 2, failures: 2 });
  });

  it('refuses every call while open, with the time left of the cool-down', () => {
    const { s } = failN(createBreaker(opts), 3, 1_000);
    const d = canPass(s, 5_999);
    expect(d.allowed).toBe(false);
    expect(d.retryAfterMs).toBe(1);
    expect(d.state.totals.rejections).toBe(1);
  });

  it('moves to half_open after the cool-down and lets one probe through at a time', () => {
    const { s } = failN(createBreaker(opts), 3, 1_000);
    const probe = canPass(s, 6_000);
    expect(probe.allowed).toBe(true);
    expect(probe.transition).toEqual({
      from: 'open',
      to: 'half_open',
      reason: 'cool-down of 5000 ms elapsed',
      atMs: 6_000,
    });
    const second = canPass(probe.state, 6_001);
    expect(second.allowed).toBe(false);
    expect(second.retryAfterMs).toBe(0);
  });

  it('closes after a successful probe, with an empty window', () => {
    const { s } = failN(createBreaker(opts), 3, 1_000);
    const probe = canPass(s, 6_000);
    const r = onSuccess(probe.state, 6_100, probe.generation);
    expect(r.state.state).toBe('closed');
    expect(r.transition?.from).toBe('half_open');
    expect(windowCounts(r.state, 6_100)).toEqual({ calls: 0, failures: 0 });
  });

  it('opens again when a probe fails, restarting the cool-down', () => {
    const { s } = failN(createBreaker(opts), 3, 1_000);
    const probe = canPass(s, 6_000);
    const r = onFailure(probe.state, 6_100, probe.generation);
    expect(r.state.state).toBe('open');
    expect(r.state.openedAtMs).toBe(6_100);
    expect(canPass(r.state, 11_099).allowed).toBe(false);
    expect(canPass(r.state, 11_100).allowed).toBe(true);
  });

  it('needs successesToClose successful probes, with up to halfOpenMaxProbes in flight', () => {
    let { s } = failN(createBreaker({ ...opts, halfOpenMaxProbes: 2, successesToClose: 2 }), 3, 0);
    const a = canPass(s, 5_000);
    const b = canPass(a.state, 5_000);
    expect([a.allowed, b.allowed, canPass(b.state, 5_000).allowed]).toEqual([true, true, false]);
    s = onSuccess(b.state, 5_010, a.generation).state;
    expect(s.state).toBe('half_open');
    const r = onSuccess(s, 5_020, b.generation);
    expect(r.state.state).toBe('closed');
  });

  it('gives back the probe slot on a neutral outcome without closing', () => {
    const { s } = failN(createBreaker(opts), 3, 0);
    const probe = canPass(s, 5_000);
    const n = onNeutral(probe.state, 5_001, probe.generation);
    expect(n.state.state).toBe('half_open');
    expect(canPass(n.state, 5_002).allowed).toBe(true);
  });

  it('ignores outcomes of calls let through before the last transition', () => {
    let s = createBreaker(opts);
    const early = canPass(s, 0);
    s = failN(early.state, 3, 0).s;
    const probe = canPass(s, 5_000);
    // The early call succeeds while the probe is in flight: it must not close the breaker.
    const r = onSuccess(probe.state, 5_001, early.generation);
    expect(r.state.state).toBe('half_open');
    expect(r.state.probesInFlight).toBe(1);
    expect(r.state.totals.successes).toBe(1);
  });

  it('opens by failure rate only once the minimum number of calls was made', () => {
    let s = createBreaker({ mode: 'rate', failureRate: 0.5, minimumCalls: 4, windowMs: 10_000 });
    s = onFailure(s, 0).state;
    s = onFailure(s, 1).state;
    expect(s.state).toBe('closed'); // 2 of 2 failed, but fewer than 4 calls
    s = onSuccess(s, 2).state;
    const r = onFailure(s, 3);
    expect(r.state.state).toBe('open');
    expect(r.transition?.reason).toBe('3 of 4 calls failed within 10000 ms (rate 0.75 ≥ 0.5)');
  });

  it('stays closed when the failure rate is under the limit', () => {
    let s = createBreaker({ mode: 'rate', failureRate: 0.5, minimumCalls: 4 });
    for (let i = 0; i < 10; i++) s = onSuccess(s, i).state;
    for (let i = 0; i < 9; i++) s = onFailure(s, 20 + i).state;
    expect(s.state).toBe('closed');
    expect(onFailure(s, 40).state.state).toBe('open');
  });

  it('closes by hand from open, and a reset of a closed breaker is no transition', () => {
    const { s } = failN(createBreaker(opts), 3, 0);
    const r = resetBreaker(s, 100, 'operator');
    expect(r.transition).toEqual({ from: 'open', to: 'closed', reason: 'operator', atMs: 100 });
    expect(resetBreaker(r.state, 200).transition).toBeUndefined();
  });

  it('round-trips through JSON', () => {
    const { s } = failN(createBreaker(opts), 3, 0);
    const back = JSON.parse(JSON.stringify(s)) as BreakerState;
    expect(back).toEqual(s);
    expect(canPass(back, 5_000).allowed).toBe(true);
  });

  it('refuses bad options, naming the field', () => {
    expect(() => breakerOptions({ failureThreshold: 0 })).toThrow('failureThreshold');
    expect(() => breakerOptions({ failureRate: 1.5 })).toThrow('failureRate');
    expect(() => breakerOptions({ openMs: NaN })).toThrow('openMs');
    expect(() => breakerOptions({ windowSlots: 2.5 })).toThrow('windowSlots');
  });
});

// ---- properties ----------------------------------------------------------------------------

type Op =
  | { t: 'call' }
  | { t: 'ok' | 'fail' | 'neutral'; k: number }
  | { t: 'wait'; ms: number }
  | { t: 'reset' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ t: 'call' as const }) },
  { weight: 2, arbitrary: fc.nat(20).map((k) => ({ t: 'ok' as const, k })) },
  { weight: 3, arbitrary: fc.nat(20).map((k) => ({ t: 'fail' as const, k })) },
  { weight: 1, arbitrary: fc.nat(20).map((k) => ({ t: 'neutral' as const, k })) },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 0, max: 4_000 }).map((ms) => ({ t: 'wait' as const, ms })),
  },
  { weight: 1, arbitrary: fc.constant({ t: 'reset' as const }) },
);

const optsArb = fc.record({
  mode: fc.constantFrom('count' as const, 'rate' as const),
  failureThreshold: fc.integer({ min: 1, max: 5 }),
  failureRate: fc.double({ min: 0.1, max: 1, noNaN: true }),
  minimumCalls: fc.integer({ min: 1, max: 6 }),
  windowMs: fc.integer({ min: 1_000, max: 20_000 }),
  windowSlots: fc.integer({ min: 1, max: 10 }),
  openMs: fc.integer({ min: 1, max: 10_000 }),
  halfOpenMaxProbes: fc.integer({ min: 1, max: 3 }),
  successesToClose: fc.integer({ min: 1, max: 3 }),
});

/** What the driver saw: whether a call was let through, whether an outcome had a call to end and was stale. */
interface Seen {
  allowed?: boolean;
  ended?: boolean;
  stale?: boolean;
}

interface Run {
  check(
    before: BreakerState,
    after: BreakerState,
    transition: BreakerTransition | undefined,
    op: Op,
    nowMs: number,
    seen: Seen,
  ): void;
}

/** Drives a breaker through ops like a caller would: calls stay in flight until an outcome picks them. */
function drive(options: BreakerOptions, ops: Op[], run: Run) {
  let s = createBreaker(options, 0);
  let now = 0;
  const inFlight: { generation: number }[] = [];
  for (const op of ops) {
    const before = s;
    let transition: BreakerTransition | undefined;
    const seen: Seen = {};
    if (op.t === 'call') {
      const d = canPass(s, now);
      seen.allowed = d.allowed;
      if (d.allowed) inFlight.push({ generation: d.generation });
      ({ state: s, transition } = d);
    } else if (op.t === 'wait') {
      now += op.ms;
    } else if (op.t === 'reset') {
      ({ state: s, transition } = resetBreaker(s, now));
    } else if (inFlight.length > 0) {
      const [call] = inFlight.splice(op.k % inFlight.length, 1);
      const f = op.t === 'ok' ? onSuccess : op.t === 'fail' ? onFailure : onNeutral;
      seen.ended = true;
      seen.stale = call!.generation !== s.generation;
      ({ state: s, transition } = f(s, now, call!.generation));
    }
    run.check(before, s, transition, op, now, seen);
    if (s.state === 'half_open') {
      const probes = inFlight.filter((c) => c.generation === s.generation).length;
      if (probes > options.halfOpenMaxProbes)
        throw new Error(`${probes} probes in flight, ${options.halfOpenMaxProbes} allowed`);
      if (probes !== s.probesInFlight)
        throw new Error(`breaker counts ${s.probesInFlight} probes, ${probes} in flight`);
    }
  }
  return s;
}

const noCheck: Run = { check() {} };
const ops = fc.array(opArb, { maxLength: 150, size: 'large' });

describe('breaker: properties', () => {
  it('never has more probes in flight than allowed while half_open', () => {
    fc.assert(
      fc.property(optsArb, ops, (o, list) => void drive(o, list, noCheck)),
      { numRuns: 1_000 },
    );
  });

  it('moves only along the allowed edges, and every transition is reported', () => {
    const edges = new Set(BREAKER_EDGES.map(([a, b]) => `${a}>${b}`));
    fc.assert(
      fc.property(optsArb, ops, (o, list) => {
        drive(o, list, {
          check(before, after, t) {
            if (before.state !== after.state && !t)
              throw new Error(`${before.state} → ${after.state} without a transition`);
            if (t && !edges.has(`${t.from}>${t.to}`))
              throw new Error(`illegal edge ${t.from} → ${t.to}`);
            if (t && (t.from !== before.state || t.to !== after.state))
              throw new Error('transition does not match the states');
          },
        });
      }),
      { numRuns: 1_000 },
    );
  });

  it('refuses every call while open until the cool-down has passed', () => {
    fc.assert(
      fc.property(optsArb, ops, (o, list) => {
        drive(o, list, {
          check(before, after, _t, op, now) {
            if (op.t !== 'call' || before.state !== 'open') return;
            const coolingDown = now < before.openedAtMs! + o.openMs;
            if (
              coolingDown &&
              (after.state !== 'open' || after.totals.rejections !== before.totals.rejections + 1)
            ) {
              throw new Error(`let a call through at ${now}, opened at ${before.openedAtMs}`);
            }
            if (!coolingDown && after.state !== 'half_open')
              throw new Error('did not probe after the cool-down');
          },
        });
      }),
      { numRuns: 1_000 },
    );
  });

  it('in count mode opens exactly when the failures in the window reach the threshold', () => {
    fc.assert(
      fc.property(optsArb, ops, (o, list) => {
        const opts = { ...o, mode: 'count' as const };
        // The model: times of the failures recorded since the breaker last closed.
        let failures: number[] = [];
        drive(opts, list, {
          check(before, after, t, op, now, seen) {
            // A reset empties the window, also when the breaker was already closed.
            if (op.t === 'reset' || (after.state === 'closed' && before.state !== 'closed'))
              failures = [];
            if (op.t !== 'fail' || !seen.ended || seen.stale || before.state !== 'closed') return;
            failures.push(now);
            // Slots make the window between windowMs − slot and windowMs long.
            const within = (span: number) => failures.filter((f) => f > now - span).length;
            if (t?.to === 'open' && within(o.windowMs) < o.failureThreshold)
              throw new Error('opened below the threshold');
            if (!t && within(o.windowMs - o.windowMs / o.windowSlots) >= o.failureThreshold)
              throw new Error('stayed closed at the threshold');
            if (t?.to === 'open') failures = [];
          },
        });
      }),
      { numRuns: 1_000 },
    );
  });

  it('counts every outcome and every refusal in its totals', () => {
    fc.assert(
      fc.property(optsArb, ops, (o, list) => {
        const outcomes = { ok: 0, fail: 0, refused: 0 };
        const s = drive(o, list, {
          check(_before, _after, _t, op, _now, seen) {
            if (op.t === 'call' && seen.allowed === false) outcomes.refused++;
            if (op.t === 'ok' && seen.ended) outcomes.ok++;
            if (op.t === 'fail' && seen.ended) outcomes.fail++;
          },
        });
        expect(s.totals).toEqual({
          successes: outcomes.ok,
          failures: outcomes.fail,
          rejections: outcomes.refused,
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('countClosedSuccess', () => {
  it('leaves a closed breaker exactly as onSuccess would, with a slot kept while times fall in its span', () => {
    const stepArb = fc.record({
      dtMs: fc.double({ min: 0, max: 30_000, noNaN: true }),
      failed: fc.boolean(),
    });
    const optionsArb = fc.record({
      windowMs: fc.integer({ min: 1, max: 120_000 }),
      windowSlots: fc.integer({ min: 1, max: 12 }),
    });
    fc.assert(
      fc.property(
        optionsArb,
        fc.array(stepArb, { maxLength: 60 }),
        fc.integer({ min: 0, max: 2e12 }),
        (options, steps, startMs) => {
          let now = startMs;
          let s = createBreaker({ ...options, failureThreshold: 1_000 }, now);
          let slot = windowSlot(s.options, now);
          for (const step of steps) {
            now += step.dtMs;
            if (step.failed) s = onFailure(s, now).state;
            const pure = onSuccess(s, now).state;
            const inPlace = structuredClone(s);
            if (now < slot.fromMs || now > slot.toMs) slot = windowSlot(s.options, now); // as breaker-handle.ts does
            countClosedSuccess(inPlace, slot);
            expect(inPlace).toEqual(pure);
            s = pure;
          }
        },
      ),
    );
  });

  it('refuses a breaker that is not closed', () => {
    const open = onFailure(createBreaker({ failureThreshold: 1 }, 0), 0).state;
    expect(() => countClosedSuccess(open, windowSlot(open.options, 1))).toThrow(/open/);
  });
});

describe('windowSlot', () => {
  it('spans the slot less 1 ms at each edge, where the time lies inside', () => {
    // 6 s slots by default; the slot of this time starts at 1_699_999_998_000.
    expect(windowSlot(breakerOptions(), 1_700_000_003_000)).toEqual({
      epoch: 283_333_333,
      at: 9,
      fromMs: 1_699_999_998_001,
      toMs: 1_700_000_003_999,
    });
    expect(windowSlot(breakerOptions(), 1_699_999_998_000.5)).toMatchObject({
      fromMs: 1_699_999_998_000.5,
      toMs: 1_700_000_003_999,
    });
  });

  it('puts every time of its span in its slot, and the time it was asked about in its span', () => {
    const optionsArb = fc.record({
      windowMs: fc.double({ min: 1, max: 1e6, noNaN: true }),
      windowSlots: fc.integer({ min: 1, max: 100 }),
    });
    fc.assert(
      fc.property(
        optionsArb,
        fc.double({ min: 0, max: 4e12, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (partial, t, u) => {
          const o = breakerOptions(partial);
          const slot = windowSlot(o, t);
          expect(slot.fromMs <= t && t <= slot.toMs).toBe(true);
          for (const inside of [
            slot.fromMs,
            slot.toMs,
            slot.fromMs + u * (slot.toMs - slot.fromMs),
          ]) {
            expect(windowSlot(o, inside)).toMatchObject({ epoch: slot.epoch, at: slot.at });
          }
        },
      ),
    );
  });
});
