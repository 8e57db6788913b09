// The exchange's symbol rules, read again and again: at start-up and every `refreshMs` (default 5
// minutes; exchangeInfo, weight 1), handed to the risk engine (the exchange_rules guard, and sizing
// reads them from there). A listed symbol that is not TRADING (at start-up or later) is the status
// watch's (symbol-status-watch.ts: REDUCING on its own). A read that fails leaves every order
// refused by exchange_rules (none read yet) and is tried again after `retryMs` (default a minute).
// Each read also reads the symbols' maintenance brackets (leverageBracket, weight 1) onto their
// rules, for the margin estimates; when that read fails the brackets read last stay (none yet: the
// default table).
import type { Exchange } from '../../ports/exchange.ts';
import type { LogPort } from '../../ports/log.ts';
import type { BracketTable } from '../portfolio/margin.ts';
import type { RiskEngine } from '../risk/engine.ts';
import { type DelayTimer, realDelayTimer } from '../time/timers.ts';
import { tradedSymbolProblems } from './symbol-rules.ts';
import type { SymbolStatusWatch } from './symbol-status-watch.ts';

/** Rules change rarely, a symbol's status (a delisting) must be seen soon: every 5 minutes by default (ms). */
export const SYMBOL_RULES_REFRESH_MS = 300_000;
/** After a failed read: the next try (ms). */
export const SYMBOL_RULES_RETRY_MS = 60_000;

/** Where the rules come from, where they go, and when to read them again. */
export interface SymbolRulesSyncSetup {
  exchange: Pick<Exchange, 'symbolRules' | 'leverageBrackets'>;
  engine: Pick<RiskEngine, 'setSymbolRules'>;
  symbols: readonly string[];
  /**
   * At start-up, with the traded symbols the worker cannot trade, each a problem line (with a
   * status watch only the unlisted ones, without one also those not TRADING; empty when none):
   * throwing stops the start-up before anything is applied or scheduled.
   */
  checkStartUp?: (unlisted: readonly string[]) => void;
  /** The `ais.market.rules` logger. */
  log: LogPort;
  /** Between successful reads; SYMBOL_RULES_REFRESH_MS by default. */
  refreshMs?: number;
  /** After a failed read; SYMBOL_RULES_RETRY_MS by default. */
  retryMs?: number;
  /** A traded symbol's status change (a delisting, back to TRADING): holds and alerts. */
  status?: SymbolStatusWatch;
  /** setTimeout (unref'd) by default; a test passes its own. */
  timer?: DelayTimer;
}

/** The running schedule. */
export interface SymbolRulesSync {
  /** Reads the rules now; false when they could not be read. */
  refresh(): Promise<boolean>;
  stop(): void;
}

/**
 * Reads the rules with each symbol's brackets; undefined (logged) when the rules could not be read.
 * A failed bracket read is logged and keeps the brackets read last (none yet: the default table).
 */
function rulesReader(setup: Pick<SymbolRulesSyncSetup, 'exchange' | 'log'>) {
  let brackets: Map<string, BracketTable> = new Map();
  /** The brackets now, else those read last (a failed read is logged and changes nothing). */
  async function readBrackets() {
    if (!setup.exchange.leverageBrackets) return brackets;
    try {
      brackets = await setup.exchange.leverageBrackets();
    } catch (e) {
      setup.log.warn(
        { err: e, kept: brackets.size },
        'Could not read the leverage brackets: margin estimates keep the brackets read last',
      );
    }
    return brackets;
  }

  async function read() {
    try {
      const rules = await setup.exchange.symbolRules();
      const own = await readBrackets();
      for (const [symbol, r] of rules)
        if (own.has(symbol)) rules.set(symbol, { ...r, brackets: own.get(symbol) });
      return rules;
    } catch (e) {
      setup.log.error(
        { err: e },
        'Could not read the exchange symbol rules: orders are refused (exchange_rules) until they can be read',
      );
      return undefined;
    }
  }

  return read;
}

/**
 * Reads the rules now and then every `refreshMs` (every `retryMs` after a failure).
 * @throws whatever `checkStartUp` throws, before anything is applied or scheduled
 */
export async function startSymbolRulesSync(setup: SymbolRulesSyncSetup): Promise<SymbolRulesSync> {
  const timer = setup.timer ?? realDelayTimer;
  let handle: unknown;
  let stopped = false;
  const schedule = (ms: number) => {
    if (stopped) return;
    handle = timer.after(() => void refresh(), ms);
  };

  const read = rulesReader(setup);

  /** Reads and applies the rules, then schedules the next read; `startUp`: checkStartUp first. */
  async function refresh(startUp = false): Promise<boolean> {
    timer.cancel(handle);
    const rules = await read();
    if (rules) {
      const problems = tradedSymbolProblems(rules, setup.symbols);
      // Not listed stops a strict start-up; listed but not TRADING is the status watch's (REDUCING).
      const unlisted = setup.status
        ? setup.symbols
            .filter((s) => !rules.has(s))
            .map((s) => problems.find((p) => p.startsWith(`${s} `))!)
        : problems;
      if (startUp) setup.checkStartUp?.(unlisted);
      setup.engine.setSymbolRules(rules);
      await setup.status
        ?.apply(rules, setup.symbols)
        .catch((e: unknown) => setup.log.error({ err: e }, 'Symbol statuses not applied'));
      // Later, a symbol that stops trading is logged; the guard and sizing already keep its orders back.
      if (problems.length)
        setup.log.warn({ problems }, 'Traded symbols the exchange takes no orders for');
      setup.log.info({ symbols: rules.size, traded: setup.symbols.length }, 'Symbol rules loaded');
    }
    schedule(
      rules
        ? (setup.refreshMs ?? SYMBOL_RULES_REFRESH_MS)
        : (setup.retryMs ?? SYMBOL_RULES_RETRY_MS),
    );
    return rules !== undefined;
  }

  await refresh(true);
  return {
    refresh: () => refresh(),
    stop() {
      stopped = true;
      timer.cancel(handle);
    },
  };
}
