// The one current portfolio the worker holds: the risk engine reads it, the trading loop updates it.
import type { Portfolio } from './portfolio.ts';

export interface PortfolioBook {
  get(): Portfolio;
  /** Replaces the portfolio with fn(current) (applyFill, markPrice, startDay) and returns it. */
  update(fn: (p: Portfolio) => Portfolio): Portfolio;
}

export function createPortfolioBook(initial: Portfolio): PortfolioBook {
  let current = initial;
  return {
    get: () => current,
    update: (fn) => (current = fn(current)),
  };
}
