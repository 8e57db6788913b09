// What follows a change of the control state, wherever it came from:
// - stopping trading reaches the exchange, whoever stopped it (operator, drawdown, reconciliation,
//   another worker): open orders that could add exposure are cancelled (exchange-protection.ts);
// - workers sharing one database share one kill switch: each adopts what another stored, every
//   `everyMs` (AIS_CONTROL_SYNC_MS).
import type { LogPort } from '../../ports/log.ts';
import type { ControlService } from './control-service.ts';
import { type IntervalTimer, realIntervalTimer } from '../time/timers.ts';
import { stopsTrading } from './trading-control.ts';
import type { ControlState } from './trading-control.ts';

/** Why the sweep runs: the kill switch's reason or the HALTED state's. */
export const stopReason = (state: ControlState): string =>
  state.killSwitch.active
    ? `kill switch: ${state.killSwitch.reason ?? ''}`
    : `trading HALTED: ${state.tradingReason ?? ''}`;

/** Sweeps the exchange (`sweep(reason)`, which never rejects) each time a change stops trading. */
export function sweepWhenTradingStops(
  control: Pick<ControlService, 'subscribe'>,
  sweep: (reason: string) => Promise<unknown>,
): void {
  control.subscribe((state, previous) => {
    if (stopsTrading(state, previous)) void sweep(stopReason(state));
  });
}

export type { IntervalTimer } from '../time/timers.ts';

/** Adopts the shared control state every `everyMs`; a failed read is logged and retried next time. Returns stop(). */
export function startControlSync(
  control: Pick<ControlService, 'sync'>,
  everyMs: number,
  log: Pick<LogPort, 'warn'>,
  timer: IntervalTimer = realIntervalTimer,
): () => void {
  const handle = timer.every(() => {
    control.sync().catch((e) => log.warn({ err: e }, 'Control state sync failed'));
  }, everyMs);
  return () => timer.cancel(handle);
}
