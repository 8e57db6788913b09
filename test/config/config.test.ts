import { describe, expect, it } from 'bun:test';
import { ConfigError, configSecrets, loadConfig } from '../../src/config/config.ts';

describe('loadConfig', () => {
  it('serves the embedded paper setup with no environment at all', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8000);
    // Loopback unless AIS_HOST says otherwise: nothing is reachable from outside by default.
    expect(c.host).toBe('127.0.0.1');
    expect(loadConfig({ AIS_HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
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
    const c = loadConfig({
      AIS_PORT: '9001',
      AIS_DB_URL: 'libsql://db.example.turso.io',
      AIS_LOG_LEVEL: 'debug',
      AIS_API_TOKEN: ' ',
    });
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
    [{ AIS_RETENTION_DAYS: '-1' }, 'AIS_RETENTION_DAYS'],
    [{ AIS_RETENTION_DAYS: 'a month' }, 'AIS_RETENTION_DAYS'],
    [{ AIS_DECISION_LOG_MAX_BYTES: '1.5' }, 'AIS_DECISION_LOG_MAX_BYTES'],
    [{ AIS_DECISION_LOG_KEEP: '0' }, 'AIS_DECISION_LOG_KEEP'],
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

  it('reads AIS_ASTER_LEVERAGE and AIS_ASTER_MARGIN_TYPE: one value for all symbols and/or SYMBOL:value pairs', () => {
    const c = loadConfig({
      AIS_ASTER_LEVERAGE: '10,BTCUSDT:5',
      AIS_ASTER_MARGIN_TYPE: 'ETHUSDT:ISOLATED',
    });
    expect(c.aster.leverage).toEqual({ all: 10, bySymbol: { BTCUSDT: 5 } });
    expect(c.aster.marginType).toEqual({ bySymbol: { ETHUSDT: 'ISOLATED' } });
    expect(loadConfig({}).aster.leverage).toBeUndefined();
  });

  it.each([
    ['AIS_ASTER_LEVERAGE', '0', '"0" is not'],
    ['AIS_ASTER_LEVERAGE', '126', '"126" is not'],
    ['AIS_ASTER_LEVERAGE', 'BTCUSDT:2.5', '"BTCUSDT:2.5" is not'],
    ['AIS_ASTER_LEVERAGE', '5,6', 'more than one value for every symbol'],
    ['AIS_ASTER_LEVERAGE', 'BTCUSDT:5,BTCUSDT:6', 'names BTCUSDT twice'],
    ['AIS_ASTER_MARGIN_TYPE', 'cross', 'expected CROSSED or ISOLATED'],
  ])('stops with one line for %s=%p', (name, value, says) => {
    expect(() => loadConfig({ [name]: value })).toThrow(
      new RegExp(`^config: ${name} .*${says.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
  });

  it('reads retention and trail rotation, with their defaults', () => {
    expect(loadConfig({}).retentionDays).toBe(30);
    expect(loadConfig({ AIS_RETENTION_DAYS: '0.25' }).retentionDays).toBe(0.25);
    expect(loadConfig({}).decisionLogRotation).toEqual({ maxBytes: 104_857_600, keep: 10 });
    expect(
      loadConfig({ AIS_DECISION_LOG_MAX_BYTES: '0', AIS_DECISION_LOG_KEEP: '3' })
        .decisionLogRotation,
    ).toEqual({ maxBytes: 0, keep: 3 });
  });

  it('never echoes a secret in its error', () => {
    expect(() => loadConfig({ AIS_API_TOKEN: 'tiny-secret' })).toThrow(/value hidden/);
  });

  it('requires credentials and a signing secret for the aster exchange', () => {
    expect(() => loadConfig({ AIS_EXCHANGE: 'aster' })).toThrow(/ASTER_API_KEY/);
    expect(() =>
      loadConfig({ AIS_EXCHANGE: 'aster', ASTER_API_KEY: 'k', ASTER_API_SECRET: 's' }),
    ).toThrow(/AIS_RISK_HMAC_SECRET/);
  });

  describe('Aster V3 (API wallet) variables', () => {
    // The API docs' demo wallet (issue 9's known-answer vector).
    const KEY = '0x4fd0a42218f3eae43a6ce26d22544e986139a01e5b34a62db53757ffca81bae1';
    const SIGNER = '0x21cF8Ae13Bb72632562c6Fff438652Ba1a151bb0';
    const USER = '0x63DD5aCC6b1aa0f563956C0e534DD30B6dcF7C4e';
    const HMAC = { AIS_RISK_HMAC_SECRET: 'x'.repeat(32) };
    const v3 = {
      AIS_EXCHANGE: 'aster',
      ASTER_USER: USER,
      ASTER_SIGNER: SIGNER,
      ASTER_SIGNER_PRIVATE_KEY: KEY,
      ...HMAC,
    };
    const oneLine = (env: Record<string, string>, pattern: RegExp) => {
      let message = '';
      try {
        loadConfig(env);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        message = (e as Error).message;
      }
      expect(message).toMatch(pattern);
      expect(message.includes('\n')).toBe(false);
      return message;
    };

    it('select V3 with the mainnet chain id by default; 714 selects testnet', () => {
      const c = loadConfig(v3);
      expect(c.aster.wallet).toEqual({
        user: USER,
        signer: SIGNER,
        privateKey: KEY,
        chainId: 1666,
      });
      expect(c.aster.apiKey).toBeUndefined();
      expect(loadConfig({ ...v3, ASTER_CHAIN_ID: '714' }).aster.wallet?.chainId).toBe(714);
    });

    it('read a private key without 0x and a lower-case signer address', () => {
      const c = loadConfig({
        ...v3,
        ASTER_SIGNER_PRIVATE_KEY: KEY.slice(2),
        ASTER_SIGNER: SIGNER.toLowerCase(),
      });
      expect(c.aster.wallet?.privateKey).toBe(KEY);
    });

    it('keep the V1 rule for AIS_RISK_HMAC_SECRET', () => {
      oneLine(
        { ...v3, AIS_RISK_HMAC_SECRET: '' },
        /^config: AIS_RISK_HMAC_SECRET is required when AIS_EXCHANGE=aster$/,
      );
    });

    it('stop start-up with one line naming the variable', () => {
      oneLine({ ...v3, ASTER_API_KEY: 'k', ASTER_API_SECRET: 's' }, /ASTER_API_KEY.*both set/);
      oneLine({ ...v3, ASTER_API_SECRET: 's' }, /both set/);
      oneLine(
        { AIS_EXCHANGE: 'aster', ...HMAC },
        /ASTER_USER, ASTER_SIGNER and ASTER_SIGNER_PRIVATE_KEY .*required/,
      );
      oneLine({ ...v3, ASTER_SIGNER: '' }, /^config: ASTER_SIGNER is required with ASTER_USER/);
      oneLine(
        { ...v3, ASTER_USER: '0x1234' },
        /^config: ASTER_USER expected an address: 0x and 40 hex digits \(got "0x1234"\)$/,
      );
      oneLine({ ...v3, ASTER_SIGNER: `${SIGNER}00` }, /^config: ASTER_SIGNER expected an address/);
      oneLine(
        { ...v3, ASTER_CHAIN_ID: '1' },
        /^config: ASTER_CHAIN_ID expected 1666 \(mainnet\) or 714 \(testnet\)/,
      );
      const derive = oneLine(
        { ...v3, ASTER_SIGNER: USER },
        /^config: ASTER_SIGNER_PRIVATE_KEY does not derive to ASTER_SIGNER/,
      );
      expect(derive).toContain(SIGNER); // the address the key does belong to
      expect(derive).not.toContain(KEY.slice(2));
      const badKey = oneLine(
        { ...v3, ASTER_SIGNER_PRIVATE_KEY: 'zz' },
        /^config: ASTER_SIGNER_PRIVATE_KEY expected a private key/,
      );
      expect(badKey).toContain('value hidden');
      oneLine(
        { ...v3, ASTER_SIGNER_PRIVATE_KEY: `0x${'0'.repeat(64)}` },
        /^config: ASTER_SIGNER_PRIVATE_KEY is not a valid secp256k1 private key/,
      );
    });

    it('checks the wallet variables on paper too (a bad value is a bad value), not their presence', () => {
      expect(loadConfig({}).aster.wallet).toBeUndefined();
      oneLine({ ASTER_USER: USER }, /ASTER_SIGNER is required with ASTER_USER/);
    });

    it('list the private key, with and without 0x, among the secrets', () => {
      const secrets = configSecrets(loadConfig(v3));
      expect(secrets).toContain(KEY);
      expect(secrets).toContain(KEY.slice(2));
    });
  });

  it('lists every configured secret for log scrubbing', () => {
    const c = loadConfig({
      AIS_API_TOKEN: 'a'.repeat(20),
      ASTER_API_SECRET: 'sec',
      AIS_DB_AUTH_TOKEN: 'dbt',
    });
    expect(configSecrets(c).sort()).toEqual(['a'.repeat(20), 'dbt', 'sec'].sort());
  });
});
