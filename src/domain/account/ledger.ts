// The account ledger's rules: what each change of the margin wallet the exchange reports is, and
// how it moves the book. Pure. Sources: Aster "Get Income History" (income types TRANSFER,
// WELCOME_BONUS, REALIZED_PNL, FUNDING_FEE, COMMISSION, INSURANCE_CLEAR,
// MARKET_MERCHANT_RETURN_REWARD) and the Binance USD-M types Aster's API follows (COMMISSION_REBATE,
// REFERRAL_KICKBACK, API_REBATE, INTERNAL_TRANSFER, ...); "Event: Balance and Position Update" for
// the ACCOUNT_UPDATE reasons (field `m`).
import type { Portfolio } from '../portfolio/portfolio.ts';
import { applyFunding } from '../portfolio/portfolio.ts';

/** What a wallet change is. Bounded: it is a metric label. */
export const LEDGER_KINDS = [
  'realized_pnl',
  'commission',
  'funding',
  'transfer',
  'insurance_clear',
  'rebate',
  'bonus',
  'other',
] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/**
 * How a kind moves the book:
 * - `in_trades`: already in cash through the fill it belongs to (realised P&L and commission are
 *   booked with each trade); recorded, not booked again.
 * - `pnl`: cash moves and it counts as profit or loss (funding, an insurance clearance, a rebate,
 *   a type we do not know: a loss of unknown cause counts against the daily-loss limit).
 * - `cash_movement`: money in or out of the account, not earned or lost by trading (a deposit, a
 *   withdrawal, a transfer, a bonus): cash moves and so does every NAV reference (initial NAV,
 *   high-water mark, day start), so P&L, drawdown and daily loss are unchanged by it.
 */
export type LedgerTreatment = 'in_trades' | 'pnl' | 'cash_movement';

const KIND_OF_INCOME: Readonly<Record<string, LedgerKind>> = {
  REALIZED_PNL: 'realized_pnl',
  COMMISSION: 'commission',
  FUNDING_FEE: 'funding',
  TRANSFER: 'transfer',
  INTERNAL_TRANSFER: 'transfer',
  CROSS_COLLATERAL_TRANSFER: 'transfer',
  STRATEGY_UMFUTURES_TRANSFER: 'transfer',
  COIN_SWAP_DEPOSIT: 'transfer',
  COIN_SWAP_WITHDRAW: 'transfer',
  INSURANCE_CLEAR: 'insurance_clear',
  MARKET_MERCHANT_RETURN_REWARD: 'rebate',
  COMMISSION_REBATE: 'rebate',
  REFERRAL_KICKBACK: 'rebate',
  API_REBATE: 'rebate',
  FEE_RETURN: 'rebate',
  WELCOME_BONUS: 'bonus',
  CONTEST_REWARD: 'bonus',
};

/** The kind of an income row by its `incomeType`; `other` for a type the table does not know. */
export const kindOfIncome = (incomeType: string): LedgerKind =>
  KIND_OF_INCOME[incomeType] ?? 'other';

export function treatmentOf(kind: LedgerKind): LedgerTreatment {
  if (kind === 'realized_pnl' || kind === 'commission') return 'in_trades';
  if (kind === 'transfer' || kind === 'bonus') return 'cash_movement';
  return 'pnl';
}

/** Money in (+) or out (−) of the account: cash and every NAV reference move by `amountUsd`. */
export function rebaseReferences(p: Portfolio, amountUsd: number): Portfolio {
  if (!Number.isFinite(amountUsd) || amountUsd === 0) return p;
  return {
    ...p,
    initialNavUsd: p.initialNavUsd + amountUsd,
    peakNavUsd: p.peakNavUsd + amountUsd,
    dayStartNavUsd: p.dayStartNavUsd + amountUsd,
  };
}

/** Books one wallet change of `kind` into the book (see LedgerTreatment). */
export function applyLedgerEntry(p: Portfolio, kind: LedgerKind, amountUsd: number): Portfolio {
  const treatment = treatmentOf(kind);
  if (treatment === 'in_trades') return p;
  if (treatment === 'pnl') return applyFunding(p, amountUsd);
  return rebaseReferences({ ...p, cashUsd: p.cashUsd + amountUsd }, amountUsd);
}

/**
 * ACCOUNT_UPDATE reasons (`m`) that move the wallet for something other than a trade or funding:
 * the ledger reads the income history at once when one arrives. ORDER and FUNDING_FEE are left to
 * the fills and the regular ledger read; MARGIN_TYPE_CHANGE moves nothing.
 */
export const WALLET_REASONS: ReadonlySet<string> = new Set([
  'DEPOSIT',
  'WITHDRAW',
  'WITHDRAW_REJECT',
  'ADJUSTMENT',
  'INSURANCE_CLEAR',
  'ADMIN_DEPOSIT',
  'ADMIN_WITHDRAW',
  'MARGIN_TRANSFER',
  'ASSET_TRANSFER',
  'OPTIONS_PREMIUM_FEE',
  'OPTIONS_SETTLE_PROFIT',
  'AUTO_EXCHANGE',
]);
