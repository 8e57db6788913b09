// Keeps the kill switch and trading state: every change is stored (kill_switch / trading_state
// events, plus a control_action event for an operator's request) before it is answered, fed to
// metrics and logged; start-up restores both from the store, so a restart never re-enables trading.
import {
  type ControlBasis,
  EventType,
  type EventStore,
  type NewEvent,
} from '../../ports/event-store.ts';
import type { LogPort } from '../../ports/log.ts';
import type { Metrics, TradingState } from '../../ports/metrics.ts';
import {
  applyControl,
  isTradingStopped,
  type ControlCommand,
  type ControlOutcome,
  type ControlState,
  restoreControl,
  type UnreadableControl,
} from './trading-control.ts';

export interface ControlService {
  state(): ControlState;
  /** Ids of the newest kill_switch and trading_state rows this state is built on (a decision's basis). */
  basis(): ControlBasis;
  /** Applies a command; `action` (an operator's request) is also stored as a control_action event. */
  apply(cmd: ControlCommand, action?: Record<string, unknown>): Promise<ControlOutcome>;
  /**
   * Adopts a change another worker stored in the shared event store (several workers on one libSQL
   * server share one kill switch and trading state). Returns true when the state changed.
   */
  sync(): Promise<boolean>;
  /**
   * Resolves once the commands and syncs queued so far have finished, however they end. An edge
   * isolate waits for it after each answer (waitUntil): a sync started and not awaited by a
   * request (say after a refusal) is cancelled by workerd when that request ends, and every later
   * command would wait behind it for ever.
   */
  idle(): Promise<void>;
  /**
   * Calls `listener(state, previous, cmd)` after every change, its own (`cmd`: the command this
   * worker applied) or adopted from the shared store (`cmd` undefined): the exchange protection
   * sweeps open orders when trading stops, the drawdown action runs on a drawdown trip. A
   * listener must not throw.
   */
  subscribe(listener: ControlListener): void;
}

/** A change of the control state; `cmd` is the command this worker applied (undefined: adopted from the store). */
export type ControlListener = (
  state: ControlState,
  previous: ControlState,
  cmd?: ControlCommand,
) => void;

interface ControlServiceOptions {
  store: EventStore;
  metrics: Metrics;
  log: LogPort;
  nowMs: () => number;
  /** The trading state when the store holds none (a fresh install). */
  initialState: TradingState;
}

