// The paper venue and the built-in agents. Paper mode: a seeded synthetic market with history, so
// agents trade from the first cycle, moved one bar per AIS_MARKET_BAR_MS; with a restored account
// (a restart) the exchange continues from it and the market from its marks.
import { createPaperExchange } from '../adapters/exchange/paper/paper-exchange.ts';
import type { Config } from '../config/config.ts';
import {
  createSyntheticMarket,
  DEFAULT_SYMBOLS,
  KNOWN_SYMBOLS,
} from '../domain/market/synthetic.ts';
import type { Portfolio } from '../domain/portfolio/portfolio.ts';
import { type BuiltInAgentId, createBuiltInAgents } from '../domain/trading/agents/built-in.ts';

/** Bars of history generated before the first cycle (longer than any agent's lookback). */
const HISTORY_BARS = 300;

/** The built-in agents AIS_AGENTS selects (config.loop.agents: unset = all three on paper, none on aster). */
export function buildAgents(ids: readonly BuiltInAgentId[]) {
  return createBuiltInAgents(ids);
}

/**
 * The paper market and exchange: symbols from the config (KNOWN_SYMBOLS at realistic prices, others
 * start at 100 USD). With a
 * restored account (a restart), the exchange continues from it and the market from its marks.
 */
export function buildPaper(config: Readonly<Config>, nowMs: () => number, account?: Portfolio) {
  const symbols = config.loop.symbols ?? DEFAULT_SYMBOLS.map((s) => s.symbol);
  const specs = symbols.map(
    (symbol) => KNOWN_SYMBOLS.find((s) => s.symbol === symbol) ?? { symbol, startPrice: 100 },
  );
  const barMs = config.market.barMs;
  const market = createSyntheticMarket({
    seed: config.market.seed,
    symbols: specs,
    barMs,
    startMs: nowMs() - HISTORY_BARS * barMs,
  });
  market.advanceTo(nowMs());
  for (const p of Object.values(account?.positions ?? {})) market.rebase(p.symbol, p.markPrice);
  const exchange = createPaperExchange({
    market,
    initialBalanceUsd: config.initialBalanceUsd,
    nowMs,
    account,
    leverage: config.paperLeverage,
  });
  return { market, exchange, symbols };
}
