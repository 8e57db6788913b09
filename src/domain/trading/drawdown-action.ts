// What an automatic drawdown trip does with the open positions (AIS_DRAWDOWN_ACTION). The trip
// itself (drawdown-trip.ts) engages the kill switch, which refuses new exposure and sweeps the open
// orders that could add to it; the positions are then:
// - cancel: left open, each under its own stop-loss; the loss is bounded by the stops only, not
//   by the limit (the 30-day backtests saw 9.78 % against a 5 % limit).
// - reduce: the positions in loss at the trip are closed, those in profit kept under their stops.
// - flatten (default): every position closed with reduce-only market orders through the gate's
//   closing rule. The only action that bounds the loss at the limit: once flat, no price move can
//   deepen the drawdown, so the worst case is the limit plus the move of the bar that crossed it
//   plus the cost of closing. An operator who sets AIS_MAX_DRAWDOWN=0.05 expects to lose about 5 %.
import type { ExchangePosition } from '../../ports/exchange.ts';
import type { LogPort } from '../../ports/log.ts';
import type { ControlService } from '../risk/control-service.ts';
import type { ExchangeProtection } from './exchange-protection.ts';

export const DRAWDOWN_ACTIONS = ['cancel', 'reduce', 'flatten'] as const;
export type DrawdownAction = (typeof DRAWDOWN_ACTIONS)[number];

/** The positions each action closes (undefined: none). */
export function positionsToClose(
  action: DrawdownAction,
): ((p: ExchangePosition) => boolean) | undefined {
  if (action === 'flatten') return () => true;
  if (action === 'reduce') return (p) => p.unrealizedPnlUsd < 0;
  return undefined;
}

/** Runs on every automatic drawdown trip of this worker; `settled` resolves once the closes it started are done. */
export interface DrawdownReaction {
  settled(): Promise<void>;
}

/**
 * Subscribes `action` to this worker's automatic drawdown trips (a kill switch triggered with
 * source `drawdown`; a manual trigger or one adopted from another worker does not act: the worker
 * that tripped acts). Each run is logged with what it closed; it never rejects.
 */
export function actOnDrawdownTrip(
  control: Pick<ControlService, 'subscribe'>,
  action: DrawdownAction,
  protection: Pick<ExchangeProtection, 'flatten'>,
  log: Pick<LogPort, 'warn' | 'error'>,
): DrawdownReaction {
  let pending: Promise<void> = Promise.resolve();
  const which = positionsToClose(action);
  control.subscribe((state, previous, cmd) => {
    const tripped =
      cmd?.type === 'trigger' &&
      cmd.source === 'drawdown' &&
      state.killSwitch.active &&
      !previous.killSwitch.active;
    if (!tripped || !which) return;
    const reason = `drawdown action ${action}: ${state.killSwitch.reason ?? ''}`;
    pending = pending.then(async () => {
      const r = await protection.flatten(reason, which);
      const fields = { action, closed: r.closed.length, failed: r.failed };
      if (r.failed.length) log.error(fields, 'Drawdown action left positions open');
      else log.warn(fields, 'Drawdown action closed positions');
    });
  });
  return { settled: () => pending };
}
