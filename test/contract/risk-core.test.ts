// Differential test: the WASM risk checks and the TypeScript reference agree bit for bit (Object.is)
// on every output, over random limits, accounts and orders, edge values included.
import { describe, expect, it } from 'bun:test';
import fc from 'fast-check';
import { paperSymbolRules } from '../../src/adapters/exchange/paper/symbol-table.ts';
import { loadWasmCore } from '../../src/adapters/wasm/load.ts';
import { RULE_STRIDE, writeRuleNumbers } from '../../src/domain/market/rule-numbers.ts';
import { createReferenceRiskCore } from '../../src/domain/risk/reference-core.ts';
import {
  MARGIN_STRIDE,
  MarginField,
  writeMarginNumbers,
} from '../../src/domain/risk/margin-numbers.ts';
import type { MaintenanceBracket } from '../../src/domain/portfolio/margin.ts';
import { RISK_SINGLE_LENGTH, type RiskCore, RiskSingle } from '../../src/ports/risk-core.ts';

const wasm = await loadWasmCore();

const EDGES = [NaN, Infinity, -Infinity, 0, -0, -1, 1, 1e308, -1e308, Number.MIN_VALUE, 2 ** 53];
const num = (min: number, max: number) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.double({ min, max, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(...EDGES) },
    { weight: 1, arbitrary: fc.double() },
  );
const int = (min: number, max: number) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min, max }) },
    { weight: 1, arbitrary: fc.constantFrom(-1, 3, 4096, 2 ** 31 - 1, 1.5, NaN) },
  );

const limits = fc.tuple(
  num(0, 0.2),
  num(0, 0.1),
  num(0, 3),
  num(0, 3),
  num(0, 2),
  num(0, 0.5),
  num(0, 2e5),
);
const anyAccount = fc.tuple(
  int(0, 1),
  int(0, 2),
  num(0, 2e5),
  num(5e4, 2e5),
  num(5e4, 2e5),
  num(0, 3e5),
  num(-2e5, 2e5),
);
// A healthy account (kill switch off, ACTIVE, at its high-water mark, little exposure): orders then
// reach the order-level guards (exchange_rules, order_rate) and approval often enough.
const healthyAccount = fc
  .tuple(fc.integer({ min: 5e4, max: 2e5 }), num(0, 1e4), num(-1e4, 1e4))
  .map(([nav, gross, net]) => [0, 0, nav, nav, nav, gross, net]);
const account = anyAccount;
// Quantities and prices often on a symbol's grid (k / 100, whole numbers, the mark rounded), so that
// the exchange_rules guard passes as often as it fails.
const qty = fc.oneof(
  num(-5, 5),
  fc.integer({ min: -500, max: 500 }).map((k) => k / 100),
);
const price = fc.oneof(num(0, 1e5), fc.integer({ min: 1, max: 100_000 }));
const ruleIndex = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, 1024, 2 ** 31 - 1, 1.5, NaN) },
);
const anyOrder = fc
  .tuple(num(-5, 5), num(0, 1e5), qty, price, int(0, 3), ruleIndex, num(0, 1e7), fc.boolean())
  .map(
    ([pos, mark, q, p, bucket, rule, now, atMark]) =>
      [pos, mark, q, atMark ? Math.round(mark) : p, bucket, rule, now] as const,
  );
// Orders a trader would send (on the grids, at the mark), so that every later guard is reached too.
const hundredths = fc.integer({ min: -5, max: 5 }).map((k) => k / 100);
const sensibleOrder = fc
  .tuple(
    hundredths,
    fc.integer({ min: 600, max: 5_000 }),
    hundredths,
    int(0, 3),
    fc.integer({ min: 0, max: 3 }),
    num(0, 1e7),
  )
  .map(([pos, mark, q, bucket, rule, now]) => [pos, mark, q, mark, bucket, rule, now] as const);
