// Runs reconciliation at start-up (before trading starts) and then every interval, and acts on the
// outcome: a divergence moves trading to HALTED or REDUCING through the control service (who:
// `reconciliation`), logs an error and raises a critical alert. A later clean run does not resume
// trading: only an operator does. Timers are injectable, so tests drive it without sleeping.
import type { AlertSink } from '../../ports/alerts.ts';
import type { LogPort } from '../../ports/log.ts';
import type { TradingState } from '../../ports/metrics.ts';
import type { ControlService } from '../risk/control-service.ts';
import type { Reconciler } from './reconciler.ts';
import type { ReconciliationReport } from './report.ts';
import { messageOf } from '../error-message.mjs';

export type MismatchAction = Extract<TradingState, 'HALTED' | 'REDUCING'>;

/** The actor recorded on the trading_state events this loop causes. */
const RECONCILIATION_ACTOR = 'reconciliation';
const MISMATCH_ALERT = 'ReconciliationMismatch';
const ERROR_ALERT = 'ReconciliationError';

/** Calls fn once after ms (fn's promise settles when that run is over); returns a cancel function. */
export type Schedule = (fn: () => Promise<void>, ms: number) => () => void;

const timerSchedule: Schedule = (fn, ms) => {
  const t = setTimeout(() => void fn(), ms);
  // Never keep a process alive only for the next reconciliation (Node, Bun: unref; Deno: a number).
  (t as { unref?: () => void }).unref?.();
  return () => clearTimeout(t);
};

interface ReconciliationLoopOptions {
  reconciler: Pick<Reconciler, 'run'>;
  control: Pick<ControlService, 'state' | 'apply'>;
  alerts: Pick<AlertSink, 'raise'>;
  /** The `ais.reconciliation` logger. */
  log: LogPort;
  intervalMs: number;
  onMismatch: MismatchAction;
  schedule?: Schedule;
}

export interface ReconciliationLoop {
  /** The first run (and its consequences); resolves after it, then repeats every interval until stop(). */
  start(): Promise<ReconciliationReport>;
  /** One run now, with the same consequences as a scheduled one; never rejects. */
  runNow(): Promise<ReconciliationReport>;
  stop(): void;
}

const SEVERITY: Record<TradingState, number> = { ACTIVE: 0, REDUCING: 1, HALTED: 2 };

/** What identifies a divergence, so that the same one found every minute raises one alert, not one a minute. */
const signature = (r: ReconciliationReport) =>
  r.results
    .filter((x) => x.status !== 'MATCH')
    .map((x) => `${x.checkType}:${x.symbol}:${x.status}`)
    .join('|');

export function createReconciliationLoop(o: ReconciliationLoopOptions): ReconciliationLoop {
  const schedule = o.schedule ?? timerSchedule;
  let cancel: (() => void) | undefined;
  let running = false;
  let started: Promise<ReconciliationReport> | undefined;
  /** The signature of the last report that raised an alert; reset by a clean run. */
  let alerted: string | undefined;

  async function tighten(report: ReconciliationReport): Promise<string> {
    const state = o.control.state();
    if (state.killSwitch.active) return 'none: the kill switch is already active';
    if (SEVERITY[state.tradingState] >= SEVERITY[o.onMismatch])
      return `none: trading is already ${state.tradingState}`;
    const reason = `reconciliation found ${report.totals.mismatched} divergence(s)${report.mismatchedSymbols.length ? ` in ${report.mismatchedSymbols.slice(0, 10).join(', ')}` : ''}`;
    const outcome = await o.control.apply({
      type: 'set_state',
      state: o.onMismatch,
      by: RECONCILIATION_ACTOR,
      reason,
    });
    return outcome.ok ? `trading set to ${o.onMismatch}` : `refused: ${outcome.message}`;
  }

  async function raise(
    name: string,
    severity: 'critical' | 'warning',
    summary: string,
    report: ReconciliationReport,
  ) {
    const problems = report.results
      .filter((r) => r.status !== 'MATCH')
      .slice(0, 10)
      .map((r) => r.message);
    try {
      await o.alerts.raise({
        name,
        severity,
        summary,
        description: problems.join('\n'),
        labels: { component: 'reconciliation' },
      });
    } catch (e) {
      o.log.error({ alert: name, err: e }, 'Reconciliation alert not raised');
    }
  }

  async function act(report: ReconciliationReport): Promise<void> {
    // Deferred: nothing diverged that our own orders in flight do not explain; the next run judges them.
    if (report.status === 'deferred') return;
    if (report.status === 'passed') {
      if (alerted !== undefined) {
        o.log.info(
          { trading_state: o.control.state().tradingState },
          'Reconciliation clean again; trading stays as it is until an operator changes it',
        );
      }
      alerted = undefined;
      return;
    }
    const sig = `${report.status}/${signature(report)}`;
    const fresh = sig !== alerted;
    alerted = sig;
    if (report.status === 'error') return onError(report, fresh);
    await onMismatch(report, fresh);
  }

  /** The exchange could not be checked: a warning, and an alert when this failure is new. */
  async function onError(report: ReconciliationReport, fresh: boolean): Promise<void> {
    o.log.warn(
      { err: report.error, totals: report.totals },
      'Reconciliation could not check the exchange; trading state unchanged',
    );
    if (fresh)
      await raise(
        ERROR_ALERT,
        'warning',
        `Reconciliation could not check the exchange: ${report.error ?? `${report.totals.errors} check(s) failed`}`,
        report,
      );
  }

  /** A divergence: tighten trading as configured, log it, alert when new or when it stopped trading. */
  async function onMismatch(report: ReconciliationReport, fresh: boolean): Promise<void> {
    let action: string;
    let changed = false;
    try {
      action = await tighten(report);
      changed = action.startsWith('trading set');
    } catch (e) {
      action = `failed: ${messageOf(e)}`;
    }
    o.log.error(
      {
        action,
        totals: report.totals,
        mismatched_symbols: report.mismatchedSymbols,
        on_mismatch: o.onMismatch,
      },
      'Reconciliation mismatch',
    );
    // Alert on a new divergence, and whenever this run stopped trading (e.g. again, after an operator resumed it).
    if (fresh || changed) {
      const where = report.mismatchedSymbols.length
        ? ` (${report.mismatchedSymbols.slice(0, 5).join(', ')}${report.mismatchedSymbols.length > 5 ? ', …' : ''})`
        : '';
      await raise(
        MISMATCH_ALERT,
        'critical',
        `Internal state diverges from the exchange: ${report.totals.mismatched} check(s)${where}; action: ${action}`,
        report,
      );
    }
  }

  async function runNow(): Promise<ReconciliationReport> {
    const report = await o.reconciler.run();
    try {
      await act(report);
    } catch (e) {
      o.log.error({ err: e, status: report.status }, 'Reconciliation outcome not acted on');
    }
    return report;
  }

  function next() {
    if (!running) return;
    cancel = schedule(async () => {
      cancel = undefined;
      await runNow();
      next();
    }, o.intervalMs);
  }

  return {
    start() {
      started ??= (async () => {
        running = true;
        const report = await runNow();
        next();
        return report;
      })();
      return started;
    },
    runNow,
    stop() {
      running = false;
      cancel?.();
      cancel = undefined;
    },
  };
}
