// The console's live state: one snapshot built at most once a SNAPSHOT_MS whoever asks (every
// open page shares it, so the exchange's open orders are read once a snapshot, not once a viewer),
// and the fills booked incrementally into trades with their realised P&L.
import { redactDeep } from '../../domain/redaction/redact.ts';
import { stateWord } from '../../domain/risk/state-word.ts';
import { killSwitchView } from '../../domain/risk/trading-control.ts';
import { bookFills, emptyLedgerBook, type LedgerRow } from '../../domain/portfolio/trade-ledger.ts';
import { MAX_QUERY_LIMIT } from '../../adapters/store/libsql/event-store.ts';
import { messageOf } from '../../domain/error-message.mjs';
import { EventType } from '../../ports/event-store.ts';
import type { AppDeps } from '../deps.ts';
import { openOrderView } from '../routes/open-orders.ts';
import { cardsOf, onStep, onTick, positionRows } from './figures.ts';
import { readAlerts, readTimeline } from './timeline.ts';

/** How fresh a snapshot is at worst (ms): the live page's update period. */
export const SNAPSHOT_MS = 1_000;
/** Trades kept for the table (newest). */
const TRADE_ROWS = 30;

export type ConsoleDeps = Pick<
  AppDeps,
  'risk' | 'store' | 'health' | 'nowMs' | 'config' | 'resilience' | 'trading' | 'userStream'
>;

export type ConsoleSnapshot = Awaited<ReturnType<ReturnType<typeof createConsoleFeed>['build']>>;

/** The snapshot source of one app; `snapshot()` shares a build younger than SNAPSHOT_MS. */
export function createConsoleFeed(deps: ConsoleDeps, runbooks: ReadonlySet<string>) {
  let ledger = {
    book: emptyLedgerBook(),
    lastId: 0,
    rows: [] as LedgerRow[],
    realised: 0,
    fees: 0,
  };
  let cached: { atMs: number; value: ReturnType<typeof build> } | undefined;

  async function trades() {
    for (;;) {
      const fills = await deps.store.query({
        type: EventType.fill,
        afterId: ledger.lastId,
        limit: MAX_QUERY_LIMIT,
      });
      if (!fills.length) break;
      const booked = bookFills(
        ledger.book,
        fills.map((e) => ({
          id: e.id,
          timeMs: e.timeMs,
          symbol: e.payload.symbol,
          side: e.payload.side,
          quantity: e.payload.quantity,
          price: e.payload.price,
          feeUsd: e.payload.fee_usd,
          foreign: e.payload.foreign,
        })),
      );
      ledger = {
        book: booked.book,
        lastId: fills.at(-1)!.id,
        rows: [...ledger.rows, ...booked.rows].slice(-TRADE_ROWS),
        realised: booked.rows.reduce((s, r) => s + r.realisedUsd, ledger.realised),
        fees: booked.rows.reduce((s, r) => s + r.feeUsd, ledger.fees),
      };
      if (fills.length < MAX_QUERY_LIMIT) break;
    }
    return ledger;
  }

  async function orders() {
    if (!deps.trading) return { rows: [], error: 'no exchange in this worker' };
    try {
      return { rows: (await deps.trading.openOrders()).map(openOrderView), error: null };
    } catch (e) {
      return { rows: [], error: messageOf(e) };
    }
  }

  function stateOf() {
    const s = deps.risk.control.state();
    const word = stateWord(s);
    return {
      word,
      reason: word === 'KILLED' ? s.killSwitch.reason : s.tradingReason,
      sinceMs: word === 'KILLED' ? s.killSwitch.sinceMs : s.tradingSinceMs,
      tradingState: s.tradingState,
      killSwitch: killSwitchView(s),
    };
  }

  function components(health: Awaited<ReturnType<ConsoleDeps['health']>>) {
    const rows = Object.entries(health.components).map(([name, c]) => ({
      name,
      status: c.status,
      detail: c.detail ?? '',
    }));
    const stream = deps.userStream?.status();
    rows.push(
      !stream
        ? { name: 'user-data stream', status: 'disabled', detail: 'none on the paper exchange' }
        : stream.connected
          ? {
              name: 'user-data stream',
              status: 'ok',
              detail: `connected since ${new Date(stream.sinceMs).toISOString()}`,
            }
          : {
              name: 'user-data stream',
              status: 'down',
              detail: `down since ${new Date(stream.sinceMs).toISOString()}: ${stream.error ?? 'connecting'}`,
            },
    );
    return rows;
  }

  async function build() {
    const rules = deps.risk.engine.symbolRules();
    const margin = deps.risk.engine.margin();
    const p = deps.risk.portfolio.get();
    const [health, open, ledgerNow, timeline, alerts, reconciliation] = await Promise.all([
      deps.health(),
      orders(),
      trades(),
      readTimeline(deps.store, rules),
      readAlerts(deps.store, runbooks),
      deps.store.latest(EventType.reconciliation),
    ]);
    // Details and event texts may quote a URL (a remote database's, with its token): none leaves with it.
    return redactDeep({
      timeMs: deps.nowMs(),
      instance: deps.config.instanceId,
      exchange: deps.config.exchange,
      state: stateOf(),
      health: { status: health.status, components: components(health) },
      cards: cardsOf(p, deps.risk.engine.limits, margin),
      positions: positionRows(
        p,
        deps.risk.engine.limits,
        rules,
        margin,
        deps.trading?.protectiveStops() ?? new Map(),
      ),
      orders: {
        ...open,
        rows: open.rows.map((o) => ({
          ...o,
          quantity_text: o.close_position
            ? 'whole position'
            : onStep(o.quantity, rules.get(o.symbol)?.stepSize),
        })),
      },
      trades: {
        rows: [...ledgerNow.rows]
          .reverse()
          .map((r) => ({ ...r, quantity: onStep(r.quantity, rules.get(r.symbol)?.stepSize) })),
        realisedUsd: ledgerNow.realised,
        feesUsd: ledgerNow.fees,
      },
      timeline,
      alerts,
      breakers: deps.resilience.stats().breakers.map((b) => ({ name: b.name, state: b.state })),
      symbols: deps.trading?.symbols ?? [],
      reconciliation: reconciliation
        ? {
            status: reconciliation.payload.status,
            passed: reconciliation.payload.passed,
            timeMs: reconciliation.timeMs,
          }
        : null,
    });
  }

  return {
    build,
    /** The shared snapshot: a new build once the last is SNAPSHOT_MS old. */
    snapshot(): ReturnType<typeof build> {
      const now = deps.nowMs();
      if (!cached || now - cached.atMs >= SNAPSHOT_MS) {
        cached = { atMs: now, value: build() };
        cached.value.catch(() => (cached = undefined));
      }
      return cached.value;
    },
  };
}
