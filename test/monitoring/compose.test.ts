// docker-compose.yml and the Dockerfile, checked without Docker: the compose file parses, names the
// five services on their ports, mounts files that exist, and agrees with the configs it mounts.
import { describe, expect, it } from 'bun:test';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../helpers/worker-process.ts';

const MONITORING = join(ROOT, 'monitoring');
const compose = parse(readFileSync(join(MONITORING, 'docker-compose.yml'), 'utf8'));
const services = compose.services as Record<
  string,
  {
    ports?: string[];
    volumes?: string[];
    environment?: Record<string, string>;
    command?: string[];
    entrypoint?: string[];
    tmpfs?: string[];
    build?: { context: string; dockerfile: string };
  }
>;
const readYaml = (path: string) => parse(readFileSync(join(MONITORING, path), 'utf8'));
/** Bind mounts as [host path (absolute), container path]. */
const binds = (service: string) =>
  (services[service]!.volumes ?? [])
    .filter((v) => v.startsWith('./'))
    .map((v) => {
      const [host, container] = v.split(':');
      return [join(MONITORING, host!), container!] as const;
    });
const containerPathOf = (service: string, hostRelative: string) =>
  binds(service).find(([h]) => h === join(MONITORING, hostRelative))?.[1];

describe('monitoring/docker-compose.yml', () => {
  it('runs the worker, Prometheus, Grafana, Alertmanager and Pushgateway on their ports, loopback only', () => {
    const ports = Object.fromEntries(Object.entries(services).map(([name, s]) => [name, s.ports]));
    expect(ports).toEqual({
      worker: ['127.0.0.1:8000:8000'],
      prometheus: ['127.0.0.1:9090:9090'],
      alertmanager: ['127.0.0.1:9093:9093'],
      pushgateway: ['127.0.0.1:9091:9091'],
      grafana: ['127.0.0.1:3000:3000'],
    });
  });

  it('has the worker listen on every interface inside its container (Prometheus scrapes worker:8000)', () => {
    expect(services.worker!.environment!.AIS_HOST).toBe('0.0.0.0');
  });

  it('bind-mounts only files and directories that exist', () => {
    const all = Object.keys(services).flatMap((s) => binds(s));
    expect(all.length).toBeGreaterThanOrEqual(7);
    for (const [host] of all) expect(existsSync(host), host).toBe(true);
  });

  it('builds the worker from the root Dockerfile with its data on a volume', () => {
    const build = services.worker!.build!;
    const dockerfile = join(MONITORING, build.context, build.dockerfile);
    expect(existsSync(dockerfile)).toBe(true);
    const text = readFileSync(dockerfile, 'utf8');
    expect(text).toMatch(/^USER node$/m);
    expect(text).toMatch(/^VOLUME \["\/data"\]$/m);
    expect(text).toMatch(/^EXPOSE 8000$/m);
    expect(text).toContain('AIS_DB_URL=file:/data/ais.db');
    expect(services.worker!.volumes).toContain('worker-data:/data');
    // Every path the Dockerfile copies from the build context exists and is not docker-ignored.
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    const copied = [...text.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) =>
      m[1]!.split(' '),
    );
    expect(copied).toEqual([
      'package.json',
      'package-lock.json',
      'wasm',
      'package.json',
      'drizzle',
      'src',
      'docs/runbooks',
    ]);
    for (const path of copied) {
      expect(existsSync(join(ROOT, path)), path).toBe(true);
      expect(ignored, path).not.toContain(path);
    }
  });

  it('points the Prometheus and Grafana configs at the compose service names', () => {
    const prometheus = readYaml('prometheus.yml');
    const targets = prometheus.scrape_configs.flatMap(
      (j: { static_configs: { targets: string[] }[] }) =>
        j.static_configs.flatMap((s) => s.targets),
    );
    for (const t of targets.filter((t: string) => !t.startsWith('localhost'))) {
      const [host, port] = t.split(':');
      expect(services[host!]?.ports?.[0], t).toBe(`127.0.0.1:${port}:${port}`);
    }
    expect(readYaml('grafana/provisioning/datasources/prometheus.yml').datasources[0].url).toBe(
      'http://prometheus:9090',
    );
    const am = readYaml('alertmanager.yml');
    expect(am.receivers[0].webhook_configs[0].url).toBe('http://worker:8000/webhooks/alertmanager');
  });

  it('writes the secret files where the mounted configs read them', () => {
    // Prometheus resolves secrets/metrics_token against its config file's directory.
    const promConfig = containerPathOf('prometheus', 'prometheus.yml')!;
    const credentials = readYaml('prometheus.yml').scrape_configs[0].authorization.credentials_file;
    expect(services.prometheus!.environment!.AIS_SECRETS_DIR).toBe(
      posix.join(posix.dirname(promConfig), dirname(credentials)),
    );
    expect(services.prometheus!.tmpfs![0]!.split(':')[0]).toBe(
      services.prometheus!.environment!.AIS_SECRETS_DIR,
    );
    expect(services.prometheus!.command).toContain(`--config.file=${promConfig}`);
    expect(services.prometheus!.entrypoint![1]).toBe(
      containerPathOf('prometheus', 'entrypoint.sh'),
    );
    expect(containerPathOf('prometheus', 'rules')).toBe(
      posix.join(posix.dirname(promConfig), 'rules'),
    );

    // Alertmanager runs the config entrypoint.sh renders into its secrets directory.
    const am = services.alertmanager!;
    expect(am.environment!.AM_CONFIG_TEMPLATE).toBe(
      containerPathOf('alertmanager', 'alertmanager.yml'),
    );
    expect(am.command).toContain(
      `--config.file=${am.environment!.AIS_SECRETS_DIR}/alertmanager.yml`,
    );
    expect(am.tmpfs![0]!.split(':')[0]).toBe(am.environment!.AIS_SECRETS_DIR);
    expect(am.environment!.AIS_API_TOKEN).toContain('AIS_API_TOKEN');
  });

  it('provisions Grafana with the generated dashboards and the admin password from GF_ADMIN_PASSWORD', () => {
    const g = services.grafana!;
    expect(g.environment!.GF_SECURITY_ADMIN_PASSWORD).toMatch(/^\$\{GF_ADMIN_PASSWORD:\?/);
    expect(containerPathOf('grafana', 'grafana/provisioning')).toBe('/etc/grafana/provisioning');
    const provider = readYaml('grafana/provisioning/dashboards/ais.yml').providers[0];
    expect(containerPathOf('grafana', 'grafana/dashboards')).toBe(provider.options.path);
  });
});
