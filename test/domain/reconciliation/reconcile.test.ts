import { describe, expect, it } from 'bun:test';
import fc from 'fast-check';
import {
  type ExchangeSnapshot,
  FLAT_EPSILON,
  type InternalSnapshot,
  reconcile,
} from '../../../src/domain/reconciliation/reconcile.ts';
import {
  errorReport,
  mismatchesByCheckType,
  reportPayload,
} from '../../../src/domain/reconciliation/report.ts';

const NOW = 1_764_000_000_000;
const internal = (
  positions: Record<string, number>,
  navUsd = 100_000,
  sent: Iterable<string> = [],
): InternalSnapshot => ({
  positions,
  navUsd,
  sentOrderIds: new Set(sent),
});
const exchange = (
  positions: Record<string, number>,
  equityUsd = 100_000,
  trades: ExchangeSnapshot['trades'] = [],
): ExchangeSnapshot => ({
  positions: Object.entries(positions).map(([symbol, quantity]) => ({ symbol, quantity })),
  equityUsd,
  trades,
});
const trade = (id: string, orderId: string, symbol = 'BTCUSDT') => ({ id, orderId, symbol });
const position = (r: ReturnType<typeof reconcile>, symbol: string) =>
  r.results.find((x) => x.checkType === 'position' && x.symbol === symbol);

