// Books every change of the margin wallet the exchange reports (its income history) as what it is:
// funding, transfers in and out, insurance clearances, rebates, bonuses, and realised P&L and
// commission (recorded only: the fills booked them). Each row once, by type and id, over windows
// that overlap a little; stored as a `ledger` event, counted by kind; a deposit or withdrawal
// rebases the NAV references and raises an info alert. Reconciliation syncs it before it compares.
import type { AlertSink } from '../../ports/alerts.ts';
import { EventType, type EventStore } from '../../ports/event-store.ts';
import type { Exchange, IncomeRow } from '../../ports/exchange.ts';
import type { LogPort } from '../../ports/log.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { PortfolioBook } from '../portfolio/book.ts';
import {
  applyLedgerEntry,
  kindOfIncome,
  LEDGER_KINDS,
  type LedgerKind,
  treatmentOf,
} from './ledger.ts';

/** Windows start this much before the newest row seen: clocks and exchange bookkeeping lag. */
const OVERLAP_MS = 60_000;

export interface LedgerBookerOptions {
  exchange: Pick<Exchange, 'income'>;
  book: PortfolioBook;
  store: EventStore;
  log: LogPort;
  metrics: Pick<Metrics, 'ledgerEntry'>;
  alerts: Pick<AlertSink, 'raise'>;
  /** Rows before this (the exchange's clock) are already in the book (the account read at start-up includes them). */
  startMs: number;
}

export interface LedgerBooker {
  /** Reads new income rows and books them; resolves with how many were new. Throws what the exchange throws. */
  sync(): Promise<number>;
  /** USD booked per kind since the worker started (realised P&L and commission included, as recorded). */
  totals(): Readonly<Record<LedgerKind, number>>;
}

const keyOf = (r: IncomeRow) => `${r.type}:${r.id}`;

export function createLedgerBooker(o: LedgerBookerOptions): LedgerBooker {
  let sinceMs = o.startMs;
  /** Rows booked within the overlap window (older ones cannot come back). */
  const seen = new Map<string, number>();
  const totals = Object.fromEntries(LEDGER_KINDS.map((k) => [k, 0])) as Record<LedgerKind, number>;

  async function announce(kind: LedgerKind, r: IncomeRow) {
    const what = r.amountUsd > 0 ? 'in' : 'out';
    await o.alerts
      .raise({
        name: 'AccountCashMovement',
        severity: 'info',
        summary: `${Math.abs(r.amountUsd).toFixed(2)} USD ${what} of the account (${r.type}): NAV references rebased`,
        description:
          'A deposit, withdrawal, transfer or bonus moved the wallet. It is booked as cash, not as profit or loss: initial NAV, high-water mark and day-start NAV moved by the same amount, so P&L, drawdown and daily loss are unchanged.',
        labels: { component: 'ledger', kind },
      })
      .catch((e: unknown) => o.log.error({ err: e }, 'Ledger alert not raised'));
  }

  async function book(rows: IncomeRow[]) {
    for (const r of rows) {
      const kind = kindOfIncome(r.type);
      o.book.update((p) => applyLedgerEntry(p, kind, r.amountUsd));
      totals[kind] += r.amountUsd;
      o.metrics.ledgerEntry(kind, r.amountUsd);
      seen.set(keyOf(r), r.timeMs);
      sinceMs = Math.max(sinceMs, r.timeMs);
      if (kind === 'other') o.log.warn({ income_type: r.type }, 'Income of an unknown type booked');
    }
    await o.store.appendBatch(
      rows.map((r) => {
        const kind = kindOfIncome(r.type);
        return {
          type: EventType.ledger,
          stream: kind,
          payload: {
            id: r.id,
            kind,
            income_type: r.type,
            treatment: treatmentOf(kind),
            symbol: r.symbol,
            amount_usd: r.amountUsd,
            time_ms: r.timeMs,
          },
        };
      }),
    );
    for (const r of rows)
      if (treatmentOf(kindOfIncome(r.type)) === 'cash_movement')
        await announce(kindOfIncome(r.type), r);
  }

  async function syncOnce(): Promise<number> {
    const rows = (await o.exchange.income(Math.max(o.startMs, sinceMs - OVERLAP_MS))).filter(
      (r) => r.timeMs >= o.startMs && !seen.has(keyOf(r)),
    );
    if (rows.length === 0) return 0;
    await book(rows);
    for (const [id, t] of seen) if (t < sinceMs - 2 * OVERLAP_MS) seen.delete(id);
    o.log.info(
      { booked: rows.length, total_usd: rows.reduce((a, r) => a + r.amountUsd, 0) },
      'Account ledger booked',
    );
    return rows.length;
  }

  // One read at a time: the stream (a deposit) and reconciliation may ask at once, and two reads
  // in parallel would both book the same new rows.
  let chain: Promise<unknown> = Promise.resolve();
  return {
    sync(): Promise<number> {
      const run = chain.then(syncOnce);
      chain = run.catch(() => undefined);
      return run;
    },
    totals: () => ({ ...totals }),
  };
}
