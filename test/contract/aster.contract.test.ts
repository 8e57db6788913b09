// The exchange contract against the Aster adapter talking HTTP to the fake Aster server.
import { createAsterExchange } from '../../src/adapters/exchange/aster/aster-exchange.ts';
import { startFakeAster } from '../fake-aster/server.ts';
import { exchangeContract } from './exchange.contract.ts';

exchangeContract('aster over HTTP (fake server)', async () => {
  const fake = await startFakeAster({ balanceUsd: 10_000 });
  const exchange = createAsterExchange({ baseUrl: fake.url, apiKey: fake.apiKey, apiSecret: fake.apiSecret, nowMs: Date.now });
  return { exchange, setMark: (symbol, price) => fake.setMark(symbol, price), close: () => fake.stop() };
});