describe('reconcile', () => {
  it('passes when positions, balance and trades agree', () => {
    const r = reconcile(
      internal({ BTCUSDT: 0.5, ETHUSDT: -2 }, 100_000, ['o1', 'o2']),
      exchange({ BTCUSDT: 0.5, ETHUSDT: -2 }, 100_000, [
        trade('t1', 'o1'),
        trade('t2', 'o2', 'ETHUSDT'),
      ]),
      { nowMs: NOW },
    );
    expect(r).toMatchObject({
      timeMs: NOW,
      status: 'passed',
      passed: true,
      mismatchedSymbols: [],
      totals: { checks: 5, matched: 5, mismatched: 0, errors: 0 },
    });
    expect(r.results.map((x) => `${x.checkType}:${x.symbol}:${x.status}`)).toEqual([
      'position:BTCUSDT:MATCH',
      'position:ETHUSDT:MATCH',
      'balance:null:MATCH',
      'unauthorized_trade:BTCUSDT:MATCH',
      'unauthorized_trade:ETHUSDT:MATCH',
    ]);
  });

  it('matches quantities within the relative tolerance and flags a drift beyond it as MISMATCH', () => {
    expect(
      position(
        reconcile(internal({ BTCUSDT: 1 }), exchange({ BTCUSDT: 1.0009 }), { nowMs: NOW }),
        'BTCUSDT',
      )?.status,
    ).toBe('MATCH');
    const r = reconcile(internal({ BTCUSDT: 1 }), exchange({ BTCUSDT: 1.002 }), { nowMs: NOW });
    expect(position(r, 'BTCUSDT')).toMatchObject({
      status: 'MISMATCH',
      internalValue: 1,
      exchangeValue: 1.002,
    });
    expect(position(r, 'BTCUSDT')?.message).toContain('tolerance 0.1 %');
    expect(r).toMatchObject({ status: 'failed', passed: false, mismatchedSymbols: ['BTCUSDT'] });
    // A wider tolerance accepts the same drift.
    expect(
      reconcile(internal({ BTCUSDT: 1 }), exchange({ BTCUSDT: 1.002 }), {
        nowMs: NOW,
        tolerance: 0.01,
      }).passed,
    ).toBe(true);
  });

  it('flags a flipped side as MISMATCH even when the magnitudes agree', () => {
    expect(
      position(
        reconcile(internal({ BTCUSDT: 1 }), exchange({ BTCUSDT: -1 }), { nowMs: NOW }),
        'BTCUSDT',
      )?.status,
    ).toBe('MISMATCH');
  });

  it('defers what an order in flight explains: divergences on its symbol and the balance, not other symbols', () => {
    const r = reconcile(
      { ...internal({ BTCUSDT: 0 }, 100_000), inFlightSymbols: new Set(['BTCUSDT']) },
      exchange({ BTCUSDT: 0.5, ETHUSDT: 1 }, 99_000, [trade('t1', 'unknown-yet')]),
      { nowMs: NOW },
    );
    expect(r.results.map((x) => `${x.checkType}:${x.symbol}:${x.status}`)).toEqual([
      'position:BTCUSDT:DEFERRED',
      'position:ETHUSDT:MISSING_INTERNAL',
      'balance:null:DEFERRED',
      'unauthorized_trade:BTCUSDT:DEFERRED',
    ]);
    expect(r.results[0]!.message).toContain('in flight');
    expect(r).toMatchObject({
      status: 'failed',
      mismatchedSymbols: ['ETHUSDT'],
      totals: { mismatched: 1, deferred: 3 },
    });
  });

  it('reports deferred (not passed, not failed) when every divergence waits for an order in flight', () => {
    const r = reconcile(
      { ...internal({}), inFlightSymbols: new Set(['BTCUSDT']) },
      exchange({ BTCUSDT: 0.5 }),
      { nowMs: NOW },
    );
    expect(r).toMatchObject({
      status: 'deferred',
      passed: false,
      mismatchedSymbols: [],
      totals: { checks: 2, matched: 1, deferred: 1 },
    });
    expect(reportPayload(r).results[0]).toMatchObject({ status: 'DEFERRED' });
    // Matching checks stay MATCH: only a divergence is deferred.
    expect(
      reconcile(
        { ...internal({ BTCUSDT: 0.5 }), inFlightSymbols: new Set(['BTCUSDT']) },
        exchange({ BTCUSDT: 0.5 }),
        { nowMs: NOW },
      ).status,
    ).toBe('passed');
  });

  it('reports MISSING_EXCHANGE when only the worker holds a position', () => {
    const r = reconcile(internal({ BTCUSDT: 0.5 }), exchange({}), { nowMs: NOW });
    expect(position(r, 'BTCUSDT')).toMatchObject({
      status: 'MISSING_EXCHANGE',
      internalValue: 0.5,
      exchangeValue: 0,
    });
    expect(r.mismatchedSymbols).toEqual(['BTCUSDT']);
  });

  it('reports MISSING_INTERNAL when only the exchange holds a position', () => {
    const r = reconcile(internal({}), exchange({ SOLUSDT: -3 }), { nowMs: NOW });
    expect(position(r, 'SOLUSDT')).toMatchObject({
      status: 'MISSING_INTERNAL',
      internalValue: 0,
      exchangeValue: -3,
    });
  });

  it('treats dust below the flat epsilon as flat on either side', () => {
    const dust = 0.1 + 0.2 - 0.3; // 5.6e-17
    expect(
      reconcile(internal({ BTCUSDT: dust, ETHUSDT: 0 }), exchange({ XRPUSDT: FLAT_EPSILON / 2 }), {
        nowMs: NOW,
      }),
    ).toMatchObject({
      passed: true,
      totals: { checks: 1 }, // only the balance: no symbol holds anything
    });
  });

  it('sums the legs of a hedge-mode account per symbol', () => {
    const ex: ExchangeSnapshot = {
      positions: [
        { symbol: 'BTCUSDT', quantity: 1.5 },
        { symbol: 'BTCUSDT', quantity: -0.5 },
      ],
      equityUsd: 100_000,
      trades: [],
    };
    expect(
      position(reconcile(internal({ BTCUSDT: 1 }), ex, { nowMs: NOW }), 'BTCUSDT')?.status,
    ).toBe('MATCH');
  });

  it('compares NAV with the exchange equity under the same relative tolerance', () => {
    expect(reconcile(internal({}, 100_000), exchange({}, 100_099), { nowMs: NOW }).passed).toBe(
      true,
    );
    const r = reconcile(internal({}, 100_000), exchange({}, 99_800), { nowMs: NOW });
    expect(r.results[0]).toMatchObject({
      checkType: 'balance',
      symbol: null,
      status: 'MISMATCH',
      internalValue: 100_000,
      exchangeValue: 99_800,
    });
    expect(r.results[0]!.message).toContain('gap -200.00 USD');
    expect(r).toMatchObject({ status: 'failed', mismatchedSymbols: [] });
  });

  it('flags trades from orders we never sent, one result per symbol naming the orders', () => {
    const trades = [
      trade('t1', 'o1'),
      trade('t2', 'x9'),
      trade('t3', 'x9'),
      trade('t4', 'x8'),
      trade('t5', 'o2', 'ETHUSDT'),
    ];
    const r = reconcile(internal({}, 100_000, ['o1', 'o2']), exchange({}, 100_000, trades), {
      nowMs: NOW,
    });
    const btc = r.results.find(
      (x) => x.checkType === 'unauthorized_trade' && x.symbol === 'BTCUSDT',
    );
    expect(btc).toMatchObject({ status: 'MISMATCH', internalValue: 0, exchangeValue: 3 });
    expect(btc!.message).toBe('BTCUSDT: 3 of 4 trades come from 2 order(s) we never sent (x9, x8)');
    expect(
      r.results.find((x) => x.checkType === 'unauthorized_trade' && x.symbol === 'ETHUSDT')?.status,
    ).toBe('MATCH');
    expect(mismatchesByCheckType(r)).toEqual({ position: 0, balance: 0, unauthorized_trade: 1 });
  });

  it('accepts a predicate for the orders we sent', () => {
    const r = reconcile(
      { positions: {}, navUsd: 1, sentOrderIds: (id) => id.startsWith('ours-') },
      exchange({}, 1, [trade('a', 'ours-1'), trade('b', 'evil')]),
      { nowMs: NOW },
    );
    expect(r.results[1]).toMatchObject({ checkType: 'unauthorized_trade', exchangeValue: 1 });
  });

  it('answers ERROR for a quantity or balance that is not a finite number', () => {
    const r = reconcile(
      internal({ BTCUSDT: Number.NaN }, Number.POSITIVE_INFINITY),
      exchange({ BTCUSDT: 1 }),
      { nowMs: NOW },
    );
    expect(r.results.map((x) => x.status)).toEqual(['ERROR', 'ERROR']);
    expect(r).toMatchObject({
      status: 'error',
      passed: false,
      totals: { checks: 2, matched: 0, mismatched: 0, errors: 2 },
      mismatchedSymbols: [],
    });
  });

  it('ranks a divergence above an error', () => {
    const r = reconcile(internal({ BTCUSDT: Number.NaN, ETHUSDT: 1 }), exchange({}), {
      nowMs: NOW,
    });
    expect(r.status).toBe('failed');
  });
});

