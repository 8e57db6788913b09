// The `reconciliation` component of GET /health, from the last report. A divergence is not a sick
// component (it did its job, and trading is already HALTED or REDUCING, which /health shows), so it
// stays `ok` with the divergence in the detail; a run that could not read the exchange, or no run
// for three intervals, is `degraded`.
import type { ComponentHealth } from '../health/health.ts';
import type { ReconciliationReport } from './report.ts';

/** Missed intervals after which the loop counts as stalled. */
const STALE_INTERVALS = 3;

/**
 * The component from the last report and its age (`ageMs`: ms since that run started, on the
 * monotonic clock, so a wall-clock step neither hides a stalled loop nor flags a running one).
 */
export function reconciliationHealth(
  last: ReconciliationReport | undefined,
  ageMs: number,
  intervalMs: number,
): ComponentHealth {
  if (!last) return { status: 'ok', detail: 'no run yet' };
  const ageS = Math.round(ageMs / 1000);
  if (ageMs > STALE_INTERVALS * intervalMs)
    return {
      status: 'degraded',
      detail: `no run for ${ageS} s (every ${intervalMs / 1000} s expected)`,
    };
  if (last.status === 'error')
    return {
      status: 'degraded',
      detail: `last run ${ageS} s ago could not check the exchange: ${last.error ?? `${last.totals.errors} check(s) failed`}`,
    };
  if (last.status === 'failed') {
    const where = last.mismatchedSymbols.length
      ? ` (${last.mismatchedSymbols.slice(0, 5).join(', ')})`
      : '';
    return {
      status: 'ok',
      detail: `last run ${ageS} s ago found ${last.totals.mismatched} divergence(s)${where}`,
    };
  }
  if (last.status === 'deferred')
    return {
      status: 'ok',
      detail: `last run ${ageS} s ago deferred ${last.totals.deferred} check(s) until orders in flight are resolved`,
    };
  return { status: 'ok', detail: `last run ${ageS} s ago passed ${last.totals.checks} checks` };
}
