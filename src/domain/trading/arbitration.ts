// Arbitration: agents vote per symbol with confidence x agent weight; the symbol with the strongest
// net vote wins. Opposing votes cancel, so a split swarm trades nothing.
import type { Direction, Signal } from './agents/agent.ts';

export interface Selection {
  symbol: string;
  direction: Exclude<Direction, 'FLAT'>;
  /** Net weighted vote as a fraction of the total weight that voted on the symbol (0..1). */
  confidence: number;
  /** Confidence-weighted mean of the supporting signals' size hints. */
  sizeHint: number;
  /** The signals that voted for the chosen direction. */
  supporting: Signal[];
}

/**
 * @param weights agent id → weight (missing agents weigh 1)
 * @param minConfidence a winner below this is no selection
 */
export function arbitrate(
  signals: readonly Signal[],
  weights: Readonly<Record<string, number>> = {},
  minConfidence = 0.1,
): Selection | undefined {
  const bySymbol = new Map<string, { net: number; total: number; signals: Signal[] }>();
  for (const s of signals) {
    if (s.direction === 'FLAT' || !(s.confidence > 0)) continue;
    const w = Math.max(0, weights[s.agentId] ?? 1);
    const entry = bySymbol.get(s.symbol) ?? { net: 0, total: 0, signals: [] };
    entry.net += (s.direction === 'LONG' ? 1 : -1) * w * s.confidence;
    entry.total += w;
    entry.signals.push(s);
    bySymbol.set(s.symbol, entry);
  }
  let best: Selection | undefined;
  for (const [symbol, { net, total, signals: votes }] of bySymbol) {
    if (!(total > 0) || net === 0) continue;
    const confidence = Math.abs(net) / total;
    if (confidence < minConfidence || (best && confidence <= best.confidence)) continue;
    const direction = net > 0 ? 'LONG' : 'SHORT';
    const supporting = votes.filter((s) => s.direction === direction);
    const weightSum = supporting.reduce((a, s) => a + s.confidence, 0);
    const sizeHint = supporting.reduce((a, s) => a + s.sizeHint * s.confidence, 0) / weightSum;
    best = { symbol, direction, confidence, sizeHint, supporting };
  }
  return best;
}
