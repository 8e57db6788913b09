// The exchange's symbol rules in the running worker, read through the guarded exchange at start-up
// and every AIS_SYMBOL_RULES_REFRESH_S (the schedule: domain/market/symbol-rules-sync.ts). An
// `aster` start-up whose traded symbols are not all listed stops with one line (a ConfigError).
import type { Logger } from '../adapters/logging/logger.ts';
import { ConfigError } from '../config/config.ts';
import {
  startSymbolRulesSync,
  type SymbolRulesSync,
  type SymbolRulesSyncSetup,
} from '../domain/market/symbol-rules-sync.ts';

/** The schedule's setup, with `strict` in place of the start-up check. */
type SymbolRulesSetup = Omit<SymbolRulesSyncSetup, 'checkStartUp' | 'log' | 'timer'> & {
  /** Stop start-up when a traded symbol is unknown or not TRADING (aster). */
  strict: boolean;
  /** The `ais.market.rules` logger. */
  log: Logger;
};

/**
 * Starts the rules' schedule (read now, then every refreshMs; retryMs after a failure).
 * @throws ConfigError at a strict start-up when a traded symbol is unknown or not TRADING
 */
export function startSymbolRules({ strict, ...setup }: SymbolRulesSetup): Promise<SymbolRulesSync> {
  return startSymbolRulesSync({
    ...setup,
    checkStartUp: strict
      ? (unlisted) => {
          if (unlisted.length)
            throw new ConfigError(
              `exchange: cannot trade ${unlisted.join('; ')} (check AIS_SYMBOLS)`,
            );
        }
      : undefined,
  });
}
