// Books the exchange's funding payments into the worker's portfolio. Perpetual positions pay or
// receive funding every few hours; the exchange's wallet moves, so the worker's NAV must move with
// it or reconciliation would, after some days, find a balance gap and halt trading. Each payment
// is booked once (by its id, over windows that overlap a little) and stored as a `funding` event.
import { EventType, type EventStore } from '../../ports/event-store.ts';
import type { Exchange } from '../../ports/exchange.ts';
import type { LogPort } from '../../ports/log.ts';
import type { PortfolioBook } from '../portfolio/book.ts';
import { applyFunding } from '../portfolio/portfolio.ts';

/** Windows start this much before the newest payment seen: clocks and exchange bookkeeping lag. */
const OVERLAP_MS = 60_000;

export interface FundingBookerOptions {
  exchange: Pick<Exchange, 'fundingFees'>;
  book: PortfolioBook;
  store: EventStore;
  log: LogPort;
  /** Payments before this (the exchange's clock: Exchange.serverNowMs) are already in the book (the account read at start-up includes them). */
  startMs: number;
}

export interface FundingBooker {
  /** Reads new payments and books them; resolves with how many were booked. Throws what the exchange throws. */
  sync(): Promise<number>;
}

export function createFundingBooker(o: FundingBookerOptions): FundingBooker {
  let sinceMs = o.startMs;
  /** Ids booked within the overlap window (older ones cannot come back). */
  const seen = new Map<string, number>();
  return {
    async sync() {
      const fees = (await o.exchange.fundingFees(Math.max(o.startMs, sinceMs - OVERLAP_MS))).filter(
        (f) => f.timeMs >= o.startMs && !seen.has(f.id),
      );
      if (fees.length === 0) return 0;
      for (const f of fees) {
        o.book.update((p) => applyFunding(p, f.amountUsd));
        seen.set(f.id, f.timeMs);
        sinceMs = Math.max(sinceMs, f.timeMs);
      }
      for (const [id, t] of seen) if (t < sinceMs - 2 * OVERLAP_MS) seen.delete(id);
      await o.store.appendBatch(
        fees.map((f) => ({
          type: EventType.funding,
          stream: f.symbol,
          payload: { id: f.id, symbol: f.symbol, amount_usd: f.amountUsd, time_ms: f.timeMs },
          timeMs: f.timeMs,
        })),
      );
      o.log.info(
        { booked: fees.length, total_usd: fees.reduce((a, f) => a + f.amountUsd, 0) },
        'Funding payments booked',
      );
      return fees.length;
    },
  };
}