export async function createControlService(o: ControlServiceOptions): Promise<ControlService> {
  /**
   * The newest stored kill_switch and trading_state events that parse, and the ids of the newest
   * rows of each whatever they hold (start-up and sync read the same).
   */
  const readStored = async () => {
    const [k, t, kId, tId] = await Promise.all([
      o.store.latest(EventType.killSwitch),
      o.store.latest(EventType.tradingState),
      o.store.newestId(EventType.killSwitch),
      o.store.newestId(EventType.tradingState),
    ]);
    // A newest row that does not parse was skipped by latest(): restoreControl fails closed on it.
    const unreadable: UnreadableControl = {
      killSwitchId: kId !== undefined && kId > (k?.id ?? 0) ? kId : undefined,
      tradingStateId: tId !== undefined && tId > (t?.id ?? 0) ? tId : undefined,
    };
    return {
      k,
      t,
      unreadable,
      newest: { kill: Math.max(kId ?? 0, k?.id ?? 0), trading: Math.max(tId ?? 0, t?.id ?? 0) },
    };
  };
  const restoreFrom = (
    fallback: TradingState,
    { k, t, unreadable }: Awaited<ReturnType<typeof readStored>>,
  ) => {
    const restored = restoreControl(
      fallback,
      k && { payload: k.payload, timeMs: k.timeMs },
      t && { payload: t.payload, timeMs: t.timeMs },
      unreadable,
    );
    if (unreadable.killSwitchId !== undefined || unreadable.tradingStateId !== undefined) {
      o.log.error(
        {
          unreadable_kill_switch_id: unreadable.killSwitchId ?? null,
          unreadable_trading_state_id: unreadable.tradingStateId ?? null,
        },
        'Newest control event unreadable: trading stays stopped until an operator changes it',
      );
    }
    return restored;
  };
  const stored = await readStored();
  // Ids of the newest control events this instance knows (its own or adopted): sync adopts newer ones.
  let known = stored.newest;
  let state = restoreFrom(o.initialState, stored);
  const listeners: ControlListener[] = [];
  const tell = (previous: ControlState, cmd?: ControlCommand) => {
    for (const l of listeners) l(state, previous, cmd);
  };
  const publish = () => {
    o.metrics.killSwitch(state.killSwitch.active);
    o.metrics.tradingState(state.tradingState);
    o.metrics.loopHalted(isTradingStopped(state));
  };
  publish();
  o.log.info(
    {
      trading_state: state.tradingState,
      kill_switch: state.killSwitch,
      restored: !!(stored.k || stored.t),
    },
    'Control state at start-up',
  );

  // One command at a time, so that stored events keep the order of the state changes.
  let queue: Promise<unknown> = Promise.resolve();
  const run = async (
    cmd: ControlCommand,
    action?: Record<string, unknown>,
  ): Promise<ControlOutcome> => {
    const nowMs = o.nowMs();
    const previous = state;
    const outcome = applyControl(state, cmd, nowMs);
    const events: NewEvent[] = outcome.ok
      ? outcome.events.map((e) => ({ ...e, timeMs: nowMs }))
      : [];
    if (action) {
      const result = outcome.ok ? (events.length ? 'applied' : 'unchanged') : outcome.code;
      events.push({
        type: EventType.controlAction,
        payload: { ...action, by: cmd.by, result },
        timeMs: nowMs,
      });
    }
    // A trigger takes effect at once (stop first, then record); anything that loosens waits for the store.
    if (cmd.type === 'trigger') state = outcome.state;
    if (events.length) {
      for (const e of await o.store.appendBatch(events)) {
        if (e.type === EventType.killSwitch) known = { ...known, kill: Math.max(known.kill, e.id) };
        if (e.type === EventType.tradingState)
          known = { ...known, trading: Math.max(known.trading, e.id) };
      }
    }
    state = outcome.state;
    if (outcome.ok && outcome.events.length) {
      publish();
      if (cmd.type === 'trigger') o.metrics.killSwitchTriggered(cmd.source);
      const level =
        cmd.type === 'trigger' || (cmd.type === 'set_state' && cmd.state !== 'ACTIVE')
          ? 'warn'
          : 'info';
      o.log[level](
        { command: cmd, trading_state: state.tradingState, kill_switch: state.killSwitch },
        'Control state changed',
      );
      tell(previous, cmd);
    }
    return outcome;
  };
  const sync = async (): Promise<boolean> => {
    const latest = await readStored();
    if (latest.newest.kill <= known.kill && latest.newest.trading <= known.trading) return false;
    known = {
      kill: Math.max(known.kill, latest.newest.kill),
      trading: Math.max(known.trading, latest.newest.trading),
    };
    const before = state;
    state = restoreFrom(state.tradingState, latest);
    publish();
    o.log.warn(
      {
        trading_state: state.tradingState,
        kill_switch: state.killSwitch,
        was: { trading_state: before.tradingState, kill_switch: before.killSwitch.active },
      },
      'Control state adopted from the shared store',
    );
    tell(before);
    return true;
  };
  const enqueue = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn);
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    state: () => state,
    basis: () => ({ killSwitchId: known.kill, tradingStateId: known.trading }),
    apply: (cmd, action) => enqueue(() => run(cmd, action)),
    sync: () => enqueue(sync),
    idle: () => queue.then(() => undefined),
    subscribe: (listener) => void listeners.push(listener),
  };
}
