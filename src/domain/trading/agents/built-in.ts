// The built-in demo agents by id, and which of them run. They are demonstrations, not strategies
// to trust with money (they lost in 4 of 5 30-day backtests, issue #18): on paper all three run
// unless AIS_AGENTS says otherwise; on a live exchange none run unless AIS_AGENTS names them, and
// the worker is then a risk gate and monitor for an external trader (POST /v1/signals, /v1/orders/check).
import type { Agent } from './agent.ts';
import { createMeanReversionAgent } from './mean-reversion.ts';
import { createMomentumAgent } from './momentum.ts';
import { createVolatilityBreakoutAgent } from './volatility-breakout.ts';

/** The ids AIS_AGENTS accepts, in the order the agents run. */
export const BUILT_IN_AGENT_IDS = ['momentum', 'mean_reversion', 'volatility_breakout'] as const;

export type BuiltInAgentId = (typeof BUILT_IN_AGENT_IDS)[number];

const FACTORIES: Record<BuiltInAgentId, () => Agent> = {
  momentum: createMomentumAgent,
  mean_reversion: createMeanReversionAgent,
  volatility_breakout: createVolatilityBreakoutAgent,
};

/** True when `id` names a built-in agent. */
export const isBuiltInAgentId = (id: string): id is BuiltInAgentId =>
  (BUILT_IN_AGENT_IDS as readonly string[]).includes(id);

/**
 * The agents that run when AIS_AGENTS is `named` (undefined = unset) on `exchange`: the ones named,
 * else all three on paper and none on a live exchange. `[]` (AIS_AGENTS=none) runs none anywhere.
 */
export function agentIdsFor(
  named: readonly BuiltInAgentId[] | undefined,
  exchange: 'paper' | 'aster',
): readonly BuiltInAgentId[] {
  if (named) return named;
  return exchange === 'paper' ? BUILT_IN_AGENT_IDS : [];
}

/** Fresh agents for the given ids, in that order. */
export const createBuiltInAgents = (ids: readonly BuiltInAgentId[]): Agent[] =>
  ids.map((id) => FACTORIES[id]());
