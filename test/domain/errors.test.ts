import { describe, expect, it } from 'bun:test';
import { CsvBarsError } from '../../src/adapters/market/csv-bars.ts';
import { PushgatewayError } from '../../src/adapters/pushgateway/push.ts';
import { throttledError } from '../../src/adapters/resilience/errors.ts';
import { ConfigError } from '../../src/config/config.ts';
import { AisError, HttpStatusError, InvalidArgumentError } from '../../src/domain/errors.ts';
import { OrderRefusedError } from '../../src/domain/risk/order-gate.ts';
import { OrderRefusal } from '../../src/domain/trading/refusals.ts';
import { AccountSetupError } from '../../src/main/account-setup.ts';
import { StoreUnavailableError } from '../../src/ports/event-store.ts';
import { ExchangeError } from '../../src/ports/exchange.ts';
import { CircuitOpenError } from '../../src/ports/resilience.ts';

const low = new Error('SQLITE_BUSY: database is locked');
const refusal = {
  reason: 'margin_insufficient',
  code: '-2019',
  message: 'Margin is insufficient.',
} as const;

describe('AisError', () => {
  it.each([
    ['ConfigError', new ConfigError('config: AIS_PORT expected a whole number'), 'config_invalid'],
    ['InvalidArgumentError', new InvalidArgumentError('no limiter named x'), 'invalid_argument'],
    ['HttpStatusError', new HttpStatusError('slack', 503, 'HTTP 503'), 'http_status'],
    [
      'StoreUnavailableError',
      new StoreUnavailableError('event store write failed', { cause: low }),
      'store_unavailable',
    ],
    [
      'ExchangeError',
      new ExchangeError('timeout', 'aster new_order: no answer within 5000 ms'),
      'exchange_timeout',
    ],
    [
      'ExchangeError',
      new ExchangeError('rejected', 'aster new_order: -2019 Margin is insufficient.'),
      'exchange_rejected',
    ],
    ['CircuitOpenError', new CircuitOpenError('libsql.remote', 1_000), 'circuit_open'],
    ['ExchangeError', throttledError('aster.weight', 2_500), 'exchange_throttled'],
    ['OrderRefusedError', new OrderRefusedError('o-1', 'expired'), 'risk_token_refused'],
    ['OrderRefusal', new OrderRefusal(refusal, false), 'order_refused'],
    ['OrderRefusal', new OrderRefusal(refusal, true, 'the balance changes'), 'order_held'],
    [
      'PushgatewayError',
      new PushgatewayError('Pushgateway answered 500', 500),
      'pushgateway_failed',
    ],
    [
      'CsvBarsError',
      new CsvBarsError('line 3: open must be a positive number'),
      'csv_bars_invalid',
    ],
    [
      'AccountSetupError',
      new AccountSetupError('account: could not switch the account to one-way position mode'),
      'account_setup_failed',
    ],
  ])(
    'makes a %s one of the family, with its own name and a stable code (case %#)',
    (name, err, code) => {
      expect(err).toBeInstanceOf(AisError);
      expect(err).toBeInstanceOf(Error);
      expect(err.name).toBe(name);
      expect(err.code).toBe(code);
    },
  );

  it('keeps the error it wraps as cause', () => {
    expect(new StoreUnavailableError('event store write failed', { cause: low }).cause).toBe(low);
    expect(new ExchangeError('unavailable', 'network failure', {}, { cause: low }).cause).toBe(low);
    expect(new AccountSetupError('account: could not read', { cause: low }).cause).toBe(low);
    expect(new PushgatewayError('unreachable', undefined, { cause: low }).cause).toBe(low);
  });

  it('makes a breaker refusal its own error, naming the service it guards', () => {
    for (const service of ['aster.orders', 'libsql.remote', 'alert_slack']) {
      const open = new CircuitOpenError(service, 4_000);
      expect(open).not.toBeInstanceOf(ExchangeError);
      expect(open).toMatchObject({ code: 'circuit_open', service, retryAfterMs: 4_000 });
      expect(open.message).toBe(`circuit breaker ${service} is open`);
    }
  });

  it('keeps the status of an HTTP answer on the error', () => {
    const e = new HttpStatusError('webhook', 503, 'HTTP 503: no_service', { cause: low });
    expect(e).toMatchObject({ service: 'webhook', status: 503, cause: low });
  });
});
