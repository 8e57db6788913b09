// The exchange's refusals of an order, as the worker acts on them. Each Aster (Binance USD-M)
// error code an operator meets in the first week maps to a reason (v3.md, "Error Codes"); the
// paper exchange refuses with the same codes. Rate limits (429, 418, a web-firewall 403) are not
// refusals of the order: the limiters pause and the order may be tried again once they allow it.
import { type ExchangeError, isExchangeError, refusalCode } from '../../ports/exchange.ts';
import { AisError } from '../errors.ts';

export type RefusalReason =
  /** -2019 margin insufficient, -2018 balance insufficient, -2027/-2028 leverage ratio, -4050/-4051 cross/isolated balance insufficient. */
  | 'margin_insufficient'
  /** -4164 MIN_NOTIONAL: "Order's notional must be no smaller than 5.0 (unless you choose reduce only)". */
  | 'notional_too_small'
  /** -2022 reduce-only rejected, -2024 position not sufficient, -4118 reduce-only margin check: the position the order reduces is gone (or smaller). */
  | 'position_gone'
  /** -1111 precision over the maximum, -4014 price not a multiple of the tick size, -4023 quantity not a multiple of the step size. */
  | 'precision'
  /** -4003/-4004/-4005 quantity bounds, -4001/-4002/-4013 price bounds, -4016/-4024 PERCENT_PRICE caps, -4131 market order outside PERCENT_PRICE. */
  | 'filter'
  /** -1121 unknown symbol, -4140 status does not allow opening, -4141 symbol closed. */
  | 'symbol_status'
  /**
   * -4061 position side does not match (the account is in hedge mode), -4060 invalid position
   * side, -4062 reduce-only conflicts with the position mode: the account's settings changed
   * under the worker; the settings are read again at once (settings-watch.ts).
   */
  | 'settings_changed'
  /** Any other refusal of the request (the code is kept). */
  | 'rejected';

/** Every reason, for bounded metric labels. */
export const REFUSAL_REASONS: readonly RefusalReason[] = [
  'margin_insufficient',
  'notional_too_small',
  'position_gone',
  'precision',
  'filter',
  'symbol_status',
  'settings_changed',
  'rejected',
];

const BY_CODE: Readonly<Record<number, RefusalReason>> = {
  [-2018]: 'margin_insufficient',
  [-2019]: 'margin_insufficient',
  [-2027]: 'margin_insufficient',
  [-2028]: 'margin_insufficient',
  [-4050]: 'margin_insufficient',
  [-4051]: 'margin_insufficient',
  [-4164]: 'notional_too_small',
  [-2022]: 'position_gone',
  [-2024]: 'position_gone',
  [-4118]: 'position_gone',
  [-1111]: 'precision',
  [-4014]: 'precision',
  [-4023]: 'precision',
  [-4001]: 'filter',
  [-4002]: 'filter',
  [-4003]: 'filter',
  [-4004]: 'filter',
  [-4005]: 'filter',
  [-4013]: 'filter',
  [-4016]: 'filter',
  [-4024]: 'filter',
  [-4131]: 'filter',
  [-1121]: 'symbol_status',
  [-4140]: 'symbol_status',
  [-4141]: 'symbol_status',
  [-4060]: 'settings_changed',
  [-4061]: 'settings_changed',
  [-4062]: 'settings_changed',
};

/** An order the exchange refused: why, its code (the bounded `code` metric label), the exchange's message. */
export interface Refusal {
  reason: RefusalReason;
  /** refusalCode(e): "-2019", "http_400", … */
  code: string;
  message: string;
}

/** The refusal an error means, or undefined when it is not one (outages, rate limits, throttling, anything not an ExchangeError). */
export function classifyRefusal(e: unknown): Refusal | undefined {
  if (!isExchangeError(e) || e.kind !== 'rejected') return undefined;
  const reason = (e.details.code !== undefined && BY_CODE[e.details.code]) || 'rejected';
  return { reason, code: refusalCode(e), message: e.message };
}

/**
 * Thrown by the executor for an order the exchange refused (`code` order_refused, `cause` the
 * ExchangeError), or one it did not send because the same order was refused and nothing it depends
 * on has changed (`code` order_held).
 */
export class OrderRefusal extends AisError {
  constructor(
    readonly refusal: Refusal,
    /** True when this order was not sent (an earlier refusal holds it). */
    readonly held: boolean,
    /** For a held order: what must change before it is sent again. */
    readonly until?: string,
    options?: { cause?: ExchangeError },
  ) {
    super(
      held ? 'order_held' : 'order_refused',
      `${held ? 'not sent, held by an earlier refusal' : 'refused by the exchange'}: ${refusal.reason} (${refusal.code}) ${refusal.message}`,
      options,
    );
  }
}

export const isOrderRefusal = (e: unknown): e is OrderRefusal => e instanceof OrderRefusal;
