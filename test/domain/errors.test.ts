import { describe, expect, it } from 'bun:test';
import { CsvBarsError } from '../../src/adapters/market/csv-bars.ts';
import { PushgatewayError } from '../../src/adapters/pushgateway/push.ts';
import { CircuitOpenError, throttledError } from '../../src/adapters/resilience/errors.ts';
import { ConfigError } from '../../src/config/config.ts';
import { AisError } from '../../src/domain/errors.ts';
import { OrderRefusedError } from '../../src/domain/risk/order-gate.ts';
import { OrderRefusal } from '../../src/domain/trading/refusals.ts';
import { ApiError } from '../../src/http/error-handler.ts';
import { AccountSetupError } from '../../src/main/account-setup.ts';
import { StoreUnavailableError } from '../../src/ports/event-store.ts';
import { ExchangeError } from '../../src/ports/exchange.ts';

const low = new Error('SQLITE_BUSY: database is locked');
const refusal = {
  reason: 'margin_insufficient',
  code: '-2019',
  message: 'Margin is insufficient.',
} as const;

describe('AisError', () => {
  it.each([
    ['ConfigError', new ConfigError('config: AIS_PORT expected a whole number'), 'config_invalid'],
    ['ApiError', new ApiError(404, 'not_found', 'no such order'), 'not_found'],
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

  it('keeps the subclass checks working through the hierarchy', () => {
    const open = new CircuitOpenError('aster.orders', 4_000);
    expect(open).toBeInstanceOf(ExchangeError);
    expect(open.kind).toBe('circuit_open');
    expect(open.details).toEqual({ retryAfterMs: 4_000, operation: 'aster.orders' });
    expect(new ExchangeError('circuit_open', 'breaker aster_account is open').code).toBe(
      'circuit_open',
    );
  });
});
