// The check's rule once more as an order leaves for the exchange: an order that could open risk is
// sent only if the control state, read from the shared store at that moment, lets it (no kill
// switch, not HALTED). Another worker may have stopped trading between the check and the send.
// Orders that can only cut risk (reduce-only, a protective stop's close-position) always go.
import { AisError } from '../errors.ts';
import type { Exchange } from '../../ports/exchange.ts';
import type { ControlService } from './control-service.ts';

/** An order not sent: trading stopped in the shared store after its check. `code` trading_stopped. */
export class TradingStoppedError extends AisError {
  constructor(
    readonly orderId: string,
    readonly guard: 'kill_switch' | 'trading_state',
  ) {
    super(
      'trading_stopped',
      `order ${orderId} not sent: ${guard === 'kill_switch' ? 'the kill switch is active' : 'trading is HALTED'} (read from the shared store before sending)`,
    );
  }
}

/**
 * `exchange` whose placeOrder first adopts the store's control state (`control.sync()`, which
 * throws when the store cannot be read: nothing is sent) and refuses an order that could open risk
 * while the kill switch is active or trading is HALTED (TradingStoppedError, nothing sent).
 */
export function confirmBeforeSend(
  exchange: Exchange,
  control: Pick<ControlService, 'sync' | 'state'>,
): Exchange {
  return {
    ...exchange,
    async placeOrder(order) {
      if (!order.reduceOnly && !order.closePosition) {
        await control.sync();
        const s = control.state();
        if (s.killSwitch.active) throw new TradingStoppedError(order.clientOrderId, 'kill_switch');
        if (s.tradingState === 'HALTED')
          throw new TradingStoppedError(order.clientOrderId, 'trading_state');
      }
      return exchange.placeOrder(order);
    },
  };
}
