// The fake's income history (Aster "Get Income History"): every change of the wallet with its
// cause. Rows a test adds (funding, transfers in and out, insurance clearance, rebates, bonuses:
// addIncome) plus the rows every trade leaves, as the exchange keeps them: REALIZED_PNL when the
// trade realised any, COMMISSION (negative paid, positive a rebate) in the commission's asset.
import type { FakeTrade } from './engine.ts';

export interface FakeIncome {
  tranId: number;
  incomeType: string;
  symbol: string;
  income: number;
  asset: string;
  time: number;
  tradeId: string;
}

/** Every row, oldest first: the added ones and those of each trade. */
export function incomeRows(
  added: readonly FakeIncome[],
  trades: readonly FakeTrade[],
): FakeIncome[] {
  const ofTrades = trades.flatMap((t) => {
    const rows: FakeIncome[] = [];
    const base = { symbol: t.symbol, time: t.time, tradeId: String(t.id) };
    if (t.realizedPnl !== 0)
      rows.push({
        ...base,
        tranId: 2 * t.id,
        incomeType: 'REALIZED_PNL',
        income: t.realizedPnl,
        asset: 'USDT',
      });
    if (t.commission !== 0)
      rows.push({
        ...base,
        tranId: 2 * t.id + 1,
        incomeType: 'COMMISSION',
        income: -t.commission,
        asset: t.commissionAsset,
      });
    return rows;
  });
  return [...added, ...ofTrades].sort((a, b) => a.time - b.time || a.tranId - b.tranId);
}

/** The ACCOUNT_UPDATE reason (`m`) the stream pushes for an income row a test adds. */
export function reasonOf(incomeType: string, income: number): string {
  if (incomeType === 'TRANSFER') return income >= 0 ? 'DEPOSIT' : 'WITHDRAW';
  if (incomeType === 'FUNDING_FEE' || incomeType === 'INSURANCE_CLEAR') return incomeType;
  return 'ADJUSTMENT';
}
