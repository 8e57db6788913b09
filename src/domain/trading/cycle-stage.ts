// One stage of the coordinator's cycle, guarded: a stage that throws is counted in
// ais_loop_errors_total{stage} and logged ('Cycle stage failed', with the cycle), and the cycle
// goes on without its result.
import type { LogPort } from '../../ports/log.ts';
import type { Metrics } from '../../ports/metrics.ts';
import { messageOf } from '../error-message.mjs';

/** Runs `fn` as the stage `name`: its result, or undefined when it threw (counted and logged). */
export type Stage = <T>(name: string, fn: () => Promise<T>) => Promise<T | undefined>;

/**
 * A Stage that counts a failure with `metrics.loopError(name)` and logs it at ERROR as
 * `{cycle, stage, error}` ('Cycle stage failed'), `cycle` read when the failure happens.
 */
export function createStage(
  metrics: Pick<Metrics, 'loopError'>,
  log: LogPort,
  cycle: () => number,
): Stage {
  return async (name, fn) => {
    try {
      return await fn();
    } catch (e) {
      metrics.loopError(name);
      log.error({ cycle: cycle(), stage: name, err: e }, 'Cycle stage failed');
      return undefined;
    }
  };
}
