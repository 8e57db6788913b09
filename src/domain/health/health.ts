// Summarises component checks into the /health answer: `degraded` when any component is down or
// degraded, else `halted` when trading is stopped (kill switch or HALTED), else `ok`.
import type { TradingState } from '../../ports/metrics.ts';
import { isTradingStopped } from '../risk/trading-control.ts';

type ComponentStatus = 'ok' | 'degraded' | 'down' | 'disabled';
export interface ComponentHealth {
  status: ComponentStatus;
  detail?: string;
}
const COMPONENTS = ['db', 'exchange', 'wasm', 'loop', 'reconciliation'] as const;
type ComponentName = (typeof COMPONENTS)[number];

interface KillSwitchView {
  active: boolean;
  reason: string | null;
  /** ISO time it was triggered, or null. */
  since: string | null;
  /**
   * With an exchange to protect: false while the kill switch (or HALTED) still has open orders to
   * cancel on the exchange (failed cancels being retried, or refused by an open breaker).
   */
  effective_on_exchange?: boolean;
  pending_cancels?: number;
}

export interface HealthReport {
  status: 'ok' | 'degraded' | 'halted';
  trading_state: TradingState;
  kill_switch: KillSwitchView;
  components: Record<ComponentName, ComponentHealth>;
}

export function summariseHealth(
  components: Record<ComponentName, ComponentHealth>,
  tradingState: TradingState,
  killSwitch: KillSwitchView,
): HealthReport {
  const unwell = Object.values(components).some(
    (c) => c.status === 'down' || c.status === 'degraded',
  );
  const halted = isTradingStopped({ killSwitch, tradingState });
  return {
    status: unwell ? 'degraded' : halted ? 'halted' : 'ok',
    trading_state: tradingState,
    kill_switch: killSwitch,
    components,
  };
}
