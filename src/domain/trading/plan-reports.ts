// What the plans set aside, counted and logged: orders the exchange's rules forbid (not sent) and
// positions closed at their stop-loss.
import type { LogPort } from '../../ports/log.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { SkippedOrders, StopLossPlan } from './plan-cycle.ts';

/** Where the reports go. */
export interface PlanReports {
  metrics: Pick<Metrics, 'orderSkipped' | 'stopLoss'>;
  log: LogPort;
}

/** Each skipped order counted by reason (ais_orders_skipped_total) and logged at WARNING with its agent ('Order not sent: the exchange would refuse it'). */
export function reportSkipped(
  { metrics, log }: PlanReports,
  skipped: SkippedOrders,
  cycle: number,
): void {
  for (const { order: s, agentId } of skipped) {
    metrics.orderSkipped(s.skipped);
    log.warn(
      {
        cycle,
        symbol: s.symbol,
        side: s.side,
        reason: s.skipped,
        quantity: s.quantity,
        notional_usd: s.notionalUsd,
        bound: s.bound,
        agent_id: agentId ?? null,
      },
      'Order not sent: the exchange would refuse it',
    );
  }
}

/** Each position past its stop counted by symbol (ais_stop_loss_triggers_total) and logged at WARNING with its loss (a fraction), then the plan's skipped closes. */
export function reportStopLosses(reports: PlanReports, plan: StopLossPlan, cycle: number): void {
  for (const s of plan.stopped) {
    reports.metrics.stopLoss(s.symbol);
    reports.log.warn({ cycle, symbol: s.symbol, loss: s.loss }, 'Stop-loss triggered');
  }
  reportSkipped(reports, plan.skipped, cycle);
}
