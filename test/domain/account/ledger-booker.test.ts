// The account ledger read through the real Aster adapter from the fake Aster server: every income
// type booked once as what it is; deposits and withdrawals rebase the NAV references.
import { afterAll, describe, expect, it } from 'bun:test';
import { createAsterExchange } from '../../../src/adapters/exchange/aster/aster-exchange.ts';
import { createLogger } from '../../../src/adapters/logging/logger.ts';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus.ts';
import { createMemoryEventStore } from '../../../src/adapters/store/memory/event-store.ts';
import { createLedgerBooker } from '../../../src/domain/account/ledger-booker.ts';
import { createPortfolioBook } from '../../../src/domain/portfolio/book.ts';
import { createPortfolio, portfolioFigures } from '../../../src/domain/portfolio/portfolio.ts';
import type { RaisedAlert } from '../../../src/ports/alerts.ts';
import { EventType } from '../../../src/ports/event-store.ts';
import { type FakeAster, startFakeAster } from '../../fake-aster/server.ts';

const fakes: FakeAster[] = [];
afterAll(() => Promise.all(fakes.map((f) => f.stop())));

/** A fresh fake per test: rows of one test never fall into another's window. */
async function setup() {
  const fake = await startFakeAster({ symbols: ['BTCUSDT', 'ETHUSDT'] });
  fakes.push(fake);
  const t0 = Date.now();
  const exchange = createAsterExchange({
    baseUrl: fake.url,
    apiKey: fake.apiKey,
    apiSecret: fake.apiSecret,
    nowMs: Date.now,
  });
  const book = createPortfolioBook(createPortfolio(10_000));
  const store = createMemoryEventStore(Date.now);
  const metrics = createPrometheusMetrics({
    version: 'test',
    runtime: 'bun',
    instance: 'test',
    processMetrics: false,
  });
  const alerts: RaisedAlert[] = [];
  const booker = createLedgerBooker({
    exchange,
    book,
    store,
    log: createLogger({ level: 'silent' }),
    metrics,
    alerts: { raise: async (a) => void alerts.push(a) },
    startMs: t0,
  });
  return { fake, t0, book, store, metrics, alerts, booker };
}

describe('the account ledger', () => {
  it('books each funding payment once, stores it, and skips what predates the start', async () => {
    const h = await setup();
    h.fake.addFunding('BTCUSDT', -99, h.t0 - 60_000); // before start: already in the wallet read at start-up
    expect(await h.booker.sync()).toBe(0);
    h.fake.addFunding('BTCUSDT', -12.5, h.t0 + 1);
    h.fake.addFunding('ETHUSDT', 2.25, h.t0 + 2);
    expect(await h.booker.sync()).toBe(2);
    expect(await h.booker.sync()).toBe(0); // the overlapping window sees them again and skips them
    expect(h.book.get().cashUsd).toBeCloseTo(10_000 - 12.5 + 2.25, 9);
    const events = await h.store.query({ type: EventType.ledger });
    expect(events.map((e) => [e.payload.kind, e.payload.amount_usd])).toEqual([
      ['funding', -12.5],
      ['funding', 2.25],
    ]);
    expect(h.booker.totals().funding).toBeCloseTo(-10.25, 9);
  });

  it('books a deposit and a withdrawal as cash movements: NAV references rebase, P&L and drawdown do not move, an info alert each', async () => {
    const h = await setup();
    const before = portfolioFigures(h.book.get());
    h.fake.addIncome({ type: 'TRANSFER', usd: 5_000, timeMs: h.t0 + 1 });
    h.fake.addIncome({ type: 'TRANSFER', usd: -8_000, timeMs: h.t0 + 2 }); // more than any drawdown limit
    expect(await h.booker.sync()).toBe(2);
    const p = h.book.get();
    expect([p.cashUsd, p.initialNavUsd, p.peakNavUsd, p.dayStartNavUsd]).toEqual([
      7_000, 7_000, 7_000, 7_000,
    ]);
    const after = portfolioFigures(p);
    expect([after.pnlFraction, after.drawdown, after.dailyLoss]).toEqual([
      before.pnlFraction,
      before.drawdown,
      before.dailyLoss,
    ]);
    expect(h.alerts.map((a) => [a.name, a.severity, a.labels?.kind])).toEqual([
      ['AccountCashMovement', 'info', 'transfer'],
      ['AccountCashMovement', 'info', 'transfer'],
    ]);
    expect(h.alerts[1]!.summary).toStartWith('8000.00 USD out of the account (TRANSFER)');
    const text = await h.metrics.render();
    expect(text).toContain('ais_account_ledger_usd_total{kind="transfer",direction="in"} 5000');
    expect(text).toContain('ais_account_ledger_usd_total{kind="transfer",direction="out"} 8000');
  });

  it('books an insurance clearance and a rebate as P&L (the drawdown sees the loss), a bonus as cash, an unknown type as other', async () => {
    const h = await setup();
    h.fake.addIncome({ type: 'INSURANCE_CLEAR', symbol: 'BTCUSDT', usd: -300, timeMs: h.t0 + 1 });
    h.fake.addIncome({ type: 'MARKET_MERCHANT_RETURN_REWARD', usd: 20, timeMs: h.t0 + 2 });
    h.fake.addIncome({ type: 'WELCOME_BONUS', usd: 50, timeMs: h.t0 + 3 });
    h.fake.addIncome({ type: 'SOMETHING_NEW', usd: -1, timeMs: h.t0 + 4 });
    expect(await h.booker.sync()).toBe(4);
    const p = h.book.get();
    expect(p.cashUsd).toBeCloseTo(10_000 - 300 + 20 + 50 - 1, 9);
    expect(p.initialNavUsd).toBe(10_050); // only the bonus moved the references
    expect(portfolioFigures(p).drawdown).toBeCloseTo(
      (10_050 - (10_050 - 300 + 20 - 1)) / 10_050,
      9,
    );
    expect(h.booker.totals()).toMatchObject({
      insurance_clear: -300,
      rebate: 20,
      bonus: 50,
      other: -1,
    });
    expect(h.alerts.map((a) => a.labels?.kind)).toEqual(['bonus']);
  });

  it('records the realised P&L and commission of trades without booking them again (the fills did)', async () => {
    const h = await setup();
    h.fake.setMark('BTCUSDT', 100);
    h.fake.addForeignTrade({
      symbol: 'BTCUSDT',
      side: 'BUY',
      qty: 1,
      price: 100,
      timeMs: h.t0 + 1,
    });
    h.fake.addForeignTrade({
      symbol: 'BTCUSDT',
      side: 'SELL',
      qty: 1,
      price: 110,
      timeMs: h.t0 + 2,
    });
    expect(await h.booker.sync()).toBe(3); // two commissions, one realised P&L
    expect(h.book.get().cashUsd).toBe(10_000);
    expect(h.booker.totals().realized_pnl).toBeCloseTo(10, 9);
    expect(h.booker.totals().commission).toBeCloseTo(-(100 + 110) * 0.0004, 9);
    const stored = await h.store.query({ type: EventType.ledger });
    expect(new Set(stored.map((e) => e.payload.treatment))).toEqual(new Set(['in_trades']));
  });
});
