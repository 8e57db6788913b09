// The reconciliation loop against the real control service, event store and alert service (from
// the HTTP test deps); the reconciler is scripted with reports built by the real reconcile().
import { describe, expect, it } from 'bun:test';
import { componentLogger } from '../../../src/adapters/logging/logger.ts';
import { loadConfig } from '../../../src/config/config.ts';
import {
  createReconciliationLoop,
  type MismatchAction,
  type Schedule,
} from '../../../src/domain/reconciliation/loop.ts';
import { reconcile } from '../../../src/domain/reconciliation/reconcile.ts';
import {
  errorReport,
  type ReconciliationReport,
} from '../../../src/domain/reconciliation/report.ts';
import { createTestDeps } from '../../helpers/test-deps.ts';

const NOW = 1_764_000_000_000;
const snapshot = (positions: Record<string, number>, navUsd = 100_000) => ({
  positions,
  navUsd,
  sentOrderIds: new Set<string>(),
});
const theirs = (positions: Record<string, number>, equityUsd = 100_000) => ({
  positions: Object.entries(positions).map(([symbol, quantity]) => ({ symbol, quantity })),
  equityUsd,
  trades: [],
});
const clean = reconcile(snapshot({ BTCUSDT: 1 }), theirs({ BTCUSDT: 1 }), { nowMs: NOW });
const drift = reconcile(snapshot({ BTCUSDT: 1 }), theirs({ BTCUSDT: 1.5 }), { nowMs: NOW });
const balanceGap = reconcile(snapshot({}), theirs({}, 90_000), { nowMs: NOW });
const outage = errorReport('circuit_open in balance: breaker aster_account is open', NOW);

/** A scheduler the test fires by hand: no timers, no sleeping. */
function manualSchedule() {
  const pending: { fn: () => Promise<void>; ms: number; cancelled: boolean }[] = [];
  const schedule: Schedule = (fn, ms) => {
    const entry = { fn, ms, cancelled: false };
    pending.push(entry);
    return () => void (entry.cancelled = true);
  };
  const live = () => pending.filter((p) => !p.cancelled);
  return {
    schedule,
    live,
    /** Runs the next scheduled run to completion. */
    async fire() {
      const next = pending.shift();
      if (!next || next.cancelled) throw new Error('nothing scheduled');
      await next.fn();
    },
  };
}

async function setup(reports: ReconciliationReport[], onMismatch: MismatchAction = 'HALTED') {
  const t = await createTestDeps();
  const timer = manualSchedule();
  let runs = 0;
  const reconciler = {
    async run() {
      const r = reports[Math.min(runs, reports.length - 1)]!;
      runs++;
      return r;
    },
  };
  const loop = createReconciliationLoop({
    reconciler,
    control: t.deps.risk.control,
    alerts: t.deps.alerts,
    log: componentLogger(t.deps.logger, 'ais.reconciliation'),
    intervalMs: 60_000,
    onMismatch,
    schedule: timer.schedule,
  });
  const alerts = async () =>
    (await t.store.query({ type: 'alert' })).map(
      (e) => e.payload as { severity: string; summary: string; description: string | null },
    );
  return { ...t, loop, timer, runs: () => runs, alerts, state: () => t.deps.risk.control.state() };
}

