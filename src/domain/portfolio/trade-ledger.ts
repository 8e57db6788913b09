// Fills as trades: each recorded fill booked in order on an average-cost book (applyFill), which
// gives the P&L it realised (the closing part's price minus the average entry) besides its fee.
// Pure: the caller keeps the book between calls and feeds fills oldest first.
import { applyFill, createPortfolio, type Portfolio } from './portfolio.ts';

export interface LedgerFill {
  id: number;
  timeMs: number;
  symbol: string;
  side: 'BUY' | 'SELL';
  quantity: number;
  price: number;
  feeUsd: number;
  /** Not from an order of ours (liquidation, adl, other). */
  foreign?: string;
}

export interface LedgerRow extends LedgerFill {
  /** P&L realised by the part of the fill that closed a position (USD, before the fee). */
  realisedUsd: number;
  /** The symbol's signed position after the fill. */
  positionAfter: number;
}

/** An empty book to start a ledger from. */
export const emptyLedgerBook = (): Portfolio => createPortfolio(0);

/** What `f` realises against the book's position: the closing part × (price − average entry), applyFill's rule. */
function realised(book: Portfolio, f: LedgerFill): number {
  const old = book.positions[f.symbol];
  if (!old || old.quantity === 0) return 0;
  const signed = f.side === 'BUY' ? f.quantity : -f.quantity;
  if (Math.sign(signed) === Math.sign(old.quantity)) return 0;
  const closing = Math.min(f.quantity, Math.abs(old.quantity));
  return closing * (f.price - old.avgEntryPrice) * Math.sign(old.quantity);
}

/** Books `fills` (oldest first) on `book`; answers the new book and one row per fill. */
export function bookFills(
  book: Portfolio,
  fills: readonly LedgerFill[],
): { book: Portfolio; rows: LedgerRow[] } {
  const rows: LedgerRow[] = [];
  for (const f of fills) {
    const next = applyFill(book, f);
    rows.push({
      ...f,
      realisedUsd: realised(book, f),
      positionAfter: next.positions[f.symbol]?.quantity ?? 0,
    });
    book = next;
  }
  return { book, rows };
}
