// The cycle's signals: every agent on every symbol's bars, then the external signals queued since
// the last cycle. A failing agent is counted and logged and the others go on; each agent's latency
// is measured on the monotonic clock passed in.
import type { LogPort } from '../../ports/log.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { Agent, Bars, Signal } from './agents/agent.ts';
import { messageOf } from '../error-message.mjs';

/** The agents to run, where their latency, signals and failures go, and the monotonic clock (ms). */
export interface SignalDeps {
  agents: readonly Agent[];
  metrics: Pick<Metrics, 'agentLatency' | 'signal' | 'loopError'>;
  log: LogPort;
  monoMs: () => number;
}

/**
 * Every agent's signal on every symbol's bars, in agent order, then `external` (the queued
 * signals). An agent that throws loses its signals this cycle: counted as `loopError('agent')` and
 * logged ('Agent failed', with `cycle`). Each agent's latency (s) is recorded, failed or not; each
 * signal is counted by agent and direction.
 */
export function collectSignals(
  { agents, metrics, log, monoMs }: SignalDeps,
  bars: readonly Bars[],
  external: readonly Signal[],
  cycle: number,
): Signal[] {
  const signals: Signal[] = [];
  for (const agent of agents) {
    const t0 = monoMs();
    try {
      for (const b of bars) {
        const s = agent.analyze(b);
        if (s) signals.push(s);
      }
    } catch (e) {
      metrics.loopError('agent');
      log.error({ cycle, agent_id: agent.id, err: e }, 'Agent failed');
    }
    metrics.agentLatency(agent.id, (monoMs() - t0) / 1000);
  }
  signals.push(...external);
  for (const s of signals) metrics.signal(s.agentId, s.direction);
  return signals;
}
