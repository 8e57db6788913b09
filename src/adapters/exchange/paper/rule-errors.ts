// Aster's answer to an order that breaks a symbol rule: the error code and message of its futures
// API ("Error Codes" in /tmp/aster/v3.md). Where two codes could apply, this is the reading chosen
// (the fake server, test/fake-aster/filters.ts, answers the same): a quantity or price with more
// decimals than its step or tick is -1111 BAD_PRECISION; one with the right decimals but off the
// grid is -4023 / -4014; a symbol that is not TRADING is -4140.
import {
  overPrecision,
  RuleFailure,
  type RuleViolation,
} from '../../../domain/market/symbol-rules.ts';

/** `[code, message]` of the refusal for one violation. */
export function asterRefusal(v: RuleViolation): [number, string] {
  const F = RuleFailure;
  const off = (x: RuleViolation) =>
    typeof x.value === 'number' && typeof x.bound === 'number' && overPrecision(x.value, x.bound);
  switch (v.code) {
    case F.SYMBOL_UNKNOWN:
      return [-1121, 'Invalid symbol.'];
    case F.SYMBOL_NOT_TRADING:
      return [-4140, 'Invalid symbol status for opening position'];
    case F.PRICE_BELOW_MIN:
      return [-4013, 'Price less than min price.'];
    case F.PRICE_ABOVE_MAX:
      return [-4002, 'Price greater than max price.'];
    case F.PRICE_OFF_TICK:
      return off(v)
        ? [-1111, 'Precision is over the maximum defined for this asset.']
        : [-4014, 'Price not increased by tick size.'];
    case F.QTY_BELOW_MIN:
    case F.MARKET_QTY_BELOW_MIN:
      return [-4004, 'Quantity less than min quantity.'];
    case F.QTY_ABOVE_MAX:
    case F.MARKET_QTY_ABOVE_MAX:
      return [-4005, 'Quantity greater than max quantity.'];
    case F.QTY_OFF_STEP:
    case F.MARKET_QTY_OFF_STEP:
      return off(v)
        ? [-1111, 'Precision is over the maximum defined for this asset.']
        : [-4023, 'Qty not increased by step size.'];
    case F.MIN_NOTIONAL:
      return [
        -4164,
        `Order's notional must be no smaller than ${v.bound} (unless you choose reduce only)`,
      ];
    case F.PERCENT_PRICE_UP:
      return [-4016, 'Price is higher than mark price multiplier cap.'];
    case F.PERCENT_PRICE_DOWN:
      return [-4024, 'Price is lower than mark price multiplier floor.'];
  }
}
