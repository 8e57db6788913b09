// Margin as the exchanges report it: the paper exchange's model (initial margin refusals, figures,
// liquidation at the mark with the fee, an `autoclose-` order) and the Aster adapter reading the
// fake server's Account Information and Position Information (V1 and V3), which serve the same model.
import { afterEach, describe, expect, it, test } from 'bun:test';
import { createAsterExchange } from '../../../src/adapters/exchange/aster/aster-exchange.ts';
import { paperBrackets } from '../../../src/adapters/exchange/paper/bracket-table.ts';
import { createPaperExchange } from '../../../src/adapters/exchange/paper/paper-exchange.ts';
import { createSyntheticMarket } from '../../../src/domain/market/synthetic.ts';
import { liquidationPrice, maintenanceMarginUsd } from '../../../src/domain/portfolio/margin.ts';
import { ExchangeError, marginRatio } from '../../../src/ports/exchange.ts';
import { type FakeAster, startFakeAster } from '../../fake-aster/server.ts';

function paper(leverage: number, balance = 10_000) {
  const market = createSyntheticMarket({ seed: 3, startMs: 0, barMs: 60_000 });
  for (let i = 0; i < 5; i++) market.step();
  const ex = createPaperExchange({
    market,
    initialBalanceUsd: balance,
    nowMs: () => 1_000_000,
    leverage,
    costs: { slippageBps: 0, impactBpsPer100k: 0, takerFee: 0 },
  });
  return { market, ex };
}

describe('paper exchange margin', () => {
  test('an opening order needs notional / leverage of available balance (-2019); a reduction needs none', async () => {
    const { market, ex } = paper(10);
    const mark = market.price('BTCUSDT')!;
    const tooMuch = Math.floor(((10_000 * 10) / mark) * 1.01 * 1000) / 1000;
    const e = await ex
      .placeOrder({
        clientOrderId: 'big',
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'MARKET',
        quantity: tooMuch,
      })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ExchangeError);
    expect((e as ExchangeError).details.code).toBe(-2019);
    const q = Math.floor(((10_000 * 9) / mark) * 1000) / 1000;
    await ex.placeOrder({
      clientOrderId: 'ok',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: q,
    });
    const m = await ex.marginAccount();
    expect(m.walletUsd).toBeCloseTo(10_000, 9);
    expect(m.availableUsd).toBeCloseTo(10_000 - (q * mark) / 10, 6);
    expect(m.maintenanceMarginUsd).toBeCloseTo(maintenanceMarginUsd(q * mark), 9);
    expect(m.positions).toEqual([
      {
        symbol: 'BTCUSDT',
        quantity: q,
        entryPrice: mark,
        markPrice: mark,
        liquidationPrice: liquidationPrice(10_000, 0, 0, q, mark, mark),
        leverage: 10,
      },
    ]);
    expect(m.leverage.ETHUSDT).toBe(10);
    expect(marginRatio(m)).toBeCloseTo(m.maintenanceMarginUsd / 10_000, 12);
    // Nothing available is needed to reduce.
    await ex.placeOrder({
      clientOrderId: 'cut',
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'MARKET',
      quantity: 0.001,
    });
  });

  test('a mark past the liquidation price liquidates on the next bar: autoclose- order at the mark, liquidation fee charged', async () => {
    const { market, ex } = paper(20);
    const mark = market.price('BTCUSDT')!;
    const q = Math.floor(((10_000 * 15) / mark) * 1000) / 1000;
    await ex.placeOrder({
      clientOrderId: 'lev',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: q,
    });
    const lp = (await ex.marginAccount()).positions[0]!.liquidationPrice;
    expect(lp).toBeGreaterThan(mark * 0.9);
    expect(ex.onBar()).toEqual([]); // still above it
    market.shock('BTCUSDT', lp / mark - 1 - 0.01);
    market.step();
    const after = market.price('BTCUSDT')!;
    expect(after).toBeLessThan(lp);
    const trades = ex.onBar();
    expect(trades).toHaveLength(1);
    expect(trades[0]).toMatchObject({ symbol: 'BTCUSDT', side: 'SELL', quantity: q, price: after });
    expect(trades[0]!.feeUsd).toBeCloseTo(q * after * 0.005, 6);
    const [order] = ex.takeLiquidations();
    expect(order).toMatchObject({
      symbol: 'BTCUSDT',
      side: 'SELL',
      status: 'FILLED',
      executedQty: q,
      reduceOnly: true,
    });
    expect(order!.clientOrderId.startsWith('autoclose-')).toBe(true);
    expect(ex.takeLiquidations()).toEqual([]);
    expect(await ex.positions()).toEqual([]);
    expect((await ex.balance()).walletUsd).toBeCloseTo(
      10_000 + q * (after - mark) - q * after * 0.005,
      6,
    );
  });
});

