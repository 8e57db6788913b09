// The account's own history on Aster: the income of every type ("Get Income History", weight 30)
// and the exchange's forced orders ("User's Force Orders", weight 50 without a symbol). Windows
// start at a LONG (floored: param-types.ts).
import type { Exchange } from '../../../ports/exchange.ts';
import type { AsterClient } from './client.ts';
import { msParam } from './param-types.ts';
import { incomeRows } from './schema/account.ts';
import { forcedOrders } from './schema/order.ts';

/** Exchange.income and Exchange.forcedOrders over `client`, each read through `read` (retries). */
export function accountHistory(
  client: AsterClient,
  read: <T>(fn: () => Promise<T>) => Promise<T>,
  asset: string,
): Pick<Exchange, 'income' | 'forcedOrders'> {
  return {
    // Every income type (no incomeType parameter): the ledger books each as what it is; rows in
    // other assets leave the margin wallet alone.
    income: (sinceMs, limit = 1_000) =>
      read(async () =>
        (
          await client.signed(
            'income',
            'GET',
            '/fapi/v1/income',
            { startTime: msParam(sinceMs), limit },
            incomeRows,
          )
        )
          .filter((r) => r.asset === asset)
          .map(({ id, incomeType, symbol, amountUsd, timeMs }) => ({
            id,
            type: incomeType,
            symbol,
            amountUsd,
            timeMs,
          })),
      ),
    forcedOrders: (sinceMs) =>
      read(() =>
        client.signed(
          'forced_orders',
          'GET',
          '/fapi/v1/forceOrders',
          { startTime: msParam(sinceMs), limit: 100 },
          forcedOrders,
        ),
      ),
  };
}
