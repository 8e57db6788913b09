// How adapters protect an outside call without knowing breakers or buckets: `guard(service, fn)`
// runs fn through that service's circuit breaker (and rate limiter when one is configured), and
// rejects fast with a typed error while the breaker is open.
export type CallGuard = <T>(service: string, fn: () => Promise<T>) => Promise<T>;

/** A guard that protects nothing: for tests of the callers and for adapters used alone. */
export const unguarded: CallGuard = (_service, fn) => fn();
