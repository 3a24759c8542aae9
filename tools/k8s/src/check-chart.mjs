#!/usr/bin/env node
// Checks the Helm chart in deploy/kubernetes: Helm's own strict lint, then every values profile rendered by Helm
// (the chart's values.yaml and each file in its ci/ folder) and every manifest validated against the Kubernetes
// API schemas (kubernetes-models, generated from Kubernetes' OpenAPI) and the operators' CRD schemas (Strimzi,
// CloudNativePG, Prometheus operator), then the rules a hospital's cluster expects of us (below).
//
//   node tools/k8s/src/check-chart.mjs [--chart <dir>] [--kube-version v1.31.0]
//
// Helm comes from Maven Central (helm-java: Helm's Go code as a native library), fetched once into the
// git-ignored .cache/k8s, the way tools/stack fetches Kafka: no helm binary is needed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const toolDir = path.resolve(here, '..');

/** Where each apiVersion's models live; a kind without a model is an error, so nothing escapes validation. */
const MODEL_PACKAGES = {
  v1: 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'batch/v1': 'kubernetes-models/batch/v1',
  'policy/v1': 'kubernetes-models/policy/v1',
  'monitoring.coreos.com/v1': '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1',
  'kafka.strimzi.io/v1beta2': '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1beta2',
  'postgresql.cnpg.io/v1': '@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1',
};

/** Environment names that hold secrets: they come from a Secret, never as a literal in the chart. */
const SECRET_NAME =
  /(PASSWORD|SECRET|TOKEN|PRIVATE_KEY|SM4_KEY|JOURNAL_KEYS|ACCESS_KEY|DATABASE_URL|BOOTSTRAP_USERS)/;

