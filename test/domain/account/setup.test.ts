import { describe, expect, it } from 'bun:test';
import {
  type AccountState,
  planAccountSetup,
  settingsAfter,
  wishFor,
} from '../../../src/domain/account/setup.ts';

const row = (symbol: string, o: Partial<AccountState['symbols'][number]> = {}) => ({
  symbol,
  quantity: 0,
  leverage: 20,
  marginType: 'CROSSED' as const,
  positionSide: 'BOTH' as const,
  ...o,
});
const oneWay = (...rows: AccountState['symbols']): AccountState => ({
  hedgeMode: false,
  symbols: rows,
});
const SYMBOLS = ['BTCUSDT', 'ETHUSDT'];

describe('planAccountSetup', () => {
  it('needs nothing for a one-way account and no wishes', () => {
    expect(planAccountSetup(oneWay(row('BTCUSDT'), row('ETHUSDT')), { symbols: SYMBOLS })).toEqual({
      ok: true,
      steps: [],
    });
  });

  it('switches a flat hedge-mode account to one-way first', () => {
    const state: AccountState = {
      hedgeMode: true,
      symbols: [
        row('BTCUSDT', { positionSide: 'LONG' }),
        row('BTCUSDT', { positionSide: 'SHORT' }),
      ],
    };
    expect(
      planAccountSetup(state, { symbols: ['BTCUSDT'], leverage: { bySymbol: { BTCUSDT: 5 } } }),
    ).toEqual({
      ok: true,
      steps: [{ kind: 'one_way' }, { kind: 'leverage', symbol: 'BTCUSDT', from: 20, to: 5 }],
    });
  });

  it('refuses a hedge-mode account with open legs, naming them and the way out', () => {
    const state: AccountState = {
      hedgeMode: true,
      symbols: [
        row('BTCUSDT', { positionSide: 'LONG', quantity: 0.5 }),
        row('BTCUSDT', { positionSide: 'SHORT', quantity: -0.2 }),
      ],
    };
    const plan = planAccountSetup(state, { symbols: ['BTCUSDT'] });
    expect(plan.ok).toBe(false);
    const reason = (plan as { reason: string }).reason;
    expect(reason).toContain(
      'hedge mode with open positions (BTCUSDT LONG 0.5, BTCUSDT SHORT -0.2)',
    );
    expect(reason).toContain('one-way');
    expect(reason.includes('\n')).toBe(false);
  });

  it('sets margin types before leverage, only where they differ, a symbol’s own entry before the one for all', () => {
    const plan = planAccountSetup(
      oneWay(row('BTCUSDT', { leverage: 5 }), row('ETHUSDT', { marginType: 'ISOLATED' })),
      {
        symbols: SYMBOLS,
        leverage: { all: 5, bySymbol: { ETHUSDT: 3 } },
        marginType: { all: 'ISOLATED', bySymbol: {} },
      },
    );
    expect(plan).toEqual({
      ok: true,
      steps: [
        { kind: 'margin_type', symbol: 'BTCUSDT', from: 'CROSSED', to: 'ISOLATED' },
        { kind: 'leverage', symbol: 'ETHUSDT', from: 20, to: 3 },
      ],
    });
  });

  it('refuses a margin type change on a symbol with an open position (the exchange answers -4048)', () => {
    const plan = planAccountSetup(oneWay(row('BTCUSDT', { quantity: 0.1 })), {
      symbols: ['BTCUSDT'],
      marginType: { all: 'ISOLATED', bySymbol: {} },
    });
    expect(plan).toMatchObject({
      ok: false,
      reason: expect.stringContaining(
        'AIS_ASTER_MARGIN_TYPE asks ISOLATED for BTCUSDT, which is CROSSED with an open position (0.1)',
      ),
    });
    // Already so: nothing to change, the position is no obstacle.
    expect(
      planAccountSetup(oneWay(row('BTCUSDT', { quantity: 0.1, marginType: 'ISOLATED' })), {
        symbols: ['BTCUSDT'],
        marginType: { all: 'ISOLATED', bySymbol: {} },
      }),
    ).toEqual({ ok: true, steps: [] });
  });

  it('refuses entries for symbols the worker does not trade, and symbols the exchange does not list', () => {
    expect(
      planAccountSetup(oneWay(row('BTCUSDT')), {
        symbols: ['BTCUSDT'],
        leverage: { bySymbol: { DOGEUSDT: 2 } },
      }),
    ).toMatchObject({
      ok: false,
      reason: expect.stringContaining(
        'AIS_ASTER_LEVERAGE names DOGEUSDT, which the worker does not trade',
      ),
    });
    expect(
      planAccountSetup(oneWay(row('BTCUSDT')), {
        symbols: ['BTCUSDT', 'ETHUSDT'],
        leverage: { all: 2, bySymbol: {} },
      }),
    ).toMatchObject({
      ok: false,
      reason: expect.stringContaining('no position settings for ETHUSDT'),
    });
  });
});

describe('settingsAfter', () => {
  it('shows the traded symbols as the steps leave them', () => {
    const state: AccountState = {
      hedgeMode: true,
      symbols: [
        row('BTCUSDT', { positionSide: 'LONG' }),
        row('BTCUSDT', { positionSide: 'SHORT' }),
        row('XRPUSDT'),
      ],
    };
    const view = settingsAfter(
      state,
      [
        { kind: 'one_way' },
        { kind: 'leverage', symbol: 'BTCUSDT', from: 20, to: 4 },
        { kind: 'margin_type', symbol: 'BTCUSDT', from: 'CROSSED', to: 'ISOLATED' },
      ],
      ['BTCUSDT'],
    );
    expect(view).toEqual({
      positionMode: 'one_way',
      symbols: [{ symbol: 'BTCUSDT', leverage: 4, marginType: 'ISOLATED' }],
    });
  });

  it('wishFor prefers the symbol’s own entry', () => {
    expect(wishFor({ all: 5, bySymbol: { BTCUSDT: 2 } }, 'BTCUSDT')).toBe(2);
    expect(wishFor({ all: 5, bySymbol: { BTCUSDT: 2 } }, 'ETHUSDT')).toBe(5);
    expect(wishFor(undefined, 'ETHUSDT')).toBeUndefined();
  });
});
