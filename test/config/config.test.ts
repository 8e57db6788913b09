import { describe, expect, it } from 'bun:test';
import { ConfigError, configSecrets, loadConfig } from '../../src/config/config.ts';

describe('loadConfig', () => {
  it('serves the embedded paper setup with no environment at all', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8000);
    expect(c.db.url).toBe('file:./data/ais.db');
    expect(c.exchange).toBe('paper');
    expect(c.decisionLogPath).toBe('./data/decisions.jsonl');
    expect(c.apiToken).toBeUndefined();
    expect(c.aster.baseUrl).toBe('https://fapi.asterdex.com');
  });

  it('returns a deeply frozen object', () => {
    const c = loadConfig({});
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.db)).toBe(true);
  });

  it('reads and coerces the variables it knows, ignoring blanks', () => {
    const c = loadConfig({ AIS_PORT: '9001', AIS_DB_URL: 'libsql://db.example.turso.io', AIS_LOG_LEVEL: 'debug', AIS_API_TOKEN: ' ' });
    expect(c.port).toBe(9001);
    expect(c.db.url).toBe('libsql://db.example.turso.io');
    expect(c.logLevel).toBe('debug');
    expect(c.apiToken).toBeUndefined();
  });

  it.each([
    [{ AIS_PORT: 'abc' }, 'AIS_PORT'],
    [{ AIS_PORT: '70000' }, 'AIS_PORT'],
    [{ AIS_PORT: '80.5' }, 'AIS_PORT'],
    [{ AIS_DB_URL: 'postgres://x' }, 'AIS_DB_URL'],
    [{ AIS_EXCHANGE: 'binance' }, 'AIS_EXCHANGE'],
    [{ AIS_LOG_LEVEL: 'loud' }, 'AIS_LOG_LEVEL'],
    [{ AIS_API_TOKEN: 'short' }, 'AIS_API_TOKEN'],
    [{ AIS_PUSHGATEWAY_URL: 'ftp://x' }, 'AIS_PUSHGATEWAY_URL'],
  ])('stops with one line naming the variable for %p', (env, name) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(name);
    expect(message.includes('\n')).toBe(false);
  });

  it('never echoes a secret in its error', () => {
    expect(() => loadConfig({ AIS_API_TOKEN: 'tiny-secret' })).toThrow(/value hidden/);
  });

  it('requires credentials and a signing secret for the aster exchange', () => {
    expect(() => loadConfig({ AIS_EXCHANGE: 'aster' })).toThrow(/ASTER_API_KEY/);
    expect(() => loadConfig({ AIS_EXCHANGE: 'aster', ASTER_API_KEY: 'k', ASTER_API_SECRET: 's' })).toThrow(/AIS_RISK_HMAC_SECRET/);
  });

  it('lists every configured secret for log scrubbing', () => {
    const c = loadConfig({ AIS_API_TOKEN: 'a'.repeat(20), ASTER_API_SECRET: 'sec', AIS_DB_AUTH_TOKEN: 'dbt' });
    expect(configSecrets(c).sort()).toEqual(['a'.repeat(20), 'dbt', 'sec'].sort());
  });
});
