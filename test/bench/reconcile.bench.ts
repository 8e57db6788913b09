// Reconciliation of 10,000 positions and 100,000 trades (product.md target: ≤ 200 ms), against the
// same work at a tenth of the size scaled by ten: a ratio near 1 shows linear scaling (a quadratic
// scan would show 0.1). Inputs: every position drifted inside the tolerance, 1 % foreign trades.
import { reconcile } from '../../src/domain/reconciliation/reconcile.ts';
import { reportPayload } from '../../src/domain/reconciliation/report.ts';
import { median, record, section } from './harness.ts';

function inputs(positions: number, trades: number) {
  const book: Record<string, number> = {};
  const theirs: { symbol: string; quantity: number }[] = [];
  for (let i = 0; i < positions; i++) {
    const symbol = `S${i}USDT`;
    const q = (i % 2 ? -1 : 1) * (1 + (i % 97));
    book[symbol] = q;
    theirs.push({ symbol, quantity: q * (1 + (0.0004 * ((i % 5) - 2)) / 2) });
  }
  const sent = new Set<string>();
  const list: { id: string; orderId: string; symbol: string }[] = [];
  for (let i = 0; i < trades; i++) {
    const orderId = `o${i}`;
    if (i % 100 !== 0) sent.add(orderId);
    list.push({ id: `t${i}`, orderId, symbol: `S${i % positions}USDT` });
  }
  return {
    internal: { positions: book, navUsd: 1_000_000, sentOrderIds: sent },
    exchange: { positions: theirs, equityUsd: 1_000_400, trades: list },
  };
}

/** Median ms of `rounds` runs of fn, after two warm-up runs. */
function timeMs(fn: () => unknown, rounds = 9): number {
  fn();
  fn();
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

export async function benchReconcile() {
  const s = section('reconciliation (pure compare)');
  const full = inputs(10_000, 100_000);
  const tenth = inputs(1_000, 10_000);
  const check = reconcile(full.internal, full.exchange, { nowMs: 0 });
  // The inputs are what the figures claim: every position and the balance match; the 1 % foreign
  // trades (every 100th) land on 100 of the 10,000 symbols.
  if (check.totals.checks !== 20_001 || check.totals.mismatched !== 100)
    throw new Error(`unexpected bench report: ${JSON.stringify(check.totals)}`);

  const big = timeMs(() => reconcile(full.internal, full.exchange, { nowMs: 0 }));
  const small = timeMs(() => reconcile(tenth.internal, tenth.exchange, { nowMs: 0 }), 31);
  record({
    section: s,
    name: 'reconcile 10,000 positions + 100,000 trades',
    value: big,
    unit: 'ms',
    baseline: {
      name: '1,000 positions + 10,000 trades, x10 (linear extrapolation)',
      value: small * 10,
    },
    target: '<= 200 ms',
    met: big <= 200,
  });
  const withPayload = timeMs(() =>
    JSON.stringify(reportPayload(reconcile(full.internal, full.exchange, { nowMs: 0 }))),
  );
  record({
    section: s,
    name: 'reconcile + stored payload (snake_case view, JSON) at full size',
    value: withPayload,
    unit: 'ms',
    baseline: { name: 'reconcile alone', value: big },
    target: '<= 200 ms',
    met: withPayload <= 200,
  });
}
