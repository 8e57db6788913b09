// Per-position stop-loss: a position whose loss from its average entry reaches `stopLoss` (a
// fraction, 0.03 = 3 %) is closed whole. Pure: positions and prices in, closing orders out.
import type { OrderIntent } from '../order-intent.ts';
import type { Position } from '../portfolio/portfolio.ts';

/** A closing order intent before it has an id, at the mark; `loss` (a positive fraction) is the loss from entry that triggered it. */
export type StopOrder = Pick<OrderIntent, 'symbol' | 'side' | 'quantity' | 'price'> & {
  loss: number;
};

/** A whole-position close for every position whose loss from entry reached `stopLoss` (0 = off). */
export function stopLossOrders(
  positions: Readonly<Record<string, Position>>,
  stopLoss: number,
): StopOrder[] {
  if (!(stopLoss > 0)) return [];
  const orders: StopOrder[] = [];
  for (const p of Object.values(positions)) {
    if (p.quantity === 0 || !(p.avgEntryPrice > 0) || !(p.markPrice > 0)) continue;
    const loss = (Math.sign(p.quantity) * (p.avgEntryPrice - p.markPrice)) / p.avgEntryPrice;
    if (loss >= stopLoss) {
      orders.push({
        symbol: p.symbol,
        side: p.quantity > 0 ? 'SELL' : 'BUY',
        quantity: Math.abs(p.quantity),
        price: p.markPrice,
        loss,
      });
    }
  }
  return orders;
}
