// Account answers: GET /fapi/v2/balance, /fapi/v2/positionRisk, /fapi/v1/userTrades, /fapi/v1/income,
// /fapi/v1/positionSide/dual and the leverage / margin-type changes (v3.md "Futures Account Balance
// v3", "Position Information v3", "Account Trade List", "Get Current Position Mode", "Change Initial
// Leverage", "Change Margin Type"; the V1 paths answer the same shapes).
// Extra fields are ignored; the ones read here must be present and well-formed.
import { z } from 'zod';
import type {
  ExchangeBalance,
  ExchangePosition,
  ExchangeTrade,
} from '../../../../ports/exchange.ts';
import { decimal, id, millis, side } from './common.ts';

export const balances = z.array(
  z.object({ asset: z.string(), balance: decimal, availableBalance: decimal }),
);

/**
 * The row of `asset`; an account that never held it has a zero balance. `crossUnPnl` is not read:
 * it is the P&L of cross-margin positions only (v3.md, "Futures Account Balance v3": "unrealized
 * profit of crossed positions") while `balance` is the whole wallet, isolated margin included, so
 * wallet + crossUnPnl left out an isolated position's P&L and the reconciliation balance check
 * halted trading on it. The equity is accountEquityUsd(balance, positions).
 */
export function toBalance(rows: z.infer<typeof balances>, asset: string): ExchangeBalance {
  const row = rows.find((r) => r.asset === asset) ?? { balance: 0, availableBalance: 0 };
  return { asset, walletUsd: row.balance, availableUsd: row.availableBalance };
}

/** One positionRisk row: `marginType` "cross" or "isolated" (lower case on the wire), `positionSide` BOTH in one-way mode, LONG/SHORT in hedge mode. */
const positionRow = z.object({
  symbol: z.string(),
  positionAmt: decimal,
  entryPrice: decimal,
  markPrice: decimal,
  unRealizedProfit: decimal,
  marginType: z
    .string()
    .transform((m) => m.toUpperCase())
    .pipe(z.enum(['CROSS', 'ISOLATED']))
    .optional(),
  leverage: z.union([z.string().regex(/^\d+$/).transform(Number), z.number().int()]).optional(),
  positionSide: z.enum(['BOTH', 'LONG', 'SHORT']).optional(),
});

/** positionAmt is already signed (negative = short), in one-way and hedge mode alike. */
export const positions = z.array(
  positionRow.transform((p): ExchangePosition => ({
    symbol: p.symbol,
    quantity: p.positionAmt,
    entryPrice: p.entryPrice,
    markPrice: p.markPrice,
    unrealizedPnlUsd: p.unRealizedProfit,
  })),
);

/** The account settings per symbol, from the same rows (every listed symbol, open or not). */
export const positionSettings = z.array(
  positionRow.required({ marginType: true, leverage: true, positionSide: true }).transform((p) => ({
    symbol: p.symbol,
    quantity: p.positionAmt,
    marginType: p.marginType === 'CROSS' ? ('CROSSED' as const) : ('ISOLATED' as const),
    leverage: p.leverage,
    positionSide: p.positionSide,
  })),
);

/** Margin data per symbol from positionRisk (every listed symbol): leverage and, for an open position, the liquidation price ("0": none). */
export const positionMargins = z.array(
  positionRow
    .required({ leverage: true })
    .extend({ liquidationPrice: decimal, isolatedMargin: decimal.optional() })
    .transform((p) => ({
      symbol: p.symbol,
      quantity: p.positionAmt,
      entryPrice: p.entryPrice,
      markPrice: p.markPrice,
      liquidationPrice: p.liquidationPrice,
      leverage: p.leverage,
      isolated: p.marginType === 'ISOLATED',
      // isolatedMargin is the isolated wallet plus the position's unrealised P&L (Binance's field).
      ...(p.marginType === 'ISOLATED' && {
        isolatedWalletUsd:
          p.isolatedMargin !== undefined
            ? p.isolatedMargin - p.unRealizedProfit
            : (Math.abs(p.positionAmt) * p.entryPrice) / Math.max(1, p.leverage),
      }),
    })),
);

/**
 * GET /fapi/v4/account (V3: /fapi/v3/accountWithJoinMargin; v3.md "Account Information v3"): the
 * margin asset's row of `assets` (walletBalance, marginBalance, maintMargin, availableBalance).
 */
export const accountInfo = z.object({
  assets: z.array(
    z.object({
      asset: z.string(),
      walletBalance: decimal,
      marginBalance: decimal,
      maintMargin: decimal,
      availableBalance: decimal,
    }),
  ),
});

/** GET positionSide/dual: `dualSidePosition` true = hedge mode (a long and a short leg per symbol). */
export const positionMode = z.object({ dualSidePosition: z.boolean() });

/** POST leverage answers the leverage now in force. */
export const leverageChange = z.object({
  symbol: z.string(),
  leverage: z.number().int().positive(),
});

/** POST marginType / positionSide/dual answer `{"code": 200, "msg": "success"}`. */
export const success = z.object({ code: z.literal(200), msg: z.string() });

/**
 * Trades in the margin asset `asset`. `commission` is signed: positive a cost, negative a rebate.
 * A commission in another asset (`commissionAsset` BNB, ASTER…) is kept as `foreignFee` and not
 * booked against the margin wallet (see ExchangeTrade.foreignFee).
 */
export const tradesIn = (asset: string) =>
  z.array(
    z
      .object({
        id,
        orderId: id,
        symbol: z.string(),
        side,
        qty: decimal,
        price: decimal,
        commission: decimal,
        commissionAsset: z.string(),
        realizedPnl: decimal,
        time: millis,
      })
      .transform((t): ExchangeTrade => ({
        id: t.id,
        orderId: t.orderId,
        symbol: t.symbol,
        side: t.side,
        quantity: t.qty,
        price: t.price,
        feeUsd: t.commissionAsset === asset ? t.commission : 0,
        ...(t.commissionAsset === asset
          ? {}
          : { foreignFee: { asset: t.commissionAsset, amount: t.commission } }),
        realizedPnlUsd: t.realizedPnl,
        timeMs: t.time,
      })),
  );

/** GET /fapi/v1/income: `income` is signed (positive credited); `tranId` a number or a string (the docs show both). */
export const incomeRows = z.array(
  z
    .object({
      symbol: z.string(),
      incomeType: z.string(),
      income: decimal,
      asset: z.string(),
      time: millis,
      tranId: z.union([z.number(), z.string()]),
    })
    .transform((r) => ({
      id: String(r.tranId),
      symbol: r.symbol,
      amountUsd: r.income,
      timeMs: r.time,
      incomeType: r.incomeType,
      asset: r.asset,
    })),
);
