// Paper liquidations are booked like any order the worker executed: the paper exchange closes a
// position whose margin no longer covers the maintenance margin (orders `autoclose-…`, as Aster
// names them), and this module books those orders through the executor, logs each and raises the
// alert the user-data stream raises for a live one (PositionLiquidated).
import type { AlertSink } from '../../ports/alerts.ts';
import type { ExchangeOrder } from '../../ports/exchange.ts';
import type { LogPort } from '../../ports/log.ts';
import type { Executor } from './executor.ts';

/** What of the paper exchange this needs: the liquidation orders since the last call. */
export interface LiquidatingExchange {
  takeLiquidations(): ExchangeOrder[];
}

/**
 * Books the exchange's liquidations through the executor (the fills into the book, `order` and
 * `fill` events); each logged as an error and, with `alerts`, raised as a critical
 * PositionLiquidated alert. Returns how many orders were booked.
 */
export async function bookPaperLiquidations(
  exchange: LiquidatingExchange,
  executor: Pick<Executor, 'adopt'>,
  log: Pick<LogPort, 'error'>,
  alerts?: Pick<AlertSink, 'raise'>,
): Promise<number> {
  const orders = exchange.takeLiquidations();
  for (const order of orders) {
    log.error(
      {
        symbol: order.symbol,
        side: order.side,
        quantity: order.executedQty,
        price: order.avgPrice,
        client_order_id: order.clientOrderId,
      },
      'Position liquidated by the exchange',
    );
    await executor.adopt(order);
    await alerts
      ?.raise({
        name: 'PositionLiquidated',
        severity: 'critical',
        summary: `${order.symbol}: ${order.side} ${order.executedQty} at ${order.avgPrice} from a liquidation by the paper exchange (order ${order.orderId}, client id ${order.clientOrderId})`,
        description:
          "The margin balance no longer covered the maintenance margin; booked into the worker's book.",
        labels: { component: 'exchange', symbol: order.symbol },
      })
      .catch((e) => log.error({ err: e }, 'Liquidation alert not raised'));
  }
  return orders.length;
}