const order = fc.oneof({ weight: 2, arbitrary: anyOrder }, { weight: 1, arbitrary: sensibleOrder });
// Rule slots 0-6: real tables (slot 4 not TRADING, slot 6 settling); the rest stay empty (status 0: not trading).
const SLOTS = [
  ...['BTCUSDT', 'ETHUSDT', 'BNBUSDT', 'DOGEUSDT', 'SOLUSDT']
    .map(paperSymbolRules)
    .map((r, i) => (i === 4 ? { ...r, status: 'BREAK' } : r)),
  // Slot 5: a MARKET_LOT_SIZE grid coarser than LOT_SIZE's (checked on its own).
  { ...paperSymbolRules('BNBUSDT'), marketStepSize: 0.1, marketMinQty: 0.1 },
  // Slot 6: settling (a delisting): closing orders only.
  { ...paperSymbolRules('ETHUSDT'), status: 'SETTLING' },
];
const buckets = fc.array(fc.tuple(num(0, 5), num(0, 10)), { minLength: 4, maxLength: 4 });
// Random limits, accounts and buckets, or a healthy set-up (the default limits, full buckets).
const anyScenario = fc.tuple(limits, account, buckets);
const healthyScenario = fc.tuple(
  fc.constant<number[]>([0.05, 0.02, 1, 1, 0.5, 0.05, 10_000]),
  healthyAccount,
  fc.constant([
    [5, 1],
    [5, 1],
    [5, 1],
    [5, 1],
  ] as [number, number][]),
);
const scenario = fc.oneof(
  { weight: 3, arbitrary: anyScenario },
  { weight: 1, arbitrary: healthyScenario },
);
// A symbol's maintenance brackets: none (the default table), realistic ones, random rows (more
// than MAX_BRACKETS too), and now and then a count that is not a row count (written raw).
const bracketRow = fc.record({
  upToUsd: fc.oneof(num(0, 2e6), fc.constantFrom(5_000, 50_000, Infinity)),
  rate: num(0, 0.5),
  cumUsd: num(0, 1e5),
});
const brackets = fc.tuple(
  fc.oneof(
    { weight: 1, arbitrary: fc.constant([]) },
    { weight: 2, arbitrary: fc.array(bracketRow, { minLength: 1, maxLength: 12 }) },
  ),
  fc.oneof(
    { weight: 8, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom(NaN, 2.5, -1, 50, Infinity) },
  ),
);
// The account's margin: per-slot numbers for slots 0-4 (leverage, liquidation price, entry, mark,
// quantity, brackets) and the account figures with the liquidation_distance limit; often unknown (NaN), often
// healthy (a large available balance, positions far from liquidation) so every outcome is reached.
const marginSlot = fc.tuple(
  fc.oneof(fc.constantFrom(0, 1, 5, 20, 125, NaN, -3), num(0, 200)),
  fc.oneof(num(0, 1e5), fc.integer({ min: 0, max: 5_000 })),
  fc.oneof(num(0, 1e5), fc.integer({ min: 600, max: 5_000 })),
  fc.oneof(num(0, 1e5), fc.integer({ min: 600, max: 5_000 })),
  fc.oneof(qty, fc.constant(0)),
  brackets,
  // Isolated margin: the position's own wallet, or undefined (cross).
  fc.oneof(fc.constant(undefined), num(0, 1e5), fc.constantFrom(0, NaN, -5)),
);
// Isolated slots without a liquidation price from the exchange: the order's own estimate (the
// isolated formula: adding, reducing, flipping, opening) is then the figure reported.
const isolatedSlot = fc.tuple(
  fc.constantFrom(1, 5, 20),
  fc.constant(0),
  fc.integer({ min: 600, max: 5_000 }),
  fc.integer({ min: 600, max: 5_000 }),
  fc.oneof(qty, fc.constant(0)),
  brackets,
  fc.oneof(num(0, 1e5), fc.integer({ min: 0, max: 5_000 })),
);
const marginAccount = fc.tuple(
  num(-1e4, 2e5),
  num(0, 2e5),
  num(0, 1e4),
  num(-1e4, 1e4),
  num(0, 0.5),
);
const unknownMargin = fc.constant([NaN, NaN, NaN, NaN, 0.1]);
const healthyMargin = fc
  .tuple(fc.integer({ min: 5e4, max: 2e5 }), fc.constantFrom(0.05, 0.1))
  .map(([nav, d]) => [nav, nav, 0, 0, d]);