function parseArgs(argv) {
  const options = { chart: path.join(root, 'deploy/kubernetes/yibao-hub'), kubeVersion: 'v1.31.0' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--chart') options.chart = path.resolve(argv[++i]);
    else if (argv[i] === '--kube-version') options.kubeVersion = argv[++i];
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return options;
}

function helmJavaVersion() {
  const pom = fs.readFileSync(path.join(toolDir, 'pom.xml'), 'utf8');
  const match = /<helm-java\.version>([^<]+)</.exec(pom);
  if (!match) throw new Error('tools/k8s/pom.xml has no <helm-java.version>');
  return match[1];
}

/** The helm-java jars, fetched from Maven Central on first use. */
function ensureHelm() {
  const libs = path.join(root, '.cache/k8s', `helm-java-${helmJavaVersion()}`);
  const marker = path.join(libs, '.complete');
  if (fs.existsSync(marker)) return libs;
  console.error(`[k8s] fetching Helm (helm-java ${helmJavaVersion()}) from Maven Central into ${libs}`);
  fs.rmSync(libs, { recursive: true, force: true });
  const res = spawnSync(
    'mvn',
    [
      '-B',
      '-q',
      '-f',
      path.join(toolDir, 'pom.xml'),
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${libs}`,
    ],
    { stdio: ['ignore', 2, 'inherit'] },
  );
  if (res.error) throw new Error(`Apache Maven is needed to fetch Helm: ${res.error.message}`);
  if (res.status !== 0) throw new Error(`Maven could not fetch helm-java (exit ${res.status})`);
  fs.writeFileSync(marker, new Date().toISOString());
  return libs;
}

function helm(libs, args) {
  const res = spawnSync('java', ['-cp', `${libs}/*`, path.join(toolDir, 'HelmChart.java'), ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.error) throw new Error(`java is needed to run Helm: ${res.error.message}`);
  return { status: res.status, stdout: res.stdout, stderr: res.stderr.trim() };
}

async function modelFor(apiVersion, kind) {
  const pkg = MODEL_PACKAGES[apiVersion];
  if (!pkg) return undefined;
  try {
    const mod = await import(`${pkg}/${kind}`);
    return mod[kind];
  } catch {
    return undefined;
  }
}

/** Our own rules for what the chart renders; each returns the problems it finds in one manifest. */
function policyProblems(doc) {
  const problems = [];
  const kind = doc.kind;
  if (kind === 'Secret')
    problems.push('renders a Secret: secrets come from the hospital, never from the chart');
  if (kind === 'ConfigMap') {
    for (const key of Object.keys(doc.data ?? {}))
      if (SECRET_NAME.test(key)) problems.push(`ConfigMap holds ${key}, a secret`);
  }
  const pod = kind === 'Deployment' || kind === 'Job' ? doc.spec?.template?.spec : undefined;
  if (pod) {
    if (pod.securityContext?.runAsNonRoot !== true) problems.push('pod does not require runAsNonRoot');
    for (const c of pod.containers ?? []) {
      const where = `container ${c.name}`;
      if (!c.resources?.requests) problems.push(`${where} has no resource requests`);
      if (!c.resources?.limits?.memory) problems.push(`${where} has no memory limit`);
      if (c.securityContext?.allowPrivilegeEscalation !== false)
        problems.push(`${where} does not forbid privilege escalation`);
      for (const env of c.env ?? [])
        if (SECRET_NAME.test(env.name) && env.value !== undefined)
          problems.push(`${where} sets ${env.name} as a literal: it must come from a Secret`);
      if (kind === 'Deployment' && (!c.readinessProbe || !c.livenessProbe))
        problems.push(`${where} lacks a readiness or liveness probe`);
    }
  }
  return problems;
}

async function checkManifests(text, profile) {
  const problems = [];
  const counts = {};
  const names = new Set();
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length) {
      problems.push(`${profile}: YAML error: ${document.errors[0].message}`);
      continue;
    }
    const doc = document.toJS();
    if (doc === null || doc === undefined) continue;
    const id = `${doc.kind ?? '?'} ${doc.metadata?.name ?? '?'}`;
    const Model = await modelFor(doc.apiVersion, doc.kind);
    if (!Model) {
      problems.push(`${profile}: ${id}: no schema for ${doc.apiVersion} ${doc.kind}`);
      continue;
    }
    try {
      new Model(doc).validate();
    } catch (error) {
      problems.push(`${profile}: ${id}: ${error.message.split('\n').slice(0, 3).join('; ')}`);
    }
    if (names.has(id)) problems.push(`${profile}: ${id} rendered twice`);
    names.add(id);
    for (const problem of policyProblems(doc)) problems.push(`${profile}: ${id}: ${problem}`);
    counts[doc.kind] = (counts[doc.kind] ?? 0) + 1;
  }
  return { problems, counts };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const libs = ensureHelm();
  const problems = [];

  const lint = helm(libs, ['lint', options.chart]);
  if (lint.status !== 0) problems.push(`helm lint --strict: ${lint.stderr}`);
  else
    console.log(`helm lint --strict: passed${lint.stderr ? ` (${lint.stderr.replace(/\n/g, '; ')})` : ''}`);

  const ciDir = path.join(options.chart, 'ci');
  const profiles = [
    { name: 'values.yaml', files: [] },
    ...(fs.existsSync(ciDir) ? fs.readdirSync(ciDir) : [])
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => ({ name: `ci/${f}`, files: [path.join(ciDir, f)] })),
  ];
  for (const profile of profiles) {
    const rendered = helm(libs, [
      'template',
      options.chart,
      options.kubeVersion,
      'hub',
      'yibao',
      ...profile.files,
    ]);
    if (rendered.status !== 0) {
      problems.push(`${profile.name}: helm template failed: ${rendered.stderr}`);
      continue;
    }
    const result = await checkManifests(rendered.stdout, profile.name);
    problems.push(...result.problems);
    const summary = Object.entries(result.counts)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, n]) => `${n} ${kind}`)
      .join(', ');
    console.log(`${profile.name}: ${summary}`);
  }

  if (problems.length) {
    for (const problem of problems) console.error(`FAIL ${problem}`);
    console.error(`chart check: ${problems.length} problem(s)`);
    process.exit(1);
  }
  console.log(`chart check: passed (${profiles.length} profiles, Kubernetes ${options.kubeVersion})`);
}

main().catch((error) => {
  console.error(`chart check: ${error.message}`);
  process.exit(2);
});
