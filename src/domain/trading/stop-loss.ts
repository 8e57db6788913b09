// Per-position stop-loss: a position whose loss from its average entry reaches `stopLoss` (a
// fraction, 0.03 = 3 %) is closed whole. Pure: positions and prices in, closing orders out.
import type { Position } from '../portfolio/portfolio.ts';

export interface StopOrder {
  symbol: string;
  side: 'BUY' | 'SELL';
  quantity: number;
  price: number;
  /** The loss from entry that triggered it, as a fraction (positive). */
  loss: number;
}

export function stopLossOrders(positions: Readonly<Record<string, Position>>, stopLoss: number): StopOrder[] {
  if (!(stopLoss > 0)) return [];
  const orders: StopOrder[] = [];
  for (const p of Object.values(positions)) {
    if (p.quantity === 0 || !(p.avgEntryPrice > 0) || !(p.markPrice > 0)) continue;
    const loss = (Math.sign(p.quantity) * (p.avgEntryPrice - p.markPrice)) / p.avgEntryPrice;
    if (loss >= stopLoss) {
      orders.push({ symbol: p.symbol, side: p.quantity > 0 ? 'SELL' : 'BUY', quantity: Math.abs(p.quantity), price: p.markPrice, loss });
    }
  }
  return orders;
}
