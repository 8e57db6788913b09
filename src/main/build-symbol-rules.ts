// The exchange's symbol rules in the running worker: read through the guarded exchange at start-up
// and every AIS_SYMBOL_RULES_REFRESH_S (default 5 minutes; exchangeInfo, weight 1), handed to the
// risk engine (the exchange_rules guard, and sizing reads them from there). An `aster` start-up
// whose traded symbols are not all listed stops with one line; a listed symbol that is not TRADING
// (at start-up or later) trades REDUCING on its own (symbol-status-watch.ts). A start-up that cannot
// read the rules goes on with every order refused by exchange_rules and tries again every minute.
// Each read also reads the symbols' maintenance brackets (leverageBracket, weight 1) onto their
// rules, for the margin estimates; when that read fails the brackets read last stay (none yet: the
// default table).
import type { Logger } from '../adapters/logging/logger.ts';
import { ConfigError } from '../config/config.ts';
import { tradedSymbolProblems } from '../domain/market/symbol-rules.ts';
import type { BracketTable } from '../domain/portfolio/margin.ts';
import type { RiskEngine } from '../domain/risk/engine.ts';
import type { Exchange } from '../ports/exchange.ts';
import type { SymbolStatusWatch } from '../domain/market/symbol-status-watch.ts';

/** Rules change rarely, a symbol's status (a delisting) must be seen soon: every 5 minutes by default. */
const SYMBOL_RULES_REFRESH_MS = 300_000;
/** After a failed read: the next try. */
const SYMBOL_RULES_RETRY_MS = 60_000;

/** Where the rules come from, where they go, and when to read them again. */
interface SymbolRulesSetup {
  exchange: Pick<Exchange, 'symbolRules' | 'leverageBrackets'>;
  engine: Pick<RiskEngine, 'setSymbolRules'>;
  symbols: readonly string[];
  /** Stop start-up when a traded symbol is unknown or not TRADING (aster). */
  strict: boolean;
  /** The `ais.market.rules` logger. */
  log: Logger;
  /** Between successful reads; SYMBOL_RULES_REFRESH_MS by default. */
  refreshMs?: number;
  /** After a failed read; SYMBOL_RULES_RETRY_MS by default. */
  retryMs?: number;
  /** A traded symbol's status change (a delisting, back to TRADING): holds and alerts. */
  status?: SymbolStatusWatch;
}

interface SymbolRulesSync {
  /** Reads the rules now; false when they could not be read. */
  refresh(): Promise<boolean>;
  stop(): void;
}

/**
 * Reads the rules with each symbol's brackets; undefined (logged) when the rules could not be read.
 * A failed bracket read is logged and keeps the brackets read last (none yet: the default table).
 */
function rulesReader(setup: Pick<SymbolRulesSetup, 'exchange' | 'log'>) {
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
 * @throws ConfigError at a strict start-up when a traded symbol is unknown or not TRADING
 */
export async function startSymbolRules(setup: SymbolRulesSetup): Promise<SymbolRulesSync> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => void refresh(), ms);
    (timer as { unref?: () => void }).unref?.();
  };

  const read = rulesReader(setup);

  /** Reads and applies the rules, then schedules the next read; `startUp` stops a strict start-up on a bad symbol. */
  async function refresh(startUp = false): Promise<boolean> {
    clearTimeout(timer);
    const rules = await read();
    if (rules) {
      const problems = tradedSymbolProblems(rules, setup.symbols);
      // Not listed stops a strict start-up; listed but not TRADING is the status watch's (REDUCING).
      const unlisted = setup.status
        ? setup.symbols
            .filter((s) => !rules.has(s))
            .map((s) => problems.find((p) => p.startsWith(`${s} `))!)
        : problems;
      if (startUp && setup.strict && unlisted.length)
        throw new ConfigError(`exchange: cannot trade ${unlisted.join('; ')} (check AIS_SYMBOLS)`);
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
      clearTimeout(timer);
    },
  };
}
