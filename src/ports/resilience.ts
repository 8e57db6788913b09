// How adapters protect an outside call without knowing breakers or buckets: `guard(service, fn)`
// runs fn through that service's circuit breaker (and rate limiter when one is configured), and
// rejects fast with a CircuitOpenError while the breaker is open.
import { AisError } from '../domain/errors.ts';

export type CallGuard = <T>(service: string, fn: () => Promise<T>) => Promise<T>;

/** A guard that protects nothing: for tests of the callers and for adapters used alone. */
export const unguarded: CallGuard = (_service, fn) => fn();

/**
 * A circuit breaker refused the call without trying it. `service` is the breaker's name, which is
 * the service it guards (an exchange endpoint group `aster.orders`, the remote database
 * `libsql.remote`, an alert channel `alert_slack`); `retryAfterMs` until its cool-down ends (0:
 * probes busy). `code` circuit_open whatever the service.
 */
export class CircuitOpenError extends AisError {
  constructor(
    readonly service: string,
    readonly retryAfterMs: number,
  ) {
    super('circuit_open', `circuit breaker ${service} is open`);
  }
}

export const isCircuitOpen = (e: unknown): e is CircuitOpenError => e instanceof CircuitOpenError;
