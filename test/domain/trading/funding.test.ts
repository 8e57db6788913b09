// Funding payments read through the real Aster adapter from the fake Aster server, booked once.
import { afterAll, expect, test } from 'bun:test';
import { createAsterExchange } from '../../../src/adapters/exchange/aster/aster-exchange.ts';
import { createLogger } from '../../../src/adapters/logging/logger.ts';
import { createMemoryEventStore } from '../../../src/adapters/store/memory/event-store.ts';
import { createPortfolioBook } from '../../../src/domain/portfolio/book.ts';
import { createPortfolio } from '../../../src/domain/portfolio/portfolio.ts';
import { createFundingBooker } from '../../../src/domain/trading/funding.ts';
import { EventType } from '../../../src/ports/event-store.ts';
import { startFakeAster } from '../../fake-aster/server.ts';

const fake = await startFakeAster({ symbols: ['BTCUSDT', 'ETHUSDT'] });
afterAll(() => fake.stop());

test('books each payment once, stores it, and skips what predates the start', async () => {
  const t0 = Date.now();
  fake.addFunding('BTCUSDT', -99, t0 - 60_000); // before start: already in the wallet read at start-up
  const exchange = createAsterExchange({
    baseUrl: fake.url,
    apiKey: fake.apiKey,
    apiSecret: fake.apiSecret,
    nowMs: Date.now,
  });
  const book = createPortfolioBook(createPortfolio(10_000));
  const store = createMemoryEventStore(Date.now);
  const booker = createFundingBooker({
    exchange,
    book,
    store,
    log: createLogger({ level: 'silent' }),
    startMs: t0,
  });
  expect(await booker.sync()).toBe(0);
  fake.addFunding('BTCUSDT', -12.5, t0 + 1);
  fake.addFunding('ETHUSDT', 2.25, t0 + 2);
  expect(await booker.sync()).toBe(2);
  expect(await booker.sync()).toBe(0); // the overlapping window sees them again and skips them
  expect(book.get().cashUsd).toBeCloseTo(10_000 - 12.5 + 2.25, 9);
  const events = await store.query({ type: EventType.funding });
  expect(events.map((e) => (e.payload as { amount_usd: number }).amount_usd)).toEqual([
    -12.5, 2.25,
  ]);
  fake.addFunding('ETHUSDT', -1, t0 + 3);
  expect(await booker.sync()).toBe(1);
  expect(book.get().cashUsd).toBeCloseTo(10_000 - 12.5 + 2.25 - 1, 9);
});
