// What happened, for an operator: control actions, kill switch and trading-state changes, what a
// stop did on the exchange, alerts, fills and liquidations, breaker transitions and the
// reconciliations that changed something (a failure, and the first pass after one); never the
// per-cycle rows (signals, risk decisions, portfolio snapshots, decisions).
import type { SymbolRules } from '../../domain/market/symbol-rules.ts';
import { EventType, type EventStore, type StoredEvent } from '../../ports/event-store.ts';
import { onStep, onTick } from './figures.ts';

export interface TimelineRow {
  id: number;
  timeMs: number;
  kind:
    | 'control'
    | 'kill_switch'
    | 'state'
    | 'orders'
    | 'alert'
    | 'fill'
    | 'liquidation'
    | 'reconciliation'
    | 'breaker';
  text: string;
  level: 'info' | 'warn' | 'bad' | 'good';
}

/** Rows read per type: enough for the newest TIMELINE_ROWS whatever the mix. */
const PER_TYPE = 40;
export const TIMELINE_ROWS = 60;

const TYPES = [
  EventType.controlAction,
  EventType.killSwitch,
  EventType.killSwitchOrders,
  EventType.tradingState,
  EventType.alert,
  EventType.fill,
  EventType.breakerTransition,
  EventType.reconciliation,
] as const;

const names = (refs: readonly { symbol: string; type: string }[]) =>
  refs.map((r) => `${r.symbol} ${r.type}`).join(', ');

type Row = Omit<TimelineRow, 'id' | 'timeMs'>;

/** An operator's request: what, by whom, the result and the reason. */
function controlRow(payload: Record<string, unknown>): Row {
  const { endpoint, by, result, reason, ...rest } = payload;
  const what = Object.entries(rest)
    .filter(([k]) => k !== 'operator')
    .map(([k, v]) => `${k}=${String(v)}`);
  const why = typeof reason === 'string' ? ` — “${reason}”` : '';
  return {
    kind: 'control',
    level: 'info',
    text: `${String(endpoint ?? 'control')} ${what.join(' ')} by ${String(by)}: ${String(result)}${why}`,
  };
}

/** What stopping trading did on the exchange. */
function ordersRow(p: StoredEvent<'kill_switch_orders'>['payload']): Row {
  const parts = [
    `cancelled ${p.cancelled.length}${p.cancelled.length ? ` (${names(p.cancelled)})` : ''}`,
    `kept ${p.kept.length} protective`,
  ];
  if (p.failed.length) parts.push(`failed ${p.failed.length} (${names(p.failed)})`);
  const level = p.failed.length ? 'bad' : 'info';
  return { kind: 'orders', level, text: `Orders on the exchange: ${parts.join(', ')}` };
}

/** A fill, or a liquidation / ADL when it was not from an order of ours. */
function fillRow(f: StoredEvent<'fill'>['payload'], rules: ReadonlyMap<string, SymbolRules>): Row {
  const liquidation = f.foreign === 'liquidation' || f.foreign === 'adl';
  const r = rules.get(f.symbol);
  return {
    kind: liquidation ? 'liquidation' : 'fill',
    level: liquidation ? 'bad' : 'info',
    text: `${liquidation ? `${String(f.foreign).toUpperCase()} ` : ''}${f.side} ${onStep(f.quantity, r?.stepSize)} ${f.symbol} @ ${onTick(f.price, r?.tickSize)} (fee ${f.fee_usd.toFixed(4)} USD)`,
  };
}

