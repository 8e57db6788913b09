// The exchange's symbol rules without an account: GET /fapi/v1/exchangeInfo is a public endpoint
// (weight 1, no signature: asterdex/api-docs, "Exchange Information"). An edge isolate, which builds
// no exchange client, reads them once this way for the exchange_rules guard.
import type { SymbolRules } from '../../../domain/market/symbol-rules.ts';
import { ExchangeError } from '../../../ports/exchange.ts';
import { exchangeInfo } from './schema/exchange-info.ts';

/**
 * Reads every listed symbol's rules from `baseUrl` within `timeoutMs`.
 * @throws ExchangeError when the exchange does not answer in time, answers an error status or a body that is not exchangeInfo
 */
export async function readPublicSymbolRules(
  baseUrl: string,
  timeoutMs: number,
): Promise<ReadonlyMap<string, SymbolRules>> {
  const operation = 'exchange_info';
  let res: Response;
  try {
    res = await fetch(new URL('/fapi/v1/exchangeInfo', baseUrl), {
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    throw new ExchangeError('unavailable', 'exchangeInfo did not answer', { operation }, { cause });
  }
  if (!res.ok)
    throw new ExchangeError('unavailable', `exchangeInfo answered HTTP ${res.status}`, {
      operation,
      status: res.status,
    });
  const parsed = exchangeInfo.safeParse(await res.json().catch(() => undefined));
  if (!parsed.success)
    throw new ExchangeError('bad_response', 'exchangeInfo answered an unreadable body', {
      operation,
    });
  return parsed.data;
}
