// A circuit breaker's options: what opens it (a count or a rate of failures in a sliding window),
// how long it stays open, how it probes; the defaults, and the check of every field.
import { InvalidArgumentError } from '../errors.ts';

export interface BreakerOptions {
  /** 'count': open at `failureThreshold` failures in the window; 'rate': at `failureRate` of the calls, once `minimumCalls` were made. */
  mode: 'count' | 'rate';
  failureThreshold: number;
  /** Fraction of failed calls (0 < r ≤ 1) that opens the breaker in 'rate' mode. */
  failureRate: number;
  minimumCalls: number;
  /** Sliding window length; kept as `windowSlots` slots, so it covers between windowMs − windowMs/slots and windowMs. */
  windowMs: number;
  windowSlots: number;
  /** Cool-down: how long the breaker stays open before it lets probes through. */
  openMs: number;
  /** Probes allowed in flight at once while half_open. */
  halfOpenMaxProbes: number;
  /** Successful probes that close the breaker again. */
  successesToClose: number;
}

/** Defaults in the spirit of cockatiel/resilience4j: 5 failures in a minute open it for 30 s, one probe at a time. */
const DEFAULT_BREAKER_OPTIONS: Readonly<BreakerOptions> = Object.freeze({
  mode: 'count',
  failureThreshold: 5,
  failureRate: 0.5,
  minimumCalls: 10,
  windowMs: 60_000,
  windowSlots: 10,
  openMs: 30_000,
  halfOpenMaxProbes: 1,
  successesToClose: 1,
});

const positiveInt = (x: number) => Number.isInteger(x) && x > 0;
const positive = (x: number) => x > 0 && x < Infinity;

/** Defaults filled in and every field checked; throws InvalidArgumentError naming the bad field. */
export function breakerOptions(partial: Partial<BreakerOptions> = {}): BreakerOptions {
  const o = { ...DEFAULT_BREAKER_OPTIONS, ...partial };
  const bad = (field: string, want: string) =>
    new InvalidArgumentError(
      `breaker option ${field}: expected ${want} (got ${String(o[field as keyof BreakerOptions])})`,
    );
  if (o.mode !== 'count' && o.mode !== 'rate') throw bad('mode', "'count' or 'rate'");
  for (const f of [
    'failureThreshold',
    'minimumCalls',
    'windowSlots',
    'halfOpenMaxProbes',
    'successesToClose',
  ] as const) {
    if (!positiveInt(o[f])) throw bad(f, 'a whole number ≥ 1');
  }
  for (const f of ['windowMs', 'openMs'] as const)
    if (!positive(o[f])) throw bad(f, 'a finite number > 0');
  if (!(o.failureRate > 0 && o.failureRate <= 1)) throw bad('failureRate', 'a fraction in (0, 1]');
  return o;
}
