// Decisions the shared store settled otherwise than the worker decided: an approval overtaken by a
// newer kill switch or trading state row, or by the order budget the workers share, is recorded
// and answered as that guard's refusal; a repeated idempotency key answers the stored decision.
import type { OvertakenBy, StoredEvent } from '../../ports/event-store.ts';
import { checkOf } from './checks.ts';
import type { GuardCheck, RiskVerdict } from './explain.ts';
import type { VerdictGuard } from './guards.ts';

const REASONS: Record<OvertakenBy, (maxPerMinute: number) => string> = {
  kill_switch: () =>
    'the kill switch changed in the shared store (another worker) after this check was decided; refused, and this worker adopts the change',
  trading_state: () =>
    'the trading state changed in the shared store (another worker) after this check was decided; refused, and this worker adopts the change',
  order_rate: (max) => `more than ${max} orders per minute across the workers of this database`,
};

/**
 * The refusal an approval becomes when `by` overtook it: the same checks, the overtaking guard's
 * one failed with its figure unknown to this worker (null).
 */
export function overtakenVerdict(
  approval: RiskVerdict,
  by: OvertakenBy,
  maxPerMinute: number,
): RiskVerdict {
  const checks = approval.checks.map((c): GuardCheck =>
    c.guard === by ? { ...c, value: null, passed: false } : c,
  );
  return { approved: false, guard: by, reason: REASONS[by](maxPerMinute), checks };
}

/** The verdict a stored risk_decision holds (its checks back in the API's object form). */
export function storedVerdict(e: StoredEvent<'risk_decision'>): RiskVerdict {
  const p = e.payload;
  const checks = p.checks.map(checkOf);
  if (p.approved) return { approved: true, checks };
  return {
    approved: false,
    guard: (p.guard ?? undefined) as VerdictGuard | undefined,
    reason: p.reason ?? undefined,
    checks,
  };
}
