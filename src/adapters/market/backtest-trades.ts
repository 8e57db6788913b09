// A backtest's trades as a file (npm run backtest -- --trades out.csv | out.json): one row per
// fill of the paper exchange, in time order, with its fee and realised P&L in USD. CSV has a header
// line and plain decimals (RFC 4180; no field needs quoting: ids and symbols are [A-Za-z0-9_-]);
// JSON is an array of the same rows under the same snake_case names, decimals as strings (as the
// exchange sends them), times as numbers.
import type { ExchangeTrade } from '../../ports/exchange.ts';

/** The file formats, chosen by the file's extension. */
export type TradesFormat = 'csv' | 'json';

/** `.csv` or `.json` (any case); undefined for any other name. */
export function tradesFormatOf(path: string): TradesFormat | undefined {
  const ext = /\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase();
  return ext === 'csv' || ext === 'json' ? ext : undefined;
}

const COLUMNS = [
  'time',
  'time_ms',
  'symbol',
  'side',
  'quantity',
  'price',
  'notional_usd',
  'fee_usd',
  'realized_pnl_usd',
  'trade_id',
  'order_id',
] as const;

type TradeRow = Record<(typeof COLUMNS)[number], string | number>;

/**
 * A plain decimal (never an exponent) with at most `places` decimals, trailing zeros dropped:
 * float noise goes (a realised P&L of 2.6e-12 on an opening fill prints as 0), real digits stay
 * (quantities and prices to 10 places, USD to 8: far below a cent).
 */
export function plain(x: number, places: number): string {
  const s = x.toFixed(places).replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
}

function rowOf(t: ExchangeTrade): TradeRow {
  return {
    time: new Date(t.timeMs).toISOString(),
    time_ms: t.timeMs,
    symbol: t.symbol,
    side: t.side,
    quantity: plain(t.quantity, 10),
    price: plain(t.price, 10),
    notional_usd: plain(t.quantity * t.price, 8),
    fee_usd: plain(t.feeUsd, 8),
    realized_pnl_usd: plain(t.realizedPnlUsd, 8),
    trade_id: t.id,
    order_id: t.orderId,
  };
}

/** The trades as the text of a file in `format`, oldest first (ties keep the exchange's order). */
export function formatTrades(trades: readonly ExchangeTrade[], format: TradesFormat): string {
  const rows = [...trades].sort((a, b) => a.timeMs - b.timeMs).map(rowOf);
  if (format === 'json') return `${JSON.stringify(rows, null, 1)}\n`;
  const lines = rows.map((r) => COLUMNS.map((c) => String(r[c])).join(','));
  return `${[COLUMNS.join(','), ...lines].join('\n')}\n`;
}
