// Runs every pre-flight check over the facts read from the exchange, formats the table and gives
// the exit status (0 when nothing failed, 1 otherwise; warnings do not fail). Pure.
import {
  checkBalance,
  checkClock,
  checkKeys,
  checkPermissions,
  checkPositionMode,
  checkStream,
  type PreflightCheck,
  type PreflightFacts,
} from './preflight-checks.ts';
import { checkNetwork } from './network.ts';
import {
  checkOpenOrders,
  checkPositions,
  checkSymbolRules,
  checkSymbolSettings,
  checkWorkerSettings,
} from './preflight-symbols.ts';

/** Every check, in the order the table shows them. */
export function runPreflightChecks(f: PreflightFacts): PreflightCheck[] {
  const { worker: w, account: a, market: m, connection: c } = f;
  return [
    checkKeys(w, a),
    checkPermissions(a),
    checkNetwork(w.network),
    checkClock(c),
    checkStream(w, c),
    checkPositionMode(a),
    ...w.symbols.flatMap((s) => [checkSymbolRules(s, m), checkSymbolSettings(s, w, a, m)]),
    checkBalance(a),
    checkPositions(w, a),
    checkOpenOrders(a),
    checkWorkerSettings(w),
  ];
}

/** 0 when no check failed, 1 when any did. */
export const preflightExitCode = (checks: readonly PreflightCheck[]): 0 | 1 =>
  checks.some((c) => c.status === 'fail') ? 1 : 0;

/** The table: a header, one line per check (check and status padded, the detail as it is), a summary line. */
export function formatPreflight(checks: readonly PreflightCheck[]): string {
  const width = Math.max('check'.length, ...checks.map((c) => c.check.length));
  const line = (check: string, status: string, detail: string) =>
    `${check.padEnd(width)}  ${status.padEnd(6)}  ${detail}`;
  const count = (s: string) => checks.filter((c) => c.status === s).length;
  const failed = count('fail');
  return [
    line('check', 'status', 'detail'),
    ...checks.map((c) => line(c.check, c.status, c.detail)),
    '',
    `${count('ok')} ok, ${count('warn')} warn, ${failed} fail: ${failed > 0 ? 'fix what failed before going live' : 'ready to start the worker'}`,
  ].join('\n');
}
