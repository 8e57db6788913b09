// Exact arithmetic on an exchange's decimal grids (tick size, step size). Binary floating point
// cannot hold 0.01 or 0.29, so every grid is kept as integer units of 10^-decimals: the step "0.01"
// is 1 unit at scale 100, a quantity 0.29 is 29 units. Numbers in and out are the nearest doubles
// to the decimals they stand for, so String(x) prints exactly the decimal the exchange expects.

/** A grid: values min + k × step (k ≥ 0), in integer units of 1 / scale. */
export interface DecimalGrid {
  /** 10^decimals (exact for decimals ≤ 22). */
  scale: number;
  stepUnits: number;
  minUnits: number;
}

/** Decimal places of a number as it prints ("0.001" → 3, "1e-7" → 7, "5" → 0). */
export function decimalsOf(x: number): number {
  const s = String(Math.abs(x));
  const e = s.indexOf('e');
  if (e >= 0) {
    const exp = Number(s.slice(e + 1));
    const mantissa = s.slice(0, e);
    const dot = mantissa.indexOf('.');
    return Math.max(0, (dot >= 0 ? mantissa.length - dot - 1 : 0) - exp);
  }
  const dot = s.indexOf('.');
  return dot >= 0 ? s.length - dot - 1 : 0;
}

/** The grid of `step` starting at `min` (both decimals as the exchange publishes them). */
export function gridOf(
  step: number,
  min: number,
  decimals = Math.max(decimalsOf(step), decimalsOf(min)),
): DecimalGrid {
  const scale = 10 ** decimals;
  return { scale, stepUnits: Math.round(step * scale), minUnits: Math.round(min * scale) };
}

/**
 * x in units when x is, exactly, a decimal with at most log10(scale) places (the nearest double to
 * units / scale); NaN otherwise. Exact: units / scale is a correctly rounded division of two exact
 * integers, so the comparison holds only for the double that prints as that decimal.
 */
export function exactUnits(x: number, scale: number): number {
  const units = Math.round(x * scale);
  return units / scale === x ? units : NaN;
}

/** True when x is min + k × step exactly (the exchange's `(x - min) % step == 0`), k ≥ 0. */
export function onGrid(x: number, g: DecimalGrid): boolean {
  const units = exactUnits(x, g.scale);
  return (
    units === units &&
    units >= g.minUnits &&
    (g.stepUnits <= 0 || (units - g.minUnits) % g.stepUnits === 0)
  );
}

/** Within this relative distance of a whole unit, x × scale is that unit: float noise, not a value. */
const NOISE = 1e-9;

/**
 * x in units of 1 / scale when float noise is all that keeps it off a whole unit (0.1 + 0.2 at
 * scale 10 is 3), else x × scale as it is.
 */
function snappedUnits(x: number, scale: number): number {
  const scaled = x * scale;
  const near = Math.round(scaled);
  return Math.abs(scaled - near) <= NOISE * Math.max(1, Math.abs(near)) ? near : scaled;
}

/** x as the decimal it stands for at this scale when only float noise separates them (0.1 + 0.2 → 0.3). */
export function snapToScale(x: number, scale: number): number {
  const units = snappedUnits(x, scale);
  return Number.isInteger(units) ? units / scale : x;
}

/**
 * x moved onto the grid: down (toward min) or up. Values a hair off a grid point by float noise
 * count as that point: 0.29 × 100 = 28.999999999999996, and a position summed from fills,
 * 0.045 + 0.029 = 0.07399999999999999, closes as 0.074, not 0.073 and a step of dust. Below min:
 * rounding down gives NaN (no valid value), rounding up gives min.
 */
export function roundToGrid(x: number, g: DecimalGrid, direction: 'down' | 'up'): number {
  if (!Number.isFinite(x)) return NaN;
  const raw = snappedUnits(x, g.scale);
  const exact = Number.isInteger(raw) ? raw : NaN;
  const from = raw - g.minUnits;
  if (from < 0) return direction === 'up' ? g.minUnits / g.scale : NaN;
  if (g.stepUnits <= 0)
    return (
      (exact === exact ? exact : direction === 'down' ? Math.floor(raw) : Math.ceil(raw)) / g.scale
    );
  const k = direction === 'down' ? Math.floor(from / g.stepUnits) : Math.ceil(from / g.stepUnits);
  return (g.minUnits + k * g.stepUnits) / g.scale;
}
