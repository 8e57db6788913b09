// pushMetrics against the real Pushgateway (Debian prometheus-pushgateway) on a loopback port.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { Counter, Gauge, Registry } from 'prom-client';
import {
  deleteMetrics,
  groupUrl,
  PushgatewayError,
  pushMetrics,
} from '../../../src/adapters/pushgateway/push.ts';
import type { CallGuard } from '../../../src/ports/resilience.ts';
import { freePort, type Program, startPushgateway } from '../../monitoring/processes.ts';

let gw: Program;
beforeAll(async () => {
  gw = await startPushgateway();
}, 30_000);
afterAll(async () => {
  await gw?.stop();
});

const scrape = async () => (await fetch(`${gw.url}/metrics`)).text();
/** The gateway's series lines for one metric name, labels sorted as it prints them. */
const lines = async (name: string) =>
  (await scrape()).split('\n').filter((l) => l.startsWith(`${name}{`));

describe('pushMetrics', () => {
  it('PUTs a prom-client registry under job and run_id, which the gateway serves back', async () => {
    const registry = new Registry();
    const trades = new Gauge({
      name: 'ais_backtest_trades',
      help: 'Trades in the run.',
      registers: [registry],
    });
    const rejections = new Counter({
      name: 'ais_backtest_rejections_total',
      help: 'Rejections by guard.',
      labelNames: ['guard'],
      registers: [registry],
    });
    trades.set(42);
    rejections.inc({ guard: 'leverage' }, 3);
    await pushMetrics({
      url: gw.url,
      job: 'ais_backtest',
      groupingKey: { run_id: 'run-1' },
      registry,
    });
    expect(await lines('ais_backtest_trades')).toEqual([
      'ais_backtest_trades{instance="",job="ais_backtest",run_id="run-1"} 42',
    ]);
    expect(await lines('ais_backtest_rejections_total')).toEqual([
      'ais_backtest_rejections_total{guard="leverage",instance="",job="ais_backtest",run_id="run-1"} 3',
    ]);
  });

  it('PUT replaces the whole group; POST replaces only the names pushed', async () => {
    const target = { url: gw.url, job: 'replace_test', groupingKey: { run_id: 'r' } };
    await pushMetrics({ ...target, text: 'ais_t_a 1\nais_t_b 1\n' });
    await pushMetrics({ ...target, text: 'ais_t_b 2' });
    expect(await lines('ais_t_a')).toEqual([]);
    expect(await lines('ais_t_b')).toEqual([
      'ais_t_b{instance="",job="replace_test",run_id="r"} 2',
    ]);
    await pushMetrics({ ...target, text: 'ais_t_a 5\n', method: 'POST' });
    expect(await lines('ais_t_a')).toEqual([
      'ais_t_a{instance="",job="replace_test",run_id="r"} 5',
    ]);
    expect(await lines('ais_t_b')).toHaveLength(1);
  });

  it('keeps a run id with a slash or an empty value intact (base64 path segments)', async () => {
    await pushMetrics({
      url: gw.url,
      job: 'slash/job',
      groupingKey: { run_id: '2026/01/02 #1', variant: '' },
      text: 'ais_t_slash 7',
    });
    expect(await lines('ais_t_slash')).toEqual([
      'ais_t_slash{instance="",job="slash/job",run_id="2026/01/02 #1",variant=""} 7',
    ]);
  });

  it('deletes a group', async () => {
    const target = { url: gw.url, job: 'delete_test', groupingKey: { run_id: 'gone' } };
    await pushMetrics({ ...target, text: 'ais_t_deleted 1\n' });
    expect(await lines('ais_t_deleted')).toHaveLength(1);
    await deleteMetrics(target);
    expect(await lines('ais_t_deleted')).toEqual([]);
  });

  it('rejects with the status and the gateway message for text it cannot parse', async () => {
    const err = await pushMetrics({
      url: gw.url,
      job: 'bad',
      text: 'not a metric line at all {',
    }).catch((e) => e);
    expect(err).toBeInstanceOf(PushgatewayError);
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/^Pushgateway answered 400 to PUT \/metrics\/job\/bad: .+/);
  });

  it('rejects with PushgatewayError when nothing listens', async () => {
    const port = await freePort();
    const err = await pushMetrics({ url: `http://127.0.0.1:${port}`, job: 'x', text: 'a 1' }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(PushgatewayError);
    expect(err.message).toContain(`Pushgateway unreachable at http://127.0.0.1:${port}`);
  });

  it('runs the call through the guard as service pushgateway', async () => {
    const seen: string[] = [];
    const guard: CallGuard = (service, fn) => (seen.push(service), fn());
    await pushMetrics({ url: gw.url, job: 'guarded', text: 'ais_t_guarded 1', guard });
    expect(seen).toEqual(['pushgateway']);
    expect(await lines('ais_t_guarded')).toHaveLength(1);
  });
});

describe('groupUrl', () => {
  it('builds /metrics/job/<job>/<label>/<value> and refuses bad label names', () => {
    expect(
      groupUrl({ url: 'http://gw:9091/', job: 'ais_backtest', groupingKey: { run_id: 'a b' } }),
    ).toBe('http://gw:9091/metrics/job/ais_backtest/run_id/a%20b');
    expect(groupUrl({ url: 'http://gw:9091', job: 'j', groupingKey: { run_id: 'a/b' } })).toBe(
      'http://gw:9091/metrics/job/j/run_id@base64/YS9i',
    );
    expect(() => groupUrl({ url: 'http://gw', job: 'j', groupingKey: { 'run-id': 'x' } })).toThrow(
      PushgatewayError,
    );
    expect(() => groupUrl({ url: 'http://gw', job: '' })).toThrow('job must not be empty');
  });
});
