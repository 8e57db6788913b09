// What an exchange account must look like before the worker trades on it, and the steps that get
// it there. The worker keeps one net position per symbol, so the account must be in one-way
// position mode (Aster, like Binance USD-M, has a hedge mode with a LONG and a SHORT leg per
// symbol); leverage and margin type are set per symbol when the operator asks for them. Pure: the
// adapter reads the account, this plans, the start-up code applies the steps (src/main/account-setup.ts).

export type MarginType = 'CROSSED' | 'ISOLATED';

/** The account as the exchange reports it (Aster: GET positionSide/dual and positionRisk rows). */
export interface AccountState {
  hedgeMode: boolean;
  /** One row per symbol and position side (BOTH in one-way mode; LONG and SHORT in hedge mode). */
  symbols: readonly {
    symbol: string;
    quantity: number;
    leverage: number;
    marginType: MarginType;
    positionSide: 'BOTH' | 'LONG' | 'SHORT';
  }[];
}

/** A value for every traded symbol and/or per symbol (AIS_ASTER_LEVERAGE, AIS_ASTER_MARGIN_TYPE). */
export interface PerSymbol<T> {
  all?: T;
  bySymbol: Readonly<Record<string, T>>;
}

export interface AccountWish {
  /** The symbols the worker trades. */
  symbols: readonly string[];
  leverage?: PerSymbol<number>;
  marginType?: PerSymbol<MarginType>;
}

export type SetupStep =
  | { kind: 'one_way' }
  | { kind: 'margin_type'; symbol: string; from: MarginType; to: MarginType }
  | { kind: 'leverage'; symbol: string; from: number; to: number };

/** The steps in the order to apply them (position mode, margin types, leverage), or why start-up must stop: one line. */
type SetupPlan = { ok: true; steps: SetupStep[] } | { ok: false; reason: string };

/** The wished value for `symbol`: its own entry, else the one for all symbols. */
export const wishFor = <T>(p: PerSymbol<T> | undefined, symbol: string): T | undefined =>
  p && Object.hasOwn(p.bySymbol, symbol) ? p.bySymbol[symbol] : p?.all;

const open = (s: AccountState) => s.symbols.filter((r) => r.quantity !== 0);

/** Why a hedge-mode account cannot be switched to one-way: its open legs; undefined when it can. */
function hedgeModeRefusal(state: AccountState): string | undefined {
  const legs = open(state);
  if (legs.length === 0) return undefined;
  const list = legs.map((r) => `${r.symbol} ${r.positionSide} ${r.quantity}`).join(', ');
  return (
    `account: the Aster account is in hedge mode with open positions (${list}); the worker keeps one net position per symbol ` +
    'and trades only in one-way mode. Close these positions (or cancel and move them elsewhere) so the worker can switch the account ' +
    'to one-way mode itself, or switch it on asterdex.com, then start again'
  );
}

/** What start-up must change on the account for the wished settings, or why it must stop. */
export function planAccountSetup(state: AccountState, wish: AccountWish): SetupPlan {
  const steps: SetupStep[] = [];
  if (state.hedgeMode) {
    const reason = hedgeModeRefusal(state);
    if (reason) return { ok: false, reason };
    steps.push({ kind: 'one_way' });
  }
  for (const [variable, p] of [
    ['AIS_ASTER_LEVERAGE', wish.leverage],
    ['AIS_ASTER_MARGIN_TYPE', wish.marginType],
  ] as const) {
    const stray = Object.keys(p?.bySymbol ?? {}).filter((s) => !wish.symbols.includes(s));
    if (stray.length)
      return {
        ok: false,
        reason: `config: ${variable} names ${stray.join(', ')}, which the worker does not trade (AIS_SYMBOLS: ${wish.symbols.join(',')})`,
      };
  }
  const rowsBySymbol = new Map<string, AccountState['symbols'][number][]>();
  for (const r of state.symbols)
    rowsBySymbol.set(r.symbol, [...(rowsBySymbol.get(r.symbol) ?? []), r]);
  const leverageSteps: SetupStep[] = [];
  for (const symbol of wish.symbols) {
    const to = {
      leverage: wishFor(wish.leverage, symbol),
      marginType: wishFor(wish.marginType, symbol),
    };
    if (to.leverage === undefined && to.marginType === undefined) continue;
    const rows = rowsBySymbol.get(symbol);
    if (!rows?.length)
      return {
        ok: false,
        reason: `account: the exchange reports no position settings for ${symbol}, so its leverage or margin type cannot be set (is it listed for futures trading?)`,
      };
    const now = rows[0]!;
    if (to.marginType !== undefined && to.marginType !== now.marginType) {
      const held = rows.find((r) => r.quantity !== 0);
      if (held) {
        return {
          ok: false,
          reason:
            `config: AIS_ASTER_MARGIN_TYPE asks ${to.marginType} for ${symbol}, which is ${now.marginType} with an open position (${held.quantity}); ` +
            `the exchange changes the margin type only without a position: close it, or leave ${symbol} out of AIS_ASTER_MARGIN_TYPE`,
        };
      }
      steps.push({ kind: 'margin_type', symbol, from: now.marginType, to: to.marginType });
    }
    if (to.leverage !== undefined && to.leverage !== now.leverage)
      leverageSteps.push({ kind: 'leverage', symbol, from: now.leverage, to: to.leverage });
  }
  return { ok: true, steps: [...steps, ...leverageSteps] };
}

/** The settings of the traded symbols after the steps, as /v1/portfolio shows them. */
export interface AccountSettingsView {
  positionMode: 'one_way' | 'hedge';
  symbols: { symbol: string; leverage: number; marginType: MarginType }[];
}

/** The state after `steps` were applied, restricted to the traded symbols. */
export function settingsAfter(
  state: AccountState,
  steps: readonly SetupStep[],
  symbols: readonly string[],
): AccountSettingsView {
  const bySymbol = new Map<string, { leverage: number; marginType: MarginType }>();
  for (const r of state.symbols)
    if (!bySymbol.has(r.symbol))
      bySymbol.set(r.symbol, { leverage: r.leverage, marginType: r.marginType });
  let hedge = state.hedgeMode;
  for (const s of steps) {
    if (s.kind === 'one_way') hedge = false;
    else if (s.kind === 'leverage')
      bySymbol.set(s.symbol, { ...bySymbol.get(s.symbol)!, leverage: s.to });
    else bySymbol.set(s.symbol, { ...bySymbol.get(s.symbol)!, marginType: s.to });
  }
  return {
    positionMode: hedge ? 'hedge' : 'one_way',
    symbols: symbols
      .filter((s) => bySymbol.has(s))
      .map((symbol) => ({ symbol, ...bySymbol.get(symbol)! })),
  };
}
