// The reconciliation report: one result per check, totals, an overall status, and the snake_case
// view that is both the stored `reconciliation` event payload and the HTTP answer.

export type CheckType = 'position' | 'balance' | 'unauthorized_trade';
export const CHECK_TYPES: readonly CheckType[] = ['position', 'balance', 'unauthorized_trade'];

/**
 * DEFERRED: not judged in this run because the worker's own unfinished work explains what it sees
 * (an order whose outcome is not known yet on that symbol); the next run judges it.
 */
export type CheckStatus =
  'MATCH' | 'MISMATCH' | 'MISSING_INTERNAL' | 'MISSING_EXCHANGE' | 'ERROR' | 'DEFERRED';
export const CHECK_STATUSES: readonly CheckStatus[] = [
  'MATCH',
  'MISMATCH',
  'MISSING_INTERNAL',
  'MISSING_EXCHANGE',
  'ERROR',
  'DEFERRED',
];

/**
 * passed: every check matched; failed: at least one divergence; error: nothing diverged but a check
 * could not run; deferred: nothing diverged or failed, but some checks wait for orders in flight.
 */
type ReportStatus = 'passed' | 'failed' | 'error' | 'deferred';
export const REPORT_STATUSES: readonly ReportStatus[] = ['passed', 'failed', 'error', 'deferred'];

export interface CheckResult {
  checkType: CheckType;
  /** The symbol checked; null for the account-wide balance check (and a whole-run error). */
  symbol: string | null;
  status: CheckStatus;
  /** Quantity, NAV in USD, or (unauthorized trades) how many foreign trades we expect: 0. */
  internalValue: number | null;
  /** Quantity, equity in USD, or the number of trades from orders we never sent. */
  exchangeValue: number | null;
  message: string;
}

export interface ReconciliationReport {
  timeMs: number;
  status: ReportStatus;
  passed: boolean;
  totals: { checks: number; matched: number; mismatched: number; errors: number; deferred: number };
  /** Sorted symbols with at least one divergent result (MISMATCH or MISSING_*). */
  mismatchedSymbols: string[];
  results: CheckResult[];
  /** Why the exchange could not be read, for a report of status error. */
  error?: string;
}

export const isDivergent = (s: CheckStatus) =>
  s === 'MISMATCH' || s === 'MISSING_INTERNAL' || s === 'MISSING_EXCHANGE';

/** Builds the report around its results: totals, status, the divergent symbols. */
export function summariseReport(
  results: CheckResult[],
  timeMs: number,
  error?: string,
): ReconciliationReport {
  let matched = 0;
  let mismatched = 0;
  let errors = 0;
  let deferred = 0;
  const symbols = new Set<string>();
  for (const r of results) {
    if (r.status === 'MATCH') matched++;
    else if (r.status === 'ERROR') errors++;
    else if (r.status === 'DEFERRED') deferred++;
    else {
      mismatched++;
      if (r.symbol !== null) symbols.add(r.symbol);
    }
  }
  // A divergence outranks an error: something is known to be wrong, and trading must stop.
  const status: ReportStatus =
    mismatched > 0 ? 'failed' : errors > 0 ? 'error' : deferred > 0 ? 'deferred' : 'passed';
  const report: ReconciliationReport = {
    timeMs,
    status,
    passed: status === 'passed',
    totals: { checks: results.length, matched, mismatched, errors, deferred },
    mismatchedSymbols: [...symbols].sort(),
    results,
  };
  if (error !== undefined) report.error = error;
  return report;
}

/** The report of a run that could not read the exchange: every check is an ERROR. */
export function errorReport(reason: string, nowMs: number): ReconciliationReport {
  const results = CHECK_TYPES.map((checkType): CheckResult => ({
    checkType,
    symbol: null,
    status: 'ERROR',
    internalValue: null,
    exchangeValue: null,
    message: `not checked: ${reason}`,
  }));
  return summariseReport(results, nowMs, reason);
}

/** Divergent results per check type, every type present (0 when clean): the metrics gauge. */
export function mismatchesByCheckType(report: ReconciliationReport): Record<CheckType, number> {
  const counts: Record<CheckType, number> = { position: 0, balance: 0, unauthorized_trade: 0 };
  for (const r of report.results) if (isDivergent(r.status)) counts[r.checkType]++;
  return counts;
}

/** The stored event payload and the HTTP answer (snake_case like the rest of the API). */
export function reportPayload(r: ReconciliationReport) {
  return {
    time: new Date(r.timeMs).toISOString(),
    time_ms: r.timeMs,
    status: r.status,
    passed: r.passed,
    ...(r.error !== undefined ? { error: r.error } : {}),
    totals: r.totals,
    mismatched_symbols: r.mismatchedSymbols,
    results: r.results.map((x) => ({
      check_type: x.checkType,
      symbol: x.symbol,
      status: x.status,
      internal_value: x.internalValue,
      exchange_value: x.exchangeValue,
      message: x.message,
    })),
  };
}
