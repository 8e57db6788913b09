// The account's settings changed under the worker (on the exchange's web interface, by another
// tool): position mode, a symbol's margin type or leverage. Read again on a schedule (before every
// reconciliation), when the stream says the configuration changed (ACCOUNT_CONFIG_UPDATE) and when
// an order is refused for it (-4061 family). A setting that differs from the one the worker checked
// at start-up (or an operator accepted since) holds the symbols it concerns HALTED (all of them for
// the position mode) with a critical alert naming the setting, until the settings match again or
// an operator accepts the leverage and margin types in force. The margin guard reads leverage from
// the exchange's own margin answer, so it always uses the settings in force.
import type { AlertSink } from '../../ports/alerts.ts';
import type { LogPort } from '../../ports/log.ts';
import type { SymbolHoldService } from '../risk/symbol-hold-service.ts';
import type { AccountSettingsView, AccountState } from './setup.ts';

export interface SettingsMismatch {
  setting: 'position_mode' | 'leverage' | 'margin_type';
  /** Undefined for the position mode (the whole account). */
  symbol?: string;
  expected: string | number;
  actual: string | number;
}

/** Every difference between the settings the worker trades with and the account as read. */
export function compareSettings(
  expected: AccountSettingsView,
  actual: AccountState,
): SettingsMismatch[] {
  const out: SettingsMismatch[] = [];
  const mode = actual.hedgeMode ? 'hedge' : 'one_way';
  if (mode !== expected.positionMode)
    out.push({ setting: 'position_mode', expected: expected.positionMode, actual: mode });
  for (const want of expected.symbols) {
    const row = actual.symbols.find((r) => r.symbol === want.symbol);
    if (!row) continue;
    if (row.leverage !== want.leverage)
      out.push({
        setting: 'leverage',
        symbol: want.symbol,
        expected: want.leverage,
        actual: row.leverage,
      });
    if (row.marginType !== want.marginType)
      out.push({
        setting: 'margin_type',
        symbol: want.symbol,
        expected: want.marginType,
        actual: row.marginType,
      });
  }
  return out;
}

const describe = (m: SettingsMismatch) =>
  `${m.symbol ? `${m.symbol} ` : ''}${m.setting.replace('_', ' ')} ${m.expected} → ${m.actual}`;

export interface SettingsWatchOptions {
  read: () => Promise<AccountState>;
  /** The settings checked at start-up. */
  expected: AccountSettingsView;
  holds: Pick<SymbolHoldService, 'hold' | 'clear' | 'all'>;
  alerts: Pick<AlertSink, 'raise'>;
  log: LogPort;
}

export interface SettingsWatch {
  /** Reads the settings and acts on what differs (`why`: schedule, stream, refusal); resolves with the differences. Throws what the read throws. */
  check(why: string): Promise<SettingsMismatch[]>;
  /** The operator accepts the leverage and margin types in force (not a position mode: the worker trades one-way only); then checks. */
  accept(by: string): Promise<SettingsMismatch[]>;
  /** The settings the worker trades with now. */
  expected(): AccountSettingsView;
}

export function createSettingsWatch(o: SettingsWatchOptions): SettingsWatch {
  let expected = o.expected;
  let announced = '';

  async function act(found: SettingsMismatch[], why: string) {
    const symbols = expected.symbols.map((s) => s.symbol);
    const concerned = (symbol: string) =>
      found.filter((m) => m.symbol === undefined || m.symbol === symbol);
    for (const symbol of symbols) {
      const mine = concerned(symbol);
      if (mine.length > 0)
        await o.holds.hold(symbol, {
          state: 'HALTED',
          cause: 'settings',
          reason: `changed outside the worker: ${mine.map(describe).join(', ')}`,
          by: 'exchange',
        });
      else if (o.holds.all()[symbol]?.cause === 'settings')
        await o.holds.clear(symbol, 'exchange', 'settings match again');
    }
    const signature = found.map(describe).join('; ');
    if (signature && signature !== announced)
      await o.alerts
        .raise({
          name: 'AccountSettingsChanged',
          severity: 'critical',
          summary: `Account settings changed under the worker: ${signature}`,
          description: `Found on ${why}. Trading stopped (HALTED) for ${found.some((m) => !m.symbol) ? 'every symbol' : 'the symbols named'} until the settings match again or an operator accepts them (POST /v1/control/account-settings/accept).`,
          labels: { component: 'exchange', setting: found[0]!.setting },
        })
        .catch((e: unknown) => o.log.error({ err: e }, 'Settings alert not raised'));
    if (signature !== announced && found.length)
      o.log.error({ mismatches: found, why }, 'Account settings changed under the worker');
    announced = signature;
  }

  const check = async (why: string) => {
    const found = compareSettings(expected, await o.read());
    await act(found, why);
    return found;
  };

  return {
    check,
    async accept(by) {
      const state = await o.read();
      expected = {
        ...expected,
        symbols: expected.symbols.map((s) => {
          const row = state.symbols.find((r) => r.symbol === s.symbol);
          return row ? { ...s, leverage: row.leverage, marginType: row.marginType } : s;
        }),
      };
      o.log.warn({ by, symbols: expected.symbols }, 'Account settings in force accepted');
      return check(`acceptance by ${by}`);
    },
    expected: () => expected,
  };
}
