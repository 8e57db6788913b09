// The live account's metrics (issue #15; names, types, labels and HELP texts): the account
// ledger, symbol holds, the user-data stream found silent, exchange answers off schema.
import type { MetricMakers } from './metric-makers.ts';

export const liveAccountCatalogue = ({ gauge, counter }: MetricMakers) => ({
  ledgerUsd: counter(
    'ais_account_ledger_usd_total',
    'USD booked by the account ledger since start, by kind (realized_pnl, commission, funding, transfer, insurance_clear, rebate, bonus, other) and direction (in: credited, out: debited).',
    ['kind', 'direction'],
  ),
  symbolHold: gauge(
    'ais_symbol_hold',
    '1 while a symbol is held (REDUCING or HALTED for that symbol alone), by symbol and cause (liquidation, delisted, settings); absent otherwise.',
    ['symbol', 'cause'],
  ),
  symbolTrading: gauge(
    'ais_symbol_trading',
    "1 while a traded symbol's status in exchangeInfo is TRADING, 0 while it is not (SETTLING, CLOSE, PENDING_TRADING …: a delisting or a break), by symbol; set on every read of the rules (AIS_SYMBOL_RULES_REFRESH_S).",
    ['symbol'],
  ),
  streamSilent: counter(
    'ais_exchange_stream_silent_total',
    'Times the user-data stream was found silent and restarted with a new listen key, by exchange and reason (listen_key_gone: the probe answered -1125; no_events: REST saw a trade the stream never carried).',
    ['exchange', 'reason'],
  ),
  exchangeSchemaFailures: counter(
    'ais_exchange_schema_failures_total',
    'Exchange answers that were JSON but off the documented shape (a field missing or mistyped), by exchange and operation: that read failed; breakers do not count it.',
    ['exchange', 'operation'],
  ),
});
