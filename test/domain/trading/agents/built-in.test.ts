import { describe, expect, test } from 'bun:test';
import {
  agentIdsFor,
  BUILT_IN_AGENT_IDS,
  createBuiltInAgents,
} from '../../../../src/domain/trading/agents/built-in.ts';
import { loadConfig } from '../../../../src/config/config.ts';

const ASTER = {
  AIS_EXCHANGE: 'aster',
  ASTER_API_KEY: 'live-key-0123456789',
  ASTER_API_SECRET: 'live-secret-0123456789',
  AIS_RISK_HMAC_SECRET: 'live-risk-secret-0123456789abcdef0123',
};

describe('agentIdsFor', () => {
  test('unset: all three on paper, none on aster', () => {
    expect(agentIdsFor(undefined, 'paper')).toEqual([...BUILT_IN_AGENT_IDS]);
    expect(agentIdsFor(undefined, 'aster')).toEqual([]);
  });

  test('named: exactly those, in the order given, on either exchange', () => {
    expect(agentIdsFor(['mean_reversion'], 'aster')).toEqual(['mean_reversion']);
    expect(agentIdsFor([], 'paper')).toEqual([]);
  });

  test('createBuiltInAgents builds the agents with those ids', () => {
    expect(createBuiltInAgents(['volatility_breakout', 'momentum']).map((a) => a.id)).toEqual([
      'volatility_breakout',
      'momentum',
    ]);
  });
});

describe('AIS_AGENTS', () => {
  test('defaults by exchange', () => {
    expect(loadConfig({}).loop.agents).toEqual([...BUILT_IN_AGENT_IDS]);
    expect(loadConfig(ASTER).loop.agents).toEqual([]);
  });

  test('none turns them off on paper; a list turns them on on aster', () => {
    expect(loadConfig({ AIS_AGENTS: 'none' }).loop.agents).toEqual([]);
    expect(
      loadConfig({ ...ASTER, AIS_AGENTS: 'momentum, volatility_breakout' }).loop.agents,
    ).toEqual(['momentum', 'volatility_breakout']);
  });

  test('an unknown or repeated id is refused with one line naming the variable', () => {
    expect(() => loadConfig({ AIS_AGENTS: 'momentum,rsi' })).toThrow(
      /^config: AIS_AGENTS expected none or built-in agent ids separated by commas, each once \(momentum, mean_reversion, volatility_breakout\) \(got "momentum,rsi"\)$/,
    );
    expect(() => loadConfig({ AIS_AGENTS: 'momentum,momentum' })).toThrow(/AIS_AGENTS/);
  });
});