const running: FakeAster[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((f) => f.stop()));
});

describe('Aster adapter margin against the fake', () => {
  for (const scheme of ['v1', 'v3'] as const)
    it(`reads margin balance, maintenance margin, liquidation prices and leverage, and every mark in one call (${scheme})`, async () => {
      const fake = await startFakeAster({ balanceUsd: 10_000, symbols: ['BTCUSDT', 'ETHUSDT'] });
      running.push(fake);
      fake.setMark('BTCUSDT', 60_000);
      fake.setMark('ETHUSDT', 3_000);
      fake.setPosition('BTCUSDT', 1, 61_000);
      fake.setPosition('ETHUSDT', -10, 2_900);
      fake.setSymbolSettings('ETHUSDT', { leverage: 5, marginType: 'cross' });
      const auth =
        scheme === 'v3'
          ? { wallet: fake.wallet }
          : { apiKey: fake.apiKey, apiSecret: fake.apiSecret };
      const ex = createAsterExchange({
        ...auth,
        baseUrl: fake.url,
        nowMs: Date.now,
        retry: { attempts: 1 },
      });
      const m = await ex.marginAccount();
      const upnl = 1 * (60_000 - 61_000) + -10 * (3_000 - 2_900);
      const mmBtc = maintenanceMarginUsd(60_000);
      // ETHUSDT in its own brackets (the fake serves the paper table: 0.65 % up to 10,000 USD …).
      const ethTable = paperBrackets('ETHUSDT');
      const mmEth = maintenanceMarginUsd(30_000, ethTable);
      expect(m.walletUsd).toBeCloseTo(10_000, 6);
      expect(m.marginBalanceUsd).toBeCloseTo(10_000 + upnl, 6);
      expect(m.maintenanceMarginUsd).toBeCloseTo(mmBtc + mmEth, 6);
      expect(m.leverage).toEqual({ BTCUSDT: 10, ETHUSDT: 5 });
      const btc = m.positions.find((p) => p.symbol === 'BTCUSDT')!;
      const eth = m.positions.find((p) => p.symbol === 'ETHUSDT')!;
      expect(btc.liquidationPrice).toBeCloseTo(
        liquidationPrice(10_000, mmEth, -1_000, 1, 61_000, 60_000),
        6,
      );
      expect(eth.liquidationPrice).toBeCloseTo(
        liquidationPrice(10_000, mmBtc, -1_000, -10, 2_900, 3_000, ethTable),
        6,
      );
      expect(eth).toMatchObject({
        quantity: -10,
        entryPrice: 2_900,
        markPrice: 3_000,
        leverage: 5,
      });
      const marks = await ex.markPrices();
      expect(marks.map((x) => [x.symbol, x.markPrice]).sort()).toEqual([
        ['BTCUSDT', 60_000],
        ['ETHUSDT', 3_000],
      ]);
      const paths = fake.requests.map((r) => r.path);
      expect(paths).toContain(
        `/fapi/${scheme === 'v1' ? 'v4/account' : 'v3/accountWithJoinMargin'}`,
      );
      expect(paths).toContain(`/fapi/${scheme === 'v1' ? 'v1' : 'v3'}/premiumIndex`);
    });
});