describe('errorReport', () => {
  it('marks every check as ERROR with the reason', () => {
    const r = errorReport('exchange unavailable: 503', NOW);
    expect(r).toMatchObject({
      timeMs: NOW,
      status: 'error',
      passed: false,
      error: 'exchange unavailable: 503',
      totals: { checks: 3, matched: 0, mismatched: 0, errors: 3 },
    });
    expect(r.results.map((x) => [x.checkType, x.status])).toEqual([
      ['position', 'ERROR'],
      ['balance', 'ERROR'],
      ['unauthorized_trade', 'ERROR'],
    ]);
    expect(r.results[0]!.message).toContain('exchange unavailable: 503');
  });
});

describe('reportPayload', () => {
  it('is the snake_case view with an ISO time', () => {
    const p = reportPayload(reconcile(internal({ BTCUSDT: 1 }), exchange({}), { nowMs: NOW }));
    expect(p).toMatchObject({
      time: new Date(NOW).toISOString(),
      time_ms: NOW,
      status: 'failed',
      mismatched_symbols: ['BTCUSDT'],
    });
    expect(p.results[0]).toEqual({
      check_type: 'position',
      symbol: 'BTCUSDT',
      status: 'MISSING_EXCHANGE',
      internal_value: 1,
      exchange_value: 0,
      message: expect.any(String),
    });
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
  });
});

// --- properties ---

const symbolArb = fc.constantFrom(...Array.from({ length: 30 }, (_, i) => `S${i}USDT`));
/** Quantities that are clearly not flat, either sign, across many magnitudes. */
const qtyArb = fc
  .tuple(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), fc.boolean())
  .map(([q, neg]) => (neg ? -q : q));
const bookArb = fc.dictionary(symbolArb, qtyArb, { maxKeys: 20 });
const tradesArb = fc.array(
  fc.record({
    id: fc.uuid(),
    orderId: fc.constantFrom('o1', 'o2', 'o3', 'x1', 'x2'),
    symbol: symbolArb,
  }),
  { maxLength: 60 },
);

