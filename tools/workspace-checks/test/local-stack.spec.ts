import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const root = path.join(__dirname, '../../..');
const stack = (command: string) =>
  spawnSync(process.execPath, [path.join(root, 'tools/stack/stack.mjs'), command], {
    cwd: root,
    encoding: 'utf8',
  });

describe('the local stack script', () => {
  it('reuses the running broker on a second `up` instead of starting another', () => {
    const res = stack('up');
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(
      /Kafka\s+127\.0\.0\.1:\d+\s+— (reused the broker already running|configured by KAFKA_BROKERS)/,
    );
    expect(res.stdout).toMatch(/PostgreSQL .* server \d+/);
  });

  it('reports both parts as answering', () => {
    const res = stack('status');
    expect(res.stdout).toMatch(/Kafka .* answers/);
    expect(res.status).toBe(0);
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true });
  const services: Record<string, Record<string, unknown>> = compose.services;

  it('has the stack the architecture names', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['kafka', 'postgres', 'otel-collector', 'jaeger', 'prometheus', 'platform-sim']),
    );
  });

  it('runs Kafka as one KRaft node with the single-node replication settings', () => {
    const env = services.kafka.environment as Record<string, unknown>;
    expect(env.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(env.KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR).toBe(1);
    expect(env.KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR).toBe(1);
    expect(env.KAFKA_TRANSACTION_STATE_LOG_MIN_ISR).toBe(1);
  });

  it('gives every service an image or a build, and only depends on services it defines', () => {
    for (const [name, service] of Object.entries(services)) {
      expect([name, Boolean(service.image ?? service.build)]).toEqual([name, true]);
      const deps = Array.isArray(service.depends_on)
        ? service.depends_on
        : Object.keys(service.depends_on ?? {});
      for (const dep of deps) expect(Object.keys(services)).toContain(dep);
    }
  });

  it('mounts only files that exist in the repository', () => {
    for (const service of Object.values(services)) {
      for (const volume of (service.volumes as string[] | undefined) ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('./')) expect(fs.existsSync(path.join(root, source))).toBe(true);
      }
    }
  });

  it('runs every app of the workspace, and Prometheus scrapes every service', () => {
    const apps = fs
      .readdirSync(path.join(root, 'apps'))
      .filter((app) => fs.existsSync(path.join(root, 'apps', app, 'src/main.ts')));
    for (const app of apps) expect([app, services[app]?.build]).toEqual([app, expect.anything()]);
    const prometheus = parse(fs.readFileSync(path.join(root, 'deploy/prometheus/prometheus.yml'), 'utf8'));
    const jobs = (prometheus.scrape_configs as { job_name: string }[]).map((job) => job.job_name);
    // A service is what runs on @yb/service-runtime, which serves /metrics.
    const runtimeApps = apps.filter((app) =>
      fs
        .readdirSync(path.join(root, 'apps', app, 'src'), { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.ts'))
        .some((file) =>
          fs
            .readFileSync(path.join(root, 'apps', app, 'src', file), 'utf8')
            .includes("'@yb/service-runtime'"),
        ),
    );
    expect(runtimeApps).toEqual(expect.arrayContaining(['admission', 'fee-detail']));
    expect(jobs).toEqual(expect.arrayContaining(runtimeApps));
  });

  it('builds apps from Dockerfiles that exist', () => {
    for (const service of Object.values(services)) {
      const build = service.build as { dockerfile?: string } | undefined;
      if (build?.dockerfile) expect(fs.existsSync(path.join(root, build.dockerfile))).toBe(true);
    }
  });
});
