import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ALL_TOPICS, COMPACTED_TOPICS } from '@yb/contracts';
import { createMetrics } from '@yb/observability';
import { parse } from 'yaml';

const root = path.join(__dirname, '../../..');
// Zipkin (the trace viewer) is for people: the suite neither starts nor waits for it.
const stack = (command: string) =>
  spawnSync(process.execPath, [path.join(root, 'tools/stack/stack.mjs'), command], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, STACK_ZIPKIN: 'false' },
  });

describe('the local stack script', () => {
  it('reuses the running broker on a second `up` instead of starting another', () => {
    const res = stack('up');
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(
      /Kafka\s+127\.0\.0\.1:\d+\s+— (reused the broker already running|configured by KAFKA_BROKERS)/,
    );
    expect(res.stdout).toMatch(/PostgreSQL .* server \d+/);
    expect(res.stdout).not.toMatch(/^Zipkin/m);
  });

  it('reports Kafka and PostgreSQL as answering, and whether the optional Zipkin runs', () => {
    const res = stack('status');
    expect(res.stdout).toMatch(/Kafka .* answers/);
    expect(res.stdout).toMatch(/^Zipkin\s+http:\/\/127\.0\.0\.1:\d+\s+— (answers|not running \(optional\))/m);
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

  it('creates every product topic and its dead-letter twin before the services start', () => {
    const command = (services['kafka-init'].command as string[]).join(' ');
    const listed = /for t in ([^;]+);/.exec(command)![1].trim().split(/\s+/);
    expect([...listed].sort()).toEqual([...ALL_TOPICS].sort());
    expect(command).toContain('$$t.dlq');
    const compacted =
      /for t in ([^;]+); do \/opt\/kafka\/bin\/kafka-configs\.sh .*cleanup\.policy=compact/.exec(command);
    expect(compacted?.[1].trim().split(/\s+/).sort()).toEqual([...COMPACTED_TOPICS].sort());
  });

  it("scrapes each service on the port compose gives it, and the alerts use only the services' metrics", () => {
    const prometheus = parse(fs.readFileSync(path.join(root, 'deploy/prometheus/prometheus.yml'), 'utf8'));
    for (const job of prometheus.scrape_configs as {
      job_name: string;
      static_configs: { targets: string[] }[];
    }[]) {
      const service = services[job.job_name];
      expect([job.job_name, Boolean(service)]).toEqual([job.job_name, true]);
      const port = (service.environment as Record<string, unknown> | undefined)?.HTTP_PORT;
      if (port !== undefined) expect(job.static_configs[0].targets).toEqual([`${job.job_name}:${port}`]);
    }
    const mounted = (services.prometheus.volumes as string[]).map((v) => v.split(':')[1]);
    expect(mounted).toEqual(expect.arrayContaining(prometheus.rule_files));

    const served = new Set(
      (
        createMetrics('check', { defaultMetrics: false }).registry.getMetricsAsArray() as { name: string }[]
      ).map((m) => m.name),
    );
    const alerts = parse(fs.readFileSync(path.join(root, 'deploy/prometheus/alerts.yml'), 'utf8'));
    const used = (alerts.groups as { rules: { expr: string }[] }[])
      .flatMap((g) => g.rules)
      .flatMap((rule) => rule.expr.match(/\byb_\w+/g) ?? [])
      .map((name) => name.replace(/_(bucket|count|sum)$/, ''));
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) expect([name, served.has(name)]).toEqual([name, true]);
  });

  it('sends the traces the collector receives to Jaeger', () => {
    const collector = parse(fs.readFileSync(path.join(root, 'deploy/otel/collector.yaml'), 'utf8'));
    expect(collector.service.pipelines.traces.receivers).toContain('otlp');
    const [exporter] = collector.service.pipelines.traces.exporters as string[];
    expect(collector.exporters[exporter].endpoint).toMatch(/^jaeger:4317$/);
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['jaeger', 'otel-collector']));
    expect((services.admission.environment as Record<string, string>).OTEL_EXPORTER_OTLP_ENDPOINT).toBe(
      'http://otel-collector:4318',
    );
  });

  it('builds apps from Dockerfiles that exist', () => {
    for (const service of Object.values(services)) {
      const build = service.build as { dockerfile?: string } | undefined;
      if (build?.dockerfile) expect(fs.existsSync(path.join(root, build.dockerfile))).toBe(true);
    }
  });
});
