// Account answers: GET /fapi/v2/balance, /fapi/v2/positionRisk, /fapi/v1/userTrades.
// Extra fields are ignored; the ones read here must be present and well-formed.
import { z } from 'zod';
import type { ExchangeBalance, ExchangePosition, ExchangeTrade } from '../../../../ports/exchange.ts';
import { decimal, id, millis, side } from './common.ts';

export const balances = z.array(
  z.object({ asset: z.string(), balance: decimal, crossUnPnl: decimal, availableBalance: decimal }),
);

/** The row of `asset`; an account that never held it has a zero balance. */
export function toBalance(rows: z.infer<typeof balances>, asset: string): ExchangeBalance {
  const row = rows.find((r) => r.asset === asset) ?? { balance: 0, crossUnPnl: 0, availableBalance: 0 };
  return {
    asset,
    walletUsd: row.balance,
    unrealizedPnlUsd: row.crossUnPnl,
    equityUsd: row.balance + row.crossUnPnl,
    availableUsd: row.availableBalance,
  };
}

/** positionAmt is already signed (negative = short), in one-way and hedge mode alike. */
export const positions = z.array(
  z
    .object({ symbol: z.string(), positionAmt: decimal, entryPrice: decimal, markPrice: decimal, unRealizedProfit: decimal })
    .transform(
      (p): ExchangePosition => ({
        symbol: p.symbol,
        quantity: p.positionAmt,
        entryPrice: p.entryPrice,
        markPrice: p.markPrice,
        unrealizedPnlUsd: p.unRealizedProfit,
      }),
    ),
);

/** `commission` is a cost when positive (a maker rebate would be negative), in `commissionAsset`. */
export const trades = z.array(
  z
    .object({ id, orderId: id, symbol: z.string(), side, qty: decimal, price: decimal, commission: decimal, realizedPnl: decimal, time: millis })
    .transform(
      (t): ExchangeTrade => ({
        id: t.id,
        orderId: t.orderId,
        symbol: t.symbol,
        side: t.side,
        quantity: t.qty,
        price: t.price,
        feeUsd: t.commission,
        realizedPnlUsd: t.realizedPnl,
        timeMs: t.time,
      }),
    ),
);

/** GET /fapi/v1/income?incomeType=FUNDING_FEE: `income` is signed (positive received). */
export const fundingIncome = z.array(
  z
    .object({ symbol: z.string(), incomeType: z.string(), income: decimal, asset: z.string(), time: millis, tranId: z.union([z.number(), z.string()]) })
    .transform((r) => ({ id: String(r.tranId), symbol: r.symbol, amountUsd: r.income, timeMs: r.time, incomeType: r.incomeType, asset: r.asset })),
);
