// The exchange contract against the Aster adapter talking HTTP to the fake Aster server, once per
// signing scheme: V1 (HMAC, /fapi/v1|v2/*) and V3 (API wallet, EIP-712, /fapi/v3/*).
import { createAsterExchange } from '../../src/adapters/exchange/aster/aster-exchange.ts';
import { startFakeAster } from '../fake-aster/server.ts';
import { exchangeContract } from './exchange.contract.ts';

for (const scheme of ['v1', 'v3'] as const) {
  exchangeContract(`aster ${scheme.toUpperCase()} over HTTP (fake server)`, async () => {
    const fake = await startFakeAster({ balanceUsd: 10_000 });
    const auth =
      scheme === 'v3'
        ? { wallet: fake.wallet }
        : { apiKey: fake.apiKey, apiSecret: fake.apiSecret };
    const exchange = createAsterExchange({ ...auth, baseUrl: fake.url, nowMs: Date.now });
    // Every signed request must have gone to its scheme's paths, and none been refused for its signature.
    const close = async () => {
      const wrong = fake.requests.filter(
        (r) => r.path.startsWith('/fapi/v3/') !== (scheme === 'v3'),
      );
      await fake.stop();
      if (wrong.length > 0)
        throw new Error(`${scheme} client sent ${wrong.map((r) => r.path).join(', ')}`);
    };
    return { exchange, setMark: (symbol, price) => fake.setMark(symbol, price), close };
  });
}
