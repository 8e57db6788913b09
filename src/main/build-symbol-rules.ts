// The exchange's symbol rules in the running worker: read through the guarded exchange at start-up
// and every hour (exchangeInfo, weight 1), handed to the risk engine (the exchange_rules guard, and
// sizing reads them from there). An `aster` start-up whose traded symbols are not all listed and
// TRADING stops with one line; a start-up that cannot read the rules goes on with every order
// refused by exchange_rules and tries again every minute until it can.
import type { Logger } from '../adapters/logging/logger.ts';
import { tradedSymbolProblems } from '../domain/market/symbol-rules.ts';
import type { RiskEngine } from '../domain/risk/engine.ts';
import type { Exchange } from '../ports/exchange.ts';

/** Symbol rules change rarely (a new listing, a tick-size change): once an hour is enough. */
export const SYMBOL_RULES_REFRESH_MS = 3_600_000;
/** After a failed read: the next try. */
export const SYMBOL_RULES_RETRY_MS = 60_000;

export interface SymbolRulesInput {
  exchange: Pick<Exchange, 'symbolRules'>;
  engine: Pick<RiskEngine, 'setSymbolRules'>;
  symbols: readonly string[];
  /** Stop start-up when a traded symbol is unknown or not TRADING (aster). */
  strict: boolean;
  /** The `ais.market.rules` logger. */
  log: Logger;
  refreshMs?: number;
  retryMs?: number;
}

export interface SymbolRulesSync {
  /** Reads the rules now; false when they could not be read. */
  refresh(): Promise<boolean>;
  stop(): void;
}

export async function startSymbolRules(i: SymbolRulesInput): Promise<SymbolRulesSync> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => void refresh(), ms);
    (timer as { unref?: () => void }).unref?.();
  };

  async function read() {
    try {
      return await i.exchange.symbolRules();
    } catch (e) {
      i.log.error({ error: e instanceof Error ? e.message : String(e) }, 'Could not read the exchange symbol rules: orders are refused (exchange_rules) until they can be read');
      return undefined;
    }
  }

  /** Reads and applies the rules, then schedules the next read; `startUp` stops a strict start-up on a bad symbol. */
  async function refresh(startUp = false): Promise<boolean> {
    clearTimeout(timer);
    const rules = await read();
    if (rules) {
      const problems = tradedSymbolProblems(rules, i.symbols);
      if (startUp && i.strict && problems.length) throw new Error(`exchange: cannot trade ${problems.join('; ')} (check AIS_SYMBOLS)`);
      i.engine.setSymbolRules(rules);
      // Later, a symbol that stops trading is logged; the guard and sizing already keep its orders back.
      if (problems.length) i.log.warn({ problems }, 'Traded symbols the exchange takes no orders for');
      i.log.info({ symbols: rules.size, traded: i.symbols.length }, 'Symbol rules loaded');
    }
    schedule(rules ? (i.refreshMs ?? SYMBOL_RULES_REFRESH_MS) : (i.retryMs ?? SYMBOL_RULES_RETRY_MS));
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
