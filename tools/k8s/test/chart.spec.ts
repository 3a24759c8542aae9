import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { ALL_TOPICS, COMPACTED_TOPICS } from '@yb/contracts';

// The chart in deploy/kubernetes: Helm's strict lint, every values profile rendered by Helm and validated against
// the Kubernetes and operators' schemas, and our own rules (tools/k8s/src/check-chart.mjs).
const root = path.resolve(__dirname, '../../..');
const chart = path.join(root, 'deploy/kubernetes/yibao-hub');
const checker = path.join(root, 'tools/k8s/src/check-chart.mjs');

function chartValues(): { kafka: { topics: string[] }; services: Record<string, unknown> } {
  return parse(fs.readFileSync(path.join(chart, 'values.yaml'), 'utf8'));
}

function check(chartDir: string): { status: number | null; output: string } {
  const res = spawnSync(process.execPath, [checker, '--chart', chartDir], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  return { status: res.status, output: `${res.stdout}\n${res.stderr}` };
}

describe('the Helm chart', () => {
  it('lints strictly, renders every profile and validates every manifest', () => {
    const { status, output } = check(chart);
    const services = Object.keys(chartValues().services).length;
    expect(output).toContain('helm lint --strict: passed');
    // Every service, and the OpenTelemetry collector unless the operators' profile sends traces elsewhere.
    expect(output).toContain(`values.yaml: 2 ConfigMap, ${services + 1} Deployment`);
    expect(output).toContain(
      `ci/operators-values.yaml: 1 Cluster, 1 ConfigMap, ${services} Deployment, 1 Kafka, 1 KafkaNodePool, ` +
        `${ALL_TOPICS.length * 2} KafkaTopic`,
    );
    expect(output).toContain('chart check: passed');
    expect(status).toBe(0);
  });

  it('fails on a manifest the API server would refuse, a missing probe and a secret written into the chart', () => {
    const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'chart-'));
    try {
      fs.cpSync(chart, broken, { recursive: true });
      const deployments = path.join(broken, 'templates/deployments.yaml');
      fs.writeFileSync(
        deployments,
        fs
          .readFileSync(deployments, 'utf8')
          // an integer field rendered as a string
          .replace('replicas: {{ $svc.replicas }}', 'replicas: "{{ $svc.replicas }}"')
          // no readiness probe
          .replace(/ {10}readinessProbe:\n(?: {12}.*\n)+/, ''),
      );
      const values = path.join(broken, 'values.yaml');
      fs.writeFileSync(
        values,
        fs
          .readFileSync(values, 'utf8')
          .replace(
            '    schema: admission\n',
            '    schema: admission\n    env:\n      DATABASE_URL: postgres://x@db/y\n',
          ),
      );

      const { status, output } = check(broken);
      expect(status).toBe(1);
      expect(output).toMatch(/Deployment hub-yibao-hub-admission: .*replicas must be integer/);
      expect(output).toMatch(/container admission lacks a readiness or liveness probe/);
      expect(output).toMatch(
        /container admission sets DATABASE_URL as a literal: it must come from a Secret/,
      );
    } finally {
      fs.rmSync(broken, { recursive: true, force: true });
    }
  });

  it('creates exactly the topics the services use', () => {
    const values = parse(fs.readFileSync(path.join(chart, 'values.yaml'), 'utf8')) as {
      kafka: { topics: string[]; compactedTopics: string[] };
    };
    expect([...values.kafka.topics].sort()).toEqual([...ALL_TOPICS].sort());
    expect([...values.kafka.compactedTopics].sort()).toEqual([...COMPACTED_TOPICS].sort());
  });
});
