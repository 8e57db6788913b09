// What runs before every reconciliation so that the worker's book includes what the exchange did on
// its own: the ledger (income of every type), the forced orders (liquidations and ADLs the stream
// missed), the account's settings (changed under the worker). Each step on its own: one that fails
// is logged and does not skip the others (reconciliation then reports what stays unexplained).
import type { LogPort } from '../../ports/log.ts';

export interface AccountSyncStep {
  /** For the log line: ledger, forced_orders, settings. */
  name: string;
  run: () => Promise<unknown>;
}

/** Runs `steps` in order, each failure logged at WARNING with the step's name. Never rejects. */
export async function syncAccount(steps: readonly AccountSyncStep[], log: LogPort): Promise<void> {
  for (const step of steps) {
    try {
      await step.run();
    } catch (e) {
      log.warn({ err: e, step: step.name }, 'Account sync step failed before reconciling');
    }
  }
}