const margin = fc.tuple(
  fc.oneof(
    { weight: 3, arbitrary: fc.array(marginSlot, { minLength: 5, maxLength: 5 }) },
    { weight: 1, arbitrary: fc.array(isolatedSlot, { minLength: 5, maxLength: 5 }) },
  ),
  fc.oneof(
    { weight: 3, arbitrary: marginAccount },
    { weight: 1, arbitrary: unknownMargin },
    { weight: 2, arbitrary: healthyMargin },
  ),
  fc.oneof(
    { weight: 8, arbitrary: fc.constant(5) },
    { weight: 1, arbitrary: fc.constantFrom(0, 3, -1, 1024, 5000, 2.5, NaN) },
  ),
);
// The third element: how many slots riskSetMargin scans (the slots in use, odd counts included).
type Slot = [
  number,
  number,
  number,
  number,
  number,
  [MaintenanceBracket[], number | undefined],
  number | undefined,
];
type Margin = [Slot[], number[], number];

function prepare(core: RiskCore, l: number[], a: number[], b: [number, number][], m?: Margin) {
  core.riskSetLimits(...(l as [number, number, number, number, number, number, number]));
  const ok = core.riskSetAccount(
    ...(a as [number, number, number, number, number, number, number]),
  );
  // WASM memory outlives a run: empty every bucket first (an invalid init leaves the old state).
  b.forEach(
    ([capacity, refill], i) => (
      core.bucketInit(i, 0, 0, 0),
      core.bucketInit(i, capacity, refill, 0)
    ),
  );
  const table = core.riskRules();
  table.fill(0);
  SLOTS.forEach((r, i) => writeRuleNumbers(table, i * RULE_STRIDE, r));
  const margins = core.riskMargins();
  margins.fill(0);
  m?.[0].forEach(
    ([leverage, liquidationPrice, entryPrice, markPrice, quantity, [rows, count], iso], i) => {
      writeMarginNumbers(margins, i * MARGIN_STRIDE, {
        leverage,
        liquidationPrice,
        entryPrice,
        markPrice,
        quantity,
        brackets: rows,
        isolatedWalletUsd: iso,
      });
      if (count !== undefined) margins[i * MARGIN_STRIDE + MarginField.BRACKETS] = count;
    },
  );
  const [available, wallet, maint, upnl, minDistance] = m?.[1] ?? [NaN, NaN, NaN, NaN, 0.1];
  const known = core.riskSetMargin(m ? m[2] : 0, available!, wallet!, maint!, upnl!, minDistance!);
  return ok * 2 + known;
}

const same = (what: string, a: number, b: number) => {
  if (!Object.is(a, b)) throw new Error(`${what}: wasm ${a} vs reference ${b}`);
};

