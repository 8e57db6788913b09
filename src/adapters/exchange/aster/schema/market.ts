// Market data answers: GET /fapi/v1/premiumIndex (mark price) and /fapi/v1/klines (candles, as
// positional arrays: open time, open, high, low, close, volume, close time, then fields unused here).
import { z } from 'zod';
import type { Candle, MarkPrice } from '../../../../ports/exchange.ts';
import { decimal, millis } from './common.ts';

export const premiumIndex = z
  .object({ symbol: z.string(), markPrice: decimal, time: millis })
  .transform((p): MarkPrice => ({ symbol: p.symbol, markPrice: p.markPrice, timeMs: p.time }));

/** premiumIndex without a symbol: an array of the same rows, every listed symbol. */
export const premiumIndexAll = z.array(premiumIndex);

export const klines = z.array(
  z
    .tuple([millis, decimal, decimal, decimal, decimal, decimal, millis])
    .rest(z.unknown())
    .transform(([openTimeMs, open, high, low, close, volume, closeTimeMs]): Candle => ({
      openTimeMs,
      open,
      high,
      low,
      close,
      volume,
      closeTimeMs,
    })),
);