describe('ReconciliationLoop', () => {
  it('runs once on start, resolves after that run, then every interval until stopped', async () => {
    const { loop, timer, runs } = await setup([clean]);
    const first = await loop.start();
    expect(first).toBe(clean);
    expect(runs()).toBe(1);
    expect(timer.live().map((p) => p.ms)).toEqual([60_000]);
    await timer.fire();
    await timer.fire();
    expect(runs()).toBe(3);
    expect(await loop.start()).toBe(clean); // start() twice is the same start
    expect(runs()).toBe(3);
    loop.stop();
    expect(timer.live()).toHaveLength(0);
  });

  it('halts trading on a divergence, as `reconciliation` with a reason, logs an error and raises a critical alert', async () => {
    const { loop, state, store, alerts, logs } = await setup([drift]);
    expect(state().tradingState).toBe('ACTIVE');
    await loop.start();
    expect(state()).toMatchObject({
      tradingState: 'HALTED',
      tradingReason: 'reconciliation found 1 divergence(s) in BTCUSDT',
    });
    expect((await store.latest('trading_state'))?.payload).toMatchObject({
      state: 'HALTED',
      previous: 'ACTIVE',
      by: 'reconciliation',
    });
    const [alert] = await alerts();
    expect(alert!.severity).toBe('critical');
    expect(alert!.summary).toContain('BTCUSDT');
    expect(alert!.summary).toContain('trading set to HALTED');
    expect(alert!.description).toContain('internal 1, exchange 1.5');
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        logger: 'ais.reconciliation',
        message: 'Reconciliation mismatch',
      }),
    );
    loop.stop();
  });

  it('does not resume trading after a later clean run', async () => {
    const { loop, timer, state, store } = await setup([drift, clean, clean]);
    await loop.start();
    await timer.fire();
    await timer.fire();
    expect(state().tradingState).toBe('HALTED');
    expect(await store.query({ type: 'trading_state' })).toHaveLength(1);
    loop.stop();
  });

  it('moves to REDUCING when so configured, and never loosens a stricter state', async () => {
    const reducing = await setup([drift], 'REDUCING');
    await reducing.loop.start();
    expect(reducing.state().tradingState).toBe('REDUCING');
    reducing.loop.stop();

    const halted = await setup([balanceGap], 'REDUCING');
    await halted.deps.risk.control.apply({
      type: 'set_state',
      state: 'HALTED',
      by: 'operator',
      reason: 'maintenance',
    });
    await halted.loop.start();
    expect(halted.state()).toMatchObject({ tradingState: 'HALTED', tradingReason: 'maintenance' });
    const [alert] = await halted.alerts();
    expect(alert!.summary).toContain('none: trading is already HALTED');
    halted.loop.stop();
  });

  it('leaves the state alone while the kill switch is on', async () => {
    const { loop, deps, state, store } = await setup([drift]);
    await deps.risk.control.apply({
      type: 'trigger',
      reason: 'drill',
      by: 'operator',
      source: 'manual',
    });
    await loop.start();
    expect(state()).toMatchObject({ tradingState: 'ACTIVE', killSwitch: { active: true } });
    expect(await store.query({ type: 'trading_state' })).toHaveLength(0);
    loop.stop();
  });

  it('raises one alert per distinct divergence, not one per run', async () => {
    const { loop, timer, alerts } = await setup([
      drift,
      drift,
      balanceGap,
      balanceGap,
      clean,
      drift,
    ]);
    await loop.start();
    for (let i = 0; i < 5; i++) await timer.fire();
    // drift, then balanceGap (a different divergence), then drift again after a clean run.
    expect((await alerts()).map((a) => a.severity)).toEqual(['critical', 'critical', 'critical']);
    loop.stop();
  });

  it('alerts again when it halts trading again after an operator resumed it', async () => {
    const { loop, timer, alerts, deps, state } = await setup([drift]);
    await loop.start();
    await timer.fire();
    expect(await alerts()).toHaveLength(1);
    await deps.risk.control.apply({
      type: 'set_state',
      state: 'ACTIVE',
      by: 'operator',
      reason: 'checked, carry on',
    });
    await timer.fire();
    expect(state().tradingState).toBe('HALTED');
    expect(await alerts()).toHaveLength(2);
    loop.stop();
  });

  it('on an exchange outage changes nothing, warns once and raises one warning alert', async () => {
    const { loop, timer, state, alerts, logs } = await setup([outage, outage]);
    await loop.start();
    await timer.fire();
    expect(state().tradingState).toBe('ACTIVE');
    const raised = await alerts();
    expect(raised).toHaveLength(1);
    expect(raised[0]!.severity).toBe('warning');
    expect(raised[0]!.summary).toContain('circuit_open');
    expect(
      logs.lines.filter(
        (l) => l.message === 'Reconciliation could not check the exchange; trading state unchanged',
      ),
    ).toHaveLength(2);
    loop.stop();
  });

  it('keeps running when raising the alert fails', async () => {
    const t = await createTestDeps();
    const timer = manualSchedule();
    const loop = createReconciliationLoop({
      reconciler: { run: async () => drift },
      control: t.deps.risk.control,
      alerts: { raise: async () => Promise.reject(new Error('store is closed')) },
      log: componentLogger(t.deps.logger, 'ais.reconciliation'),
      intervalMs: 1_000,
      onMismatch: 'HALTED',
      schedule: timer.schedule,
    });
    expect(await loop.runNow()).toBe(drift);
    expect(t.deps.risk.control.state().tradingState).toBe('HALTED');
    expect(t.logs.lines).toContainEqual(
      expect.objectContaining({
        message: 'Reconciliation alert not raised',
        extra_json: expect.objectContaining({
          err: expect.objectContaining({ message: 'store is closed' }),
        }),
      }),
    );
  });
});

describe('reconciliation config', () => {
  it('defaults to every 60 s, HALTED on a mismatch, tolerance 0.001', () => {
    expect(loadConfig({}).reconciliation).toEqual({
      intervalMs: 60_000,
      onMismatch: 'HALTED',
      tolerance: 0.001,
    });
  });

  it('reads AIS_RECONCILE_*', () => {
    const c = loadConfig({
      AIS_RECONCILE_INTERVAL_S: '15',
      AIS_RECONCILE_ON_MISMATCH: 'REDUCING',
      AIS_RECONCILE_TOLERANCE: '0.005',
    });
    expect(c.reconciliation).toEqual({
      intervalMs: 15_000,
      onMismatch: 'REDUCING',
      tolerance: 0.005,
    });
  });

  it.each([
    ['AIS_RECONCILE_INTERVAL_S', '0'],
    ['AIS_RECONCILE_INTERVAL_S', '1.5'],
    ['AIS_RECONCILE_ON_MISMATCH', 'ACTIVE'],
    ['AIS_RECONCILE_TOLERANCE', '0'],
    ['AIS_RECONCILE_TOLERANCE', 'tight'],
  ])('refuses %s=%s with one line naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^config: ${name} `));
  });
});
