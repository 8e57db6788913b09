// The unauthorized-trade check of reconciliation: each symbol's trades split into ours, the
// exchange's own (liquidation, ADL) and foreign ones. One result per symbol that traded.
import type { CheckResult } from './report.ts';
import type { ExchangeSnapshot, InternalSnapshot } from './reconcile.ts';

/** How many foreign order ids one unauthorized_trade message names (the count is always exact). */
const LISTED_IDS = 5;

/**
 * One result per symbol that traded, not one per trade: a report is stored as one event and must
 * stay small when thousands of foreign trades show up. The message names the first few order ids.
 */
export function checkTrades(
  sent: InternalSnapshot['sentOrderIds'],
  trades: ExchangeSnapshot['trades'],
  out: CheckResult[],
  exchangeKind: InternalSnapshot['exchangeOrderKind'] = () => undefined,
): void {
  const isOurs = typeof sent === 'function' ? sent : (id: string) => sent.has(id);
  const bySymbol = new Map<
    string,
    { total: number; foreign: number; forced: number; orderIds: Set<string> }
  >();
  for (const t of trades) {
    let s = bySymbol.get(t.symbol);
    if (!s) bySymbol.set(t.symbol, (s = { total: 0, foreign: 0, forced: 0, orderIds: new Set() }));
    s.total++;
    if (isOurs(t.orderId)) continue;
    if (exchangeKind(t.orderId)) {
      s.forced++;
      continue;
    }
    s.foreign++;
    s.orderIds.add(t.orderId);
  }
  for (const [symbol, s] of bySymbol) {
    const base = {
      checkType: 'unauthorized_trade' as const,
      symbol,
      internalValue: 0,
      exchangeValue: s.foreign,
    };
    if (s.foreign === 0)
      out.push({
        ...base,
        status: 'MATCH',
        message:
          s.forced === 0
            ? `${symbol}: ${s.total} trades, all from orders we sent`
            : `${symbol}: ${s.total} trades, from orders we sent and ${s.forced} from the exchange's own liquidation or ADL orders`,
      });
    else {
      const ids =
        [...s.orderIds].slice(0, LISTED_IDS).join(', ') +
        (s.orderIds.size > LISTED_IDS ? ', …' : '');
      const message = `${symbol}: ${s.foreign} of ${s.total} trades come from ${s.orderIds.size} order(s) we never sent (${ids})`;
      out.push({ ...base, status: 'MISMATCH', message });
    }
  }
}
