// The executor's gate: an order reaches the exchange only with a valid, unexpired risk token issued
// for its own order id. Wraps any order-placing function.
import { AisError } from '../errors.ts';
import type { RiskTokenVerifier, TokenProblem } from '../../ports/risk-tokens.ts';

/** An order the gate did not place: its risk token is missing or does not verify (`problem`). `code` risk_token_refused. */
export class OrderRefusedError extends AisError {
  constructor(
    readonly orderId: string,
    readonly problem: TokenProblem | 'missing_token',
  ) {
    super(
      'risk_token_refused',
      `order ${orderId} refused: risk token ${problem.replaceAll('_', ' ')}`,
    );
  }
}

interface GatedOrder {
  orderId: string;
  riskToken?: string;
}

/** `place`, refusing (OrderRefusedError, nothing placed) an order whose token does not verify. */
export function gateOrders<O extends GatedOrder, R>(
  place: (order: O) => Promise<R>,
  tokens: RiskTokenVerifier,
  nowMs: () => number,
): (order: O) => Promise<R> {
  return async (order) => {
    if (!order.riskToken) throw new OrderRefusedError(order.orderId, 'missing_token');
    const check = tokens.verify(order.riskToken, order.orderId, nowMs());
    if (!check.ok) throw new OrderRefusedError(order.orderId, check.problem);
    return place(order);
  };
}
