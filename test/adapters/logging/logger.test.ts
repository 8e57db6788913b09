import { describe, expect, it } from 'bun:test';
import { componentLogger, createLogger } from '../../../src/adapters/logging/logger.ts';
import { ExchangeError } from '../../../src/ports/exchange.ts';
import { captureLogs } from '../../helpers/test-deps.ts';

function setup(secrets: string[] = []) {
  const logs = captureLogs();
  const root = createLogger({ level: 'debug', destination: logs.destination, secrets });
  return { root, lines: logs.lines };
}

describe('createLogger', () => {
  it('writes the seed shape: timestamp, level, logger, message, extra_json', () => {
    const { root, lines } = setup();
    componentLogger(root, 'ais.orchestration.coordinator').info(
      {
        cycle: 42,
        signals_generated: 2,
        signal_selected: true,
        risk_approved: true,
        duration_ms: 245,
      },
      'Cycle completed',
    );
    const [line] = lines;
    expect(Object.keys(line!).sort()).toEqual([
      'extra_json',
      'level',
      'logger',
      'message',
      'timestamp',
    ]);
    expect(line).toMatchObject({
      level: 'INFO',
      logger: 'ais.orchestration.coordinator',
      message: 'Cycle completed',
      extra_json: {
        cycle: 42,
        signals_generated: 2,
        signal_selected: true,
        risk_approved: true,
        duration_ms: 245,
      },
    });
    expect(Number.isNaN(Date.parse(String(line!.timestamp)))).toBe(false);
  });

  it('names levels as the seed does', () => {
    const { root, lines } = setup();
    root.debug('d');
    root.info('i');
    root.warn('w');
    root.error('e');
    root.fatal('f');
    expect(lines.map((l) => l.level)).toEqual(['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL']);
  });

  it('gives each line exactly one logger name, also for nested children', () => {
    const { root, lines } = setup();
    const child = componentLogger(componentLogger(root, 'ais.risk'), 'ais.risk.engine');
    child.info('x');
    root.info('y');
    expect(lines.map((l) => l.logger)).toEqual(['ais.risk.engine', 'ais']);
  });

  it('redacts secret-looking keys at any depth', () => {
    const { root, lines } = setup();
    root.info(
      {
        apiKey: 'AK',
        nested: {
          api_secret: 'S',
          password: 'P',
          list: [{ token: 'T' }],
          privateKey: 'PK',
          signer_private_key: 'SPK',
        },
        authorization: 'Bearer x',
      },
      'm',
    );
    const text = JSON.stringify(lines[0]);
    for (const leaked of ['"AK"', '"S"', '"P"', '"T"', 'Bearer x', '"PK"', '"SPK"'])
      expect(text).not.toContain(leaked);
    expect(text).toContain('[REDACTED]');
  });

  it('scrubs configured secret values wherever they appear, message included', () => {
    const secret = 'sk-live-0123456789';
    const { root, lines } = setup([secret]);
    root.error(
      { url: `https://x/?key=${secret}`, err: new Error(`bad ${secret}`) },
      `failed with ${secret}`,
    );
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain(secret);
    expect(lines[0]!.message).toBe('failed with [REDACTED]');
  });

  it('serialises errors with their message and stack', () => {
    const { root, lines } = setup();
    root.error({ err: new TypeError('boom') }, 'failed');
    expect(lines[0]!.extra_json).toMatchObject({ err: { type: 'TypeError', message: 'boom' } });
  });

  it('serialises an error with its code and the error it wraps, the cause scrubbed too', () => {
    const { root, lines } = setup();
    const low = Object.assign(
      new Error('connect ECONNRESET https://fapi.example/order?symbol=BTCUSDT&signature=abc123'),
      { code: 'ECONNRESET' },
    );
    root.error(
      {
        err: new ExchangeError(
          'unavailable',
          'aster new_order: network failure',
          { operation: 'new_order' },
          { cause: low },
        ),
      },
      'failed',
    );
    expect(lines[0]!.extra_json).toMatchObject({
      err: {
        type: 'ExchangeError',
        code: 'exchange_unavailable',
        cause: {
          type: 'Error',
          code: 'ECONNRESET',
          message:
            'connect ECONNRESET https://fapi.example/order?symbol=BTCUSDT&signature=[REDACTED]',
        },
      },
    });
    expect(JSON.stringify(lines[0])).not.toContain('abc123');
  });
});
