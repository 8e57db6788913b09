// The one place a drawdown breach trips the kill switch: the loop's mark-to-market and the risk
// check both call it, so the reason and the kill_switch event are the same whichever sees it first.
import type { ControlService } from './control-service.ts';

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : 'not a number');

/**
 * Triggers the kill switch (source `drawdown`, by `by`) when `drawdown` (a fraction of the peak
 * NAV) reached `maxDrawdown` and the switch is off (NaN, a book with no NAV yet, does not trip it).
 * Resolves true when this call tripped it.
 */
export async function tripOnDrawdown(
  control: ControlService,
  drawdown: number,
  maxDrawdown: number,
  by: string,
): Promise<boolean> {
  if (!(drawdown >= maxDrawdown) || control.state().killSwitch.active) return false;
  const reason = `drawdown ${pct(drawdown)} reached the ${pct(maxDrawdown)} limit`;
  await control.apply({ type: 'trigger', reason, by, source: 'drawdown' });
  return true;
}