describe('risk core: WASM agrees with the reference', () => {
  it('exports the same batch size', () => {
    expect(wasm.maxBatch).toBe(createReferenceRiskCore().maxBatch);
  });

  it('names every figure of the single check once (RiskSingle)', () => {
    const indices: number[] = Object.values(RiskSingle).sort((a, b) => a - b);
    expect(indices).toEqual([...Array(RISK_SINGLE_LENGTH).keys()]);
    for (const core of [wasm, createReferenceRiskCore()])
      expect(core.riskSingle().length).toBe(RISK_SINGLE_LENGTH);
  });
  it('riskSetAccount, riskDrawdown, riskDailyLoss and riskCheck give identical answers', () => {
    const seen = new Set<number>();
    fc.assert(
      fc.property(
        scenario,
        margin,
        fc.array(order, { minLength: 1, maxLength: 30 }),
        ([l, a, b], m, orders) => {
          const ref = createReferenceRiskCore();
          same(
            'riskSetAccount and riskSetMargin',
            prepare(wasm, l, a, b, m as Margin),
            prepare(ref, l, a, b, m as Margin),
          );
          same('riskDrawdown', wasm.riskDrawdown(), ref.riskDrawdown());
          same('riskDailyLoss', wasm.riskDailyLoss(), ref.riskDailyLoss());
          for (const o of orders) {
            const args = o as unknown as [number, number, number, number, number, number, number];
            const status = wasm.riskCheck(...args);
            seen.add(status);
            same(`riskCheck(${args.join(', ')})`, status, ref.riskCheck(...args));
            const w = wasm.riskSingle();
            const r = ref.riskSingle();
            for (const [name, k] of Object.entries(RiskSingle))
              same(`riskSingle.${name} after riskCheck(${args.join(', ')})`, w[k]!, r[k]!);
          }
        },
      ),
      { numRuns: 8_000 },
    );
    // The random cases reach every outcome: approval, each guard, and invalid input.
    expect([...seen].sort((a, b) => a - b)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
    ]);
  });

  it('riskCheckBatch gives identical columns', () => {
    const sizes = fc.oneof(
      { weight: 9, arbitrary: fc.integer({ min: 0, max: 40 }) },
      { weight: 1, arbitrary: fc.constantFrom(-1, 4097, 2 ** 31 - 1) },
    );
    fc.assert(
      fc.property(
        limits,
        account,
        buckets,
        margin,
        fc.array(order, { minLength: 40, maxLength: 40 }),
        sizes,
        num(0, 1e7),
        (l, a, b, m, orders, n, nowMs) => {
          const ref = createReferenceRiskCore();
          prepare(wasm, l, a, b, m as Margin);
          prepare(ref, l, a, b, m as Margin);
          for (const core of [wasm, ref]) {
            const v = core.riskBatch();
            orders.forEach(([pos, mark, q, p, bucket, rule], i) => {
              v.posQty[i] = pos;
              v.markPrice[i] = mark;
              v.orderQty[i] = q;
              v.price[i] = p;
              v.bucket[i] = bucket;
              v.ruleIndex[i] = rule;
            });
          }
          same(`riskCheckBatch(${n})`, wasm.riskCheckBatch(n, nowMs), ref.riskCheckBatch(n, nowMs));
          const w = wasm.riskBatch();
          const r = ref.riskBatch();
          // A refused n (-1) writes nothing, so only a run that checked orders has columns to compare.
          for (let i = 0; i < (n >= 0 && n <= 40 ? n : 0); i++) {
            for (const col of [
              'status',
              'mask',
              'gross',
              'net',
              'weight',
              'notionalUsd',
              'rule',
              'initialMargin',
              'liquidationDistance',
            ] as const)
              same(`${col}[${i}]`, w[col][i]!, r[col][i]!);
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('rejects garbage and approves nothing on it', () => {
    for (const core of [wasm, createReferenceRiskCore()]) {
      core.riskSetLimits(0.05, 0.02, 1, 1, 0.5, 0.05, 10_000);
      core.bucketInit(0, 1e9, 1e9, 0);
      for (const nav of [NaN, Infinity, -Infinity]) {
        core.riskSetAccount(0, 0, nav, 100_000, 100_000, 0, 0);
        expect(core.riskCheck(0, 0, 0.01, 60_000, 0, 0, 1)).toBe(14);
      }
      core.riskSetAccount(0, 0, 100_000, 100_000, 100_000, 0, 0);
      for (const [qty, price] of [
        [NaN, 1],
        [0, 60_000],
        [0.01, 0],
        [0.01, -5],
        [Infinity, 1],
        [0.01, NaN],
      ]) {
        expect(core.riskCheck(0, 0, qty!, price!, 0, 0, 1)).toBe(14);
      }
      // A huge but finite quantity overflows the figures to Infinity and fails a guard.
      expect(core.riskCheck(0, 0, 1e300, 1e10, 0, 0, 1)).toBe(5);
      // Zero and negative NAV make every exposure infinite; drawdown fails first.
      core.riskSetAccount(0, 0, 0, 100_000, 100_000, 0, 0);
      expect(core.riskCheck(0, 0, 0.01, 100, 0, 0, 1)).toBe(3);
    }
  });
});
