// What the account stream says about the exchange's actions: the alert of each kind of fill no
// AIS worker sent (a liquidation, an ADL, a stranger's trade) and the margin call's reaction
// (critical alert, REDUCING unless trading is already stopped harder).
import type { UserStreamEvent } from '../../ports/user-stream.ts';
import type { AccountStreamOptions } from './account-stream.ts';

/**
 * A liquidation stops new exposure on its symbol (critical); an ADL is the exchange cutting a
 * profitable position to cover others' losses, not a fault of the account (warning, trading goes on).
 */
export const ALERT_OF = {
  liquidation: {
    name: 'PositionLiquidated',
    what: 'a liquidation by the exchange',
    severity: 'critical',
    then: 'Booked into the book; the symbol is held (no exposure added) until an operator clears it: POST /v1/control/symbol-holds/<symbol>/clear.',
  },
  adl: {
    name: 'PositionAutoDeleveraged',
    what: 'an auto-deleverage (ADL) by the exchange',
    severity: 'warning',
    then: 'Booked into the book; the protective stop (Close-All) covers what is left; trading goes on.',
  },
  other: {
    name: 'ForeignTrade',
    what: 'a trade no AIS worker sent (manual or another bot)',
    severity: 'critical',
    then: "Booked into the worker's book; a reconciliation runs now.",
  },
} as const;

/** A MARGIN_CALL: critical alert naming the positions, and REDUCING (never loosening a stricter state). */
export async function onMarginCall(
  o: Pick<AccountStreamOptions, 'control' | 'alerts' | 'log'>,
  e: Extract<UserStreamEvent, { type: 'margin_call' }>,
): Promise<void> {
  const where = e.positions
    .map(
      (p) =>
        `${p.symbol} ${p.quantity} at mark ${p.markPrice} (maintenance ${p.maintenanceMarginUsd} USD)`,
    )
    .join(', ');
  o.log.error({ positions: e.positions }, 'Margin call from the exchange');
  const s = o.control.state();
  // REDUCING, unless trading is already stopped harder (HALTED or the kill switch): never loosen.
  const action =
    s.killSwitch.active || s.tradingState !== 'ACTIVE'
      ? `trading stays ${s.killSwitch.active ? 'stopped by the kill switch' : s.tradingState}`
      : 'trading set to REDUCING';
  if (action === 'trading set to REDUCING')
    await o.control.apply({
      type: 'set_state',
      state: 'REDUCING',
      by: 'exchange',
      reason: `margin call: ${where}`,
    });
  await o.alerts
    .raise({
      name: 'MarginCall',
      severity: 'critical',
      summary: `Margin call: ${where}; ${action}`,
      labels: { component: 'exchange' },
    })
    .catch((err) => o.log.error({ err }, 'Margin call alert not raised'));
}