describe('reconcile (properties)', () => {
  it('passes whenever the exchange mirrors the book exactly', () => {
    fc.assert(
      fc.property(
        bookArb,
        fc.double({ min: 1, max: 1e9, noNaN: true }),
        tradesArb,
        (book, nav, trades) => {
          const sent = new Set(trades.map((t) => t.orderId));
          const r = reconcile(internal(book, nav, sent), exchange(book, nav, trades), {
            nowMs: NOW,
          });
          const traded = new Set(trades.map((t) => t.symbol)).size;
          return (
            r.passed &&
            r.totals.checks === Object.keys(book).length + 1 + traded &&
            r.totals.matched === r.totals.checks
          );
        },
      ),
    );
  });

  it('matches a drift within the tolerance and flags one beyond it', () => {
    fc.assert(
      fc.property(
        qtyArb,
        fc.double({ min: 1e-5, max: 0.1, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: 2, max: 100, noNaN: true }),
        (q, tol, inside, beyond) => {
          const near = reconcile(
            internal({ A: q }),
            exchange({ A: q * (1 + inside * tol * 0.99) }),
            { nowMs: NOW, tolerance: tol },
          );
          const far = reconcile(internal({ A: q }), exchange({ A: q * (1 + beyond * tol) }), {
            nowMs: NOW,
            tolerance: tol,
          });
          return (
            position(near, 'A')?.status === 'MATCH' && position(far, 'A')?.status === 'MISMATCH'
          );
        },
      ),
    );
  });

  it('is symmetric: swapping the sides swaps MISSING_INTERNAL and MISSING_EXCHANGE and keeps the rest', () => {
    const swap: Record<string, string> = {
      MISSING_INTERNAL: 'MISSING_EXCHANGE',
      MISSING_EXCHANGE: 'MISSING_INTERNAL',
      MATCH: 'MATCH',
      MISMATCH: 'MISMATCH',
    };
    fc.assert(
      fc.property(bookArb, bookArb, (a, b) => {
        const ab = reconcile(internal(a), exchange(b), { nowMs: NOW });
        const ba = reconcile(internal(b), exchange(a), { nowMs: NOW });
        const statuses = (r: typeof ab) =>
          new Map(
            r.results.filter((x) => x.checkType === 'position').map((x) => [x.symbol, x.status]),
          );
        const sa = statuses(ab);
        const sb = statuses(ba);
        return sa.size === sb.size && [...sa].every(([s, st]) => sb.get(s) === swap[st]);
      }),
    );
  });

  it('keeps totals, status and mismatched symbols consistent with the results', () => {
    fc.assert(
      fc.property(
        bookArb,
        bookArb,
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        tradesArb,
        (a, b, nav, equity, trades) => {
          const r = reconcile(internal(a, nav, ['o1', 'o2', 'o3']), exchange(b, equity, trades), {
            nowMs: NOW,
          });
          const { checks, matched, mismatched, errors } = r.totals;
          const divergent = new Set(
            r.results
              .filter((x) => x.status !== 'MATCH' && x.status !== 'ERROR' && x.symbol)
              .map((x) => x.symbol),
          );
          const foreign = trades.filter((t) => !['o1', 'o2', 'o3'].includes(t.orderId)).length;
          const counted = r.results
            .filter((x) => x.checkType === 'unauthorized_trade')
            .reduce((n, x) => n + (x.exchangeValue ?? 0), 0);
          return (
            checks === r.results.length &&
            checks === matched + mismatched + errors &&
            r.passed === (mismatched === 0 && errors === 0) &&
            r.status === (mismatched > 0 ? 'failed' : errors > 0 ? 'error' : 'passed') &&
            JSON.stringify(r.mismatchedSymbols) === JSON.stringify([...divergent].sort()) &&
            counted === foreign
          );
        },
      ),
    );
  });

  it('gives the same report for a Set and an equivalent predicate', () => {
    fc.assert(
      fc.property(tradesArb, fc.subarray(['o1', 'o2', 'o3', 'x1', 'x2']), (trades, ours) => {
        const set = new Set(ours);
        const a = reconcile(
          { positions: {}, navUsd: 1, sentOrderIds: set },
          exchange({}, 1, trades),
          { nowMs: NOW },
        );
        const b = reconcile(
          { positions: {}, navUsd: 1, sentOrderIds: (id) => set.has(id) },
          exchange({}, 1, trades),
          { nowMs: NOW },
        );
        return JSON.stringify(a) === JSON.stringify(b);
      }),
    );
  });
});
