// Isolated margin in the guard's liquidation estimate: an isolated position answers for itself
// alone, from its own wallet. wasm/assembly/risk.ts `isolatedBase` mirrors it operation by operation.

/**
 * The account part of the liquidation price's numerator for an ISOLATED symbol after the order:
 * the position's own wallet (kept whole when the order adds to it, in proportion when it reduces
 * it, none after a flip or from flat) plus the order's initial margin. Binance's isolated formula
 * is the cross one with this wallet and no other positions.
 */
export function isolatedBase(
  wallet: number,
  posQty: number,
  qty: number,
  newQty: number,
  initial: number,
): number {
  const keep =
    posQty * qty > 0
      ? 1
      : posQty * qty < 0 && newQty * posQty > 0
        ? Math.abs(newQty) / Math.abs(posQty)
        : 0;
  return wallet * keep + initial;
}
