// A restart after money moved in or out of the account: the stored drawdown and daily-loss
// references (the last portfolio snapshot) predate a deposit or withdrawal the wallet read at
// start-up already holds. Without a rebase, a withdrawal larger than the drawdown limit would trip
// the kill switch on the first cycle. The rows found here are stored as `ledger` events, so the next
// restart does not rebase for them twice.
import { EventType, type EventStore } from '../../ports/event-store.ts';
import type { Exchange, IncomeRow } from '../../ports/exchange.ts';
import { kindOfIncome, treatmentOf } from './ledger.ts';

/** How far before the snapshot income rows are read (the exchange's clock may differ a little, and the old process books a row up to one reconciliation interval late). */
const LOOKBACK_MS = 60 * 60_000;

interface StoredReferences {
  peakNavUsd: number;
  dayStartNavUsd: number;
  /** When the snapshot was stored (the store's clock). */
  timeMs: number;
}

/**
 * The references moved by every cash movement (transfer, bonus) the exchange booked from an hour
 * before the snapshot on, except those the old process had booked (a `ledger` event stored no later
 * than the snapshot). Stores a `ledger` event for each one it applies. Throws what the exchange or the store throws.
 */
export async function rebaseForCashMoved(
  o: { exchange: Pick<Exchange, 'income'>; store: Pick<EventStore, 'query' | 'appendBatch'> },
  refs: StoredReferences,
): Promise<{ refs: StoredReferences; movedUsd: number; rows: IncomeRow[] }> {
  const since = refs.timeMs - LOOKBACK_MS;
  const moved = (await o.exchange.income(since)).filter(
    (r) => treatmentOf(kindOfIncome(r.type)) === 'cash_movement',
  );
  const booked = new Set(
    (await o.store.query({ type: EventType.ledger, sinceMs: since - LOOKBACK_MS }))
      .filter((e) => e.timeMs <= refs.timeMs)
      .map((e) => `${e.payload.income_type}:${e.payload.id}`),
  );
  const rows = moved.filter((r) => !booked.has(`${r.type}:${r.id}`));
  const movedUsd = rows.reduce((a, r) => a + r.amountUsd, 0);
  if (rows.length > 0)
    await o.store.appendBatch(
      rows.map((r) => ({
        type: EventType.ledger,
        stream: kindOfIncome(r.type),
        payload: {
          id: r.id,
          kind: kindOfIncome(r.type),
          income_type: r.type,
          treatment: 'cash_movement' as const,
          symbol: r.symbol,
          amount_usd: r.amountUsd,
          time_ms: r.timeMs,
        },
      })),
    );
  return {
    refs: {
      ...refs,
      peakNavUsd: refs.peakNavUsd + movedUsd,
      dayStartNavUsd: refs.dayStartNavUsd + movedUsd,
    },
    movedUsd,
    rows,
  };
}