/** One event as a row; undefined for what the timeline leaves out. */
function rowOf(e: StoredEvent, rules: ReadonlyMap<string, SymbolRules>): Row | undefined {
  switch (e.type) {
    case 'control_action':
      return controlRow(e.payload as Record<string, unknown>);
    case 'kill_switch': {
      const { active, by, reason } = e.payload;
      return active
        ? {
            kind: 'kill_switch',
            level: 'bad',
            text: `Kill switch triggered by ${by}: ${reason ?? ''}`,
          }
        : { kind: 'kill_switch', level: 'good', text: `Kill switch reset by ${by}` };
    }
    case 'trading_state': {
      const { state, previous, by, reason } = e.payload;
      const level = state === 'ACTIVE' ? 'good' : 'warn';
      return {
        kind: 'state',
        level,
        text: `Trading ${previous} → ${state} by ${by}${reason ? `: ${reason}` : ''}`,
      };
    }
    case 'kill_switch_orders':
      return ordersRow(e.payload);
    case 'alert': {
      const { status, labels, summary } = e.payload;
      const level = status === 'resolved' ? 'good' : 'bad';
      return {
        kind: 'alert',
        level,
        text: `Alert ${labels.alertname ?? ''} ${status}: ${summary}`,
      };
    }
    case 'fill':
      return fillRow(e.payload, rules);
    case 'breaker_transition': {
      const { name, from, to, reason } = e.payload;
      const level = to === 'closed' ? 'good' : 'warn';
      return { kind: 'breaker', level, text: `Breaker ${name} ${from} → ${to} (${reason})` };
    }
    default:
      return undefined;
  }
}

/** Keeps the reconciliations that failed and the first pass after a failure (input oldest first). */
function changedReconciliations(rows: readonly StoredEvent<'reconciliation'>[]) {
  const out: { e: StoredEvent; row: Row }[] = [];
  let previous: boolean | undefined;
  for (const e of rows) {
    const p = e.payload;
    if (!p.passed)
      out.push({
        e,
        row: {
          kind: 'reconciliation',
          level: 'bad',
          text: `Reconciliation ${p.status}${p.mismatched_symbols.length ? `: ${p.mismatched_symbols.join(', ')}` : ''}${p.error ? ` (${p.error})` : ''}`,
        },
      });
    else if (previous === false)
      out.push({
        e,
        row: { kind: 'reconciliation', level: 'good', text: 'Reconciliation passed again' },
      });
    previous = p.passed;
  }
  return out;
}

/** The newest TIMELINE_ROWS rows, newest first. */
export async function readTimeline(
  store: Pick<EventStore, 'query'>,
  rules: ReadonlyMap<string, SymbolRules>,
): Promise<TimelineRow[]> {
  const lists = await Promise.all(
    TYPES.map((type) => store.query({ type, newestFirst: true, limit: PER_TYPE })),
  );
  const rows: TimelineRow[] = [];
  for (const list of lists) {
    const events = list as StoredEvent[];
    const picked =
      events[0]?.type === EventType.reconciliation
        ? changedReconciliations([...(events as StoredEvent<'reconciliation'>[])].reverse())
        : events.map((e) => ({ e, row: rowOf(e, rules) }));
    for (const { e, row } of picked) if (row) rows.push({ id: e.id, timeMs: e.timeMs, ...row });
  }
  return rows.sort((a, b) => b.id - a.id).slice(0, TIMELINE_ROWS);
}

export interface AlertRow {
  timeMs: number;
  name: string;
  severity: string;
  status: string;
  summary: string;
  /** An absolute runbook URL from the alert, else the worker's copy of docs/runbooks/<name>.md. */
  runbook: string | null;
}

/** The newest alerts with their runbook links. */
export async function readAlerts(
  store: Pick<EventStore, 'query'>,
  runbooks: ReadonlySet<string>,
): Promise<AlertRow[]> {
  const alerts = await store.query({ type: EventType.alert, newestFirst: true, limit: 10 });
  return alerts.map((e) => {
    const name = e.payload.labels.alertname ?? 'alert';
    const given = (e.payload as { annotations?: Record<string, string> }).annotations?.runbook_url;
    const runbook =
      given && /^https?:\/\//.test(given) ? given : runbooks.has(name) ? `/runbooks/${name}` : null;
    return {
      timeMs: e.timeMs,
      name,
      severity: e.payload.severity,
      status: e.payload.status,
      summary: e.payload.summary,
      runbook,
    };
  });
}
