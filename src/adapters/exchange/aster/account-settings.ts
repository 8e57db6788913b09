// The account settings the worker checks and sets at an aster start-up (account-setup.ts): the
// position mode and, per symbol, leverage and margin type. "No need to change" refusals (-4059,
// -4046) count as done.
import { isExchangeError } from '../../../ports/exchange.ts';
import type { AsterExchange } from './aster-exchange.ts';
import type { AsterClient } from './client.ts';
import { leverageChange, positionMode, positionSettings, success } from './schema/account.ts';
import { ErrorCode } from './schema/common.ts';

/** A refusal that says the account is already as asked is a success. */
const alreadySo = (code: number) => (e: unknown) => {
  if (isExchangeError(e) && e.details.code === code) return;
  throw e;
};

/** accountSettings, setHedgeMode, setLeverage, setMarginType over the client; reads retried by `read`. */
export function accountSettingsCalls(
  client: AsterClient,
  read: <T>(fn: () => Promise<T>) => Promise<T>,
): Pick<AsterExchange, 'accountSettings' | 'setHedgeMode' | 'setLeverage' | 'setMarginType'> {
  return {
    async accountSettings() {
      const [mode, rows] = await Promise.all([
        read(() =>
          client.signed('position_mode', 'GET', '/fapi/v1/positionSide/dual', {}, positionMode),
        ),
        read(() =>
          client.signed('positions', 'GET', '/fapi/v2/positionRisk', {}, positionSettings),
        ),
      ]);
      return { hedgeMode: mode.dualSidePosition, symbols: rows };
    },

    setHedgeMode: (hedge) =>
      client
        .signed(
          'set_position_mode',
          'POST',
          '/fapi/v1/positionSide/dual',
          { dualSidePosition: String(hedge) },
          success,
        )
        .then(() => undefined, alreadySo(ErrorCode.NO_NEED_TO_CHANGE_POSITION_SIDE)),

    setLeverage: async (symbol, leverage) =>
      (
        await client.signed(
          'set_leverage',
          'POST',
          '/fapi/v1/leverage',
          { symbol, leverage },
          leverageChange,
        )
      ).leverage,

    setMarginType: (symbol, marginType) =>
      client
        .signed('set_margin_type', 'POST', '/fapi/v1/marginType', { symbol, marginType }, success)
        .then(() => undefined, alreadySo(ErrorCode.NO_NEED_TO_CHANGE_MARGIN_TYPE)),
  };
}
