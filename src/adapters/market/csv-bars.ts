// Reads bars from CSV text: a header naming at least `time,symbol,open,high,low,close` (any order,
// `volume` optional), one bar a line; `time` is the bar's open time in epoch milliseconds or
// ISO-8601. A malformed line is refused with its line number, never skipped.
import { AisError } from '../../domain/errors.ts';
import type { SymbolBar } from '../../domain/market/replay.ts';

const REQUIRED = ['time', 'symbol', 'open', 'high', 'low', 'close'] as const;

/** A CSV the bars cannot be read from; the message names the line. `code` csv_bars_invalid. */
export class CsvBarsError extends AisError {
  constructor(message: string) {
    super('csv_bars_invalid', message);
  }
}

export function parseCsvBars(text: string, barMs?: number): SymbolBar[] {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  for (const name of REQUIRED)
    if (!header.includes(name))
      throw new CsvBarsError(
        `line 1: the header must name ${REQUIRED.join(', ')} (missing ${name})`,
      );
  const col = (name: string) => header.indexOf(name);
  const rows: { line: number; cells: string[] }[] = [];
  for (let i = 1; i < lines.length; i++)
    if (lines[i]!.trim() !== '')
      rows.push({ line: i + 1, cells: lines[i]!.split(',').map((c) => c.trim()) });
  if (rows.length === 0) throw new CsvBarsError('no bars after the header');
  const bars = rows.map(({ line, cells }) => {
    const at = (name: string) => cells[col(name)] ?? '';
    const num = (name: string) => {
      const v = Number(at(name));
      if (!(v > 0 && Number.isFinite(v)))
        throw new CsvBarsError(
          `line ${line}: ${name} must be a positive number (got "${at(name)}")`,
        );
      return v;
    };
    const t = /^\d+$/.test(at('time')) ? Number(at('time')) : Date.parse(at('time'));
    if (!Number.isFinite(t))
      throw new CsvBarsError(
        `line ${line}: time must be epoch milliseconds or ISO-8601 (got "${at('time')}")`,
      );
    const symbol = at('symbol');
    if (!/^[A-Z0-9]{2,20}$/.test(symbol))
      throw new CsvBarsError(
        `line ${line}: symbol must be upper-case letters and digits (got "${symbol}")`,
      );
    const [open, high, low, close] = [num('open'), num('high'), num('low'), num('close')];
    if (low > Math.min(open, close) || high < Math.max(open, close))
      throw new CsvBarsError(`line ${line}: low and high must bracket open and close`);
    const volume = col('volume') >= 0 && at('volume') !== '' ? Number(at('volume')) : 0;
    return {
      symbol,
      openTimeMs: t,
      open,
      high,
      low,
      close,
      volume: Number.isFinite(volume) ? volume : 0,
      closeTimeMs: t,
    };
  });
  // Close times: the next bar's open (per symbol), or the given/most common bar length for the last one.
  const step = barMs ?? guessBarMs(bars);
  for (const b of bars) b.closeTimeMs = b.openTimeMs + step - 1;
  return bars;
}

function guessBarMs(bars: SymbolBar[]): number {
  const bySymbol = new Map<string, number[]>();
  for (const b of bars) bySymbol.set(b.symbol, [...(bySymbol.get(b.symbol) ?? []), b.openTimeMs]);
  let best = Infinity;
  for (const times of bySymbol.values()) {
    times.sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++)
      if (times[i]! - times[i - 1]! > 0) best = Math.min(best, times[i]! - times[i - 1]!);
  }
  return Number.isFinite(best) ? best : 60_000;
}
