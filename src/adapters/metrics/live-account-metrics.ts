// The live account's metrics (issue #15): the stream found silent, symbol holds, the account
// ledger, answers off schema. Part of the Metrics port the Prometheus adapter implements.
import type { Metrics } from '../../ports/metrics.ts';
import type { Catalogue } from './catalogue.ts';

export function liveAccountMetrics(
  c: Catalogue,
): Pick<
  Metrics,
  'streamSilent' | 'symbolHold' | 'symbolTrading' | 'ledgerEntry' | 'exchangeOffSchema'
> {
  return {
    symbolTrading: (symbol, trading) => void c.symbolTrading.set({ symbol }, trading ? 1 : 0),
    streamSilent: (exchange, reason) => c.streamSilent.inc({ exchange, reason }),
    symbolHold(symbol, cause, active) {
      if (active) c.symbolHold.set({ symbol, cause }, 1);
      else c.symbolHold.remove({ symbol, cause });
    },
    // Counters only go up: the amount by direction (in: credited, out: debited).
    ledgerEntry(kind, amountUsd) {
      if (amountUsd === 0 || !Number.isFinite(amountUsd)) return;
      c.ledgerUsd.inc({ kind, direction: amountUsd > 0 ? 'in' : 'out' }, Math.abs(amountUsd));
    },
    exchangeOffSchema: (exchange, operation) =>
      c.exchangeSchemaFailures.inc({ exchange, operation }),
  };
}
