// What the paper exchange refuses before it records an order, with Aster's codes and messages:
// a bad quantity, price or client order id, a duplicate, a STOP_MARKET that would trigger at once,
// the symbol's rules (./rule-errors.ts), a reduce-only that would add, and an opening order the
// available balance cannot margin (notional / leverage, at the mark).
import {
  checkMarketOrder,
  checkRules,
  type SymbolRules,
} from '../../../domain/market/symbol-rules.ts';
import { ExchangeError, type PlaceOrderRequest } from '../../../ports/exchange.ts';
import { asterRefusal } from './rule-errors.ts';

const OP = 'place_order';

/** An exchange refusal as Aster answers it: HTTP 400 with its code. */
export const rejected = (code: number, msg: string, operation: string) =>
  new ExchangeError('rejected', `${msg} (${code})`, { status: 400, code, operation });

/** The client order id: present, at most 36 characters, not used before. */
function checkClientId(req: PlaceOrderRequest, known: (id: string) => boolean) {
  if (!req.clientOrderId || req.clientOrderId.length > 36)
    throw rejected(-1102, 'Invalid newClientOrderId.', OP);
  if (known(req.clientOrderId)) throw rejected(-4116, 'ClientOrderId is duplicated.', OP);
}

/** STOP_MARKET as Aster takes it: a positive stopPrice that would not trigger at once (-2021). */
export function checkStop(
  req: PlaceOrderRequest,
  markPrice: number,
  known: (id: string) => boolean,
) {
  const stop = req.stopPrice;
  if (!(stop! > 0 && Number.isFinite(stop)))
    throw rejected(-1102, 'Mandatory parameter stopPrice was not sent or was invalid.', OP);
  if (req.closePosition && (req.reduceOnly || req.quantity > 0))
    throw rejected(-1106, 'Parameter closePosition sent when not required.', OP);
  if (!req.closePosition && !(req.quantity > 0 && Number.isFinite(req.quantity)))
    throw rejected(-1013, 'Invalid quantity.', OP);
  checkClientId(req, known);
  if (req.side === 'SELL' ? markPrice <= stop! : markPrice >= stop!)
    throw rejected(-2021, 'Order would immediately trigger.', OP);
}

/** What a MARKET or LIMIT order is checked against. */
export interface OrderContext {
  markPrice: number;
  rules: SymbolRules;
  /** The signed position the account holds in the symbol. */
  held: number;
  /** Available balance in USD, read only when the order opens exposure. */
  availableUsd: () => number;
  leverage: number;
  known: (clientOrderId: string) => boolean;
}

/** What the order opens: all of it on the same side, the new side's part of a flip, else 0. */
const opening = (held: number, signed: number) =>
  held * signed >= 0 ? Math.abs(signed) : (held + signed) * held < 0 ? Math.abs(held + signed) : 0;

/** A MARKET or LIMIT order: its fields, the symbol's rules, reduce-only, then the margin it needs. */
export function checkOrder(req: PlaceOrderRequest, c: OrderContext) {
  if (!(req.quantity > 0 && Number.isFinite(req.quantity)))
    throw rejected(-1013, 'Invalid quantity.', OP);
  checkClientId(req, c.known);
  if (req.type === 'LIMIT' && !(req.price! > 0 && Number.isFinite(req.price)))
    throw rejected(-1102, 'Mandatory parameter price was not sent or was invalid.', OP);
  const reduceOnly = req.reduceOnly === true;
  const broken =
    req.type === 'MARKET'
      ? checkMarketOrder(c.rules, req.side, req.quantity, c.markPrice, reduceOnly)
      : checkRules(c.rules, {
          side: req.side,
          quantity: req.quantity,
          price: req.price!,
          markPrice: c.markPrice,
          reduceOnly,
        });
  if (broken) throw rejected(...asterRefusal(broken), OP);
  const signed = req.side === 'BUY' ? req.quantity : -req.quantity;
  const held = c.held;
  if (
    req.reduceOnly &&
    !(Math.sign(signed) === -Math.sign(held) && Math.abs(signed) <= Math.abs(held) + 1e-12)
  )
    throw rejected(-2022, 'ReduceOnly Order is rejected.', OP);
  const opens = opening(held, signed);
  if (opens > 0 && (opens * c.markPrice) / c.leverage > c.availableUsd())
    throw rejected(-2019, 'Margin is insufficient.', OP);
}
