// The start-up checks of an Aster account (AIS_EXCHANGE=aster): read the position mode and each
// traded symbol's settings, plan with the pure planAccountSetup (src/domain/account/setup.ts) and
// apply the steps: a flat hedge-mode account is switched to one-way, leverage and margin type are
// set where AIS_ASTER_LEVERAGE / AIS_ASTER_MARGIN_TYPE ask. Anything that stops start-up throws an
// AccountSetupError whose message is the one line the start-up file prints (docs/going-live.md, "Start-up checks").
import { AisError } from '../domain/errors.ts';
import { messageOf } from '../domain/error-message.mjs';
import { isExchangeError } from '../ports/exchange.ts';
import type { AsterExchange } from '../adapters/exchange/aster/aster-exchange.ts';
import type { Logger } from '../adapters/logging/logger.ts';
import {
  type AccountSettingsView,
  type AccountWish,
  planAccountSetup,
  type SetupStep,
  settingsAfter,
} from '../domain/account/setup.ts';

const describeStep = (s: SetupStep) =>
  s.kind === 'one_way'
    ? 'switch the account to one-way position mode'
    : s.kind === 'leverage'
      ? `set ${s.symbol} leverage ${s.from} → ${s.to}`
      : `set ${s.symbol} margin type ${s.from} → ${s.to}`;

/** Start-up stopped by the account (`code` account_setup_failed): the message is the one line to print; `cause` the exchange's error, when there was one. */
export class AccountSetupError extends AisError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('account_setup_failed', message, options);
  }
}

/** Brings the account to what the worker needs; resolves with the settings now in force, or throws the one-line reason (AccountSetupError). */
export async function setUpAsterAccount(
  aster: Pick<AsterExchange, 'accountSettings' | 'setHedgeMode' | 'setLeverage' | 'setMarginType'>,
  wish: AccountWish,
  log: Logger,
): Promise<AccountSettingsView> {
  let state;
  try {
    state = await aster.accountSettings();
  } catch (e) {
    // A refusal (credentials, permissions) is fixed by the operator; anything else by waiting.
    const next =
      isExchangeError(e) && e.kind === 'rejected'
        ? 'fix what the exchange refused, then start it again'
        : 'start it again once the exchange answers';
    throw new AccountSetupError(
      `account: could not read the position mode and symbol settings from Aster (${messageOf(e)}); the worker does not trade on an account it could not check: ${next}`,
      { cause: e },
    );
  }
  const plan = planAccountSetup(state, wish);
  if (!plan.ok) throw new AccountSetupError(plan.reason);
  for (const step of plan.steps) {
    try {
      if (step.kind === 'one_way') await aster.setHedgeMode(false);
      else if (step.kind === 'leverage') await aster.setLeverage(step.symbol, step.to);
      else await aster.setMarginType(step.symbol, step.to);
    } catch (e) {
      throw new AccountSetupError(`account: could not ${describeStep(step)}: ${messageOf(e)}`, {
        cause: e,
      });
    }
    if (step.kind === 'one_way')
      log.warn(
        { from: 'hedge', to: 'one_way' },
        'Account switched from hedge mode to one-way mode (it held no position): the worker keeps one net position per symbol',
      );
    else
      log.info(
        { step: step.kind, symbol: step.symbol, from: step.from, to: step.to },
        `Account: ${describeStep(step)}`,
      );
  }
  const view = settingsAfter(state, plan.steps, wish.symbols);
  log.info({ position_mode: view.positionMode, symbols: view.symbols }, 'Account settings checked');
  return view;
}
