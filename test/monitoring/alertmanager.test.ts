// monitoring/alertmanager.yml as amtool reads it, before and after entrypoint.sh renders the secrets.
import { describe, expect, it } from 'bun:test';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { requireBinary } from '../helpers/binaries.ts';
import { ROOT, tempDir } from '../helpers/worker-process.ts';

const TEMPLATE = join(ROOT, 'monitoring/alertmanager.yml');
const ENTRYPOINT = join(ROOT, 'monitoring/entrypoint.sh');

const amtool = (...args: string[]) => {
  const r = spawnSync(requireBinary('amtool'), args, { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
};

/** Runs entrypoint.sh like the container does and returns the rendered config's directory. */
function render(env: Record<string, string>) {
  const dir = tempDir('ais-am-');
  const r = spawnSync('sh', [ENTRYPOINT, 'true'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, AIS_SECRETS_DIR: dir, AM_CONFIG_TEMPLATE: TEMPLATE, ...env },
  });
  expect(r.status).toBe(0);
  return {
    dir,
    config: join(dir, 'alertmanager.yml'),
    text: readFileSync(join(dir, 'alertmanager.yml'), 'utf8'),
    stderr: r.stderr,
  };
}

describe('monitoring/alertmanager.yml', () => {
  it('passes amtool check-config as committed', () => {
    const r = amtool('check-config', TEMPLATE);
    expect(r.out).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('routes critical alerts to Slack and the worker, everything else to the worker', () => {
    const route = (...labels: string[]) =>
      amtool('config', 'routes', 'test', `--config.file=${TEMPLATE}`, ...labels).out.split('\n')[0];
    expect(route('alertname=HighDrawdown', 'severity=critical')).toBe('critical');
    expect(route('alertname=HighDrawdown', 'severity=warning')).toBe('ais-worker');
    expect(route('alertname=Other')).toBe('ais-worker');
    const config = parse(readFileSync(TEMPLATE, 'utf8'));
    const critical = config.receivers.find((r: { name: string }) => r.name === 'critical');
    expect(critical.webhook_configs[0]).toMatchObject({
      url: 'http://worker:8000/webhooks/alertmanager',
      send_resolved: true,
      http_config: { authorization: { type: 'Bearer', credentials_file: 'secrets/ais_api_token' } },
    });
    expect(critical.slack_configs[0]).toMatchObject({
      api_url_file: 'secrets/slack_webhook_url',
      channel: '#trading-alerts',
      title: 'AIS Alert',
    });
    expect(config.route.receiver).toBe('ais-worker');
  });

  it('lets a critical alert inhibit the warning of the same alertname', () => {
    const config = parse(readFileSync(TEMPLATE, 'utf8'));
    expect(config.inhibit_rules).toEqual([
      {
        source_matchers: ['severity="critical"'],
        target_matchers: ['severity="warning"'],
        equal: ['alertname', 'instance'],
      },
    ]);
  });

  it('renders with the Slack URL and token in files, and passes amtool check-config', () => {
    const slack = 'https://hooks.slack.com/services/T000/B000/XXXX';
    const { dir, config, text } = render({
      AIS_API_TOKEN: 'worker-token-0123456789',
      AIS_SLACK_WEBHOOK_URL: slack,
      AIS_WORKER_URL: 'http://127.0.0.1:18000',
    });
    expect(amtool('check-config', config).status).toBe(0);
    expect(readFileSync(join(dir, 'slack_webhook_url'), 'utf8')).toBe(slack);
    expect(readFileSync(join(dir, 'ais_api_token'), 'utf8')).toBe('worker-token-0123456789');
    // The secrets stay in files: the rendered config names paths, never values.
    expect(text).not.toContain(slack);
    expect(text).not.toContain('worker-token');
    const parsed = parse(text);
    const critical = parsed.receivers.find((r: { name: string }) => r.name === 'critical');
    expect(critical.slack_configs[0].api_url_file).toBe(join(dir, 'slack_webhook_url'));
    expect(critical.webhook_configs[0].url).toBe('http://127.0.0.1:18000/webhooks/alertmanager');
    expect(critical.webhook_configs[0].http_config.authorization.credentials_file).toBe(
      join(dir, 'ais_api_token'),
    );
  });

  it('renders without Slack receivers when AIS_SLACK_WEBHOOK_URL is unset, and warns about a missing token', () => {
    const { config, text, stderr } = render({});
    expect(amtool('check-config', config).status).toBe(0);
    expect(text).not.toContain('slack_configs');
    expect(stderr).toContain('AIS_API_TOKEN is unset');
    const parsed = parse(text);
    expect(parsed.receivers.map((r: { name: string }) => r.name)).toEqual([
      'ais-worker',
      'critical',
      'slack',
    ]);
    expect(parsed.receivers[1].webhook_configs).toHaveLength(1);
  });
});
