#!/usr/bin/env node
// `npm start`: the whole system on local defaults — the stack (Kafka + PostgreSQL), a fresh build,
// then every app under apps/ (each prints where it listens). Ctrl-C stops the apps; the broker keeps
// running for the next start (`npm run stack:down` stops it). Every app keeps its books in a schema named
// after this clone's installation, so a second start carries on and another clone starts empty;
// `npm start -- --reset` drops this installation's schemas and the product's topics first.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { up, ZIPKIN_SPANS_ENDPOINT } from '../stack/stack.mjs';
import { asEntry, logWriter } from './log-lines.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Every line `npm start` prints, its own and the apps', in one format (log-lines.mjs). */
const write = logWriter();
const log = (msg, level = 30) => write({ level, time: new Date().toISOString(), service: 'start', msg });
const logError = (msg) => log(msg, 50);

/** Local defaults per app; anything already set in the environment wins. */
const LOCAL_DEFAULTS = {
  // Enrols the HIS simulator's generated patients on first sight, as a sandbox should.
  'platform-sim': {
    PLATFORM_SIM_HOST: '127.0.0.1',
    PLATFORM_SIM_PORT: '8780',
    PLATFORM_SIM_ENROL_UNKNOWN: 'true',
  },
  admission: { HTTP_HOST: '127.0.0.1', HTTP_PORT: '8781' },
  'fee-detail': { HTTP_HOST: '127.0.0.1', HTTP_PORT: '8782' },
  // The HIS simulator does not confirm pre-settlements (a cashier's step, on by default): off locally.
  settlement: { HTTP_HOST: '127.0.0.1', HTTP_PORT: '8783', SETTLEMENT_CONFIRMATION: 'false' },
  quality: { HTTP_HOST: '127.0.0.1', HTTP_PORT: '8784' },
  reporting: { HTTP_HOST: '127.0.0.1', HTTP_PORT: '8785' },
  'billing-dashboard': {
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '8786',
    // 清算申请 buttons: reconciliation's HTTP API (below).
    RECONCILIATION_URL: 'http://127.0.0.1:8787',
  },
  reconciliation: { HTTP_HOST: '127.0.0.1', HTTP_PORT: '8787' },
  catalogue: { HTTP_HOST: '127.0.0.1', HTTP_PORT: '8789' },
};
/**
 * An app's schemas within the installation (`<installation>_<app>`): a service's SERVICE_SCHEMA or the
 * sandbox's PLATFORM_SIM_SCHEMA (its books), and the msgid counter every service shares.
 */
function installationSchemas(installation, app) {
  const schema = (name) => `${installation}_${name.replace(/-/g, '_')}`;
  return {
    NHSA_MSGID_SCHEMA: schema('nhsa_msgid'),
    ...(app === 'platform-sim' ? { PLATFORM_SIM_SCHEMA: schema(app) } : { SERVICE_SCHEMA: schema(app) }),
  };
}
/**
 * The platform each service calls: the local simulator, as a test hospital in Wuhan. To reach the real
 * platform, set NHSA_BASE_URL and the hospital's own NHSA_* values (README, "Pointing it at a real platform").
 */
const LOCAL_PLATFORM = {
  NHSA_BASE_URL: 'http://127.0.0.1:8780',
  NHSA_FIXMEDINS_CODE: 'H42010200123',
  NHSA_FIXMEDINS_NAME: '本地测试医院',
  NHSA_MDTRTAREA_ADMVS: '420100',
  NHSA_OPTER_TYPE: '1',
  NHSA_OPTER: 'LOCAL01',
  NHSA_OPTER_NAME: '本地经办人',
  NHSA_SIGN_IN_IP: '127.0.0.1',
};
const APP_START_TIMEOUT_MS = 90_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref());
// Apps start in this order when present (the simulator first: the services call it).
const START_ORDER = [
  'platform-sim',
  'admission',
  'fee-detail',
  'quality',
  'settlement',
  'reporting',
  'reconciliation',
  // Before the dashboard, after the visit services: its first download starts at once (100,000 sandbox items).
  'catalogue',
  'billing-dashboard',
];
/**
 * What the HIS simulator publishes while the system runs (HIS_SIM_ARGS replaces it; START_HIS_SIM=false: none): a
 * 40-bed ward in real time — its last week at 10 messages/s, so that the dashboard's today fills within minutes,
 * then each message when the clock reaches it.
 */
const HIS_SIM_ARGS = ['--beds', '40', '--rate', '10/s', '--real-time', '--duration', '24h'];

/**
 * The dashboard's first users on this machine: generated once into the git-ignored .cache/start and printed at
 * every start, so that no password lives in the repository. DASHBOARD_BOOTSTRAP_USERS in the environment wins.
 */
function localDashboardUsers() {
  const file = path.join(root, '.cache/start/dashboard-users.json');
  if (!fs.existsSync(file)) {
    const password = () => randomBytes(9).toString('base64url');
    const users = [
      { username: 'admin', password: password(), role: 'admin' },
      { username: 'operator', password: password(), role: 'operator' },
      { username: 'viewer', password: password(), role: 'viewer' },
    ];
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(users, null, 2), { mode: 0o600 });
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * The key that seals the platform call journal's requests and answers (NHSA_JOURNAL_KEYS): generated once into
 * the git-ignored .cache/start, readable by its owner only, and given to the services as NHSA_JOURNAL_KEYS_FILE.
 * NHSA_JOURNAL_KEYS or NHSA_JOURNAL_KEYS_FILE in the environment wins.
 */
function localJournalKeys() {
  const file = path.join(root, '.cache/start/journal-keys');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `local1:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  }
  return process.env.NHSA_JOURNAL_KEYS || process.env.NHSA_JOURNAL_KEYS_FILE
    ? {}
    : { NHSA_JOURNAL_KEYS_FILE: file };
}

/**
 * This clone's installation name (`yb_` + 8 random characters), generated once into the git-ignored
 * .cache/start: the prefix of every schema the apps use, so that a fresh clone on the same PostgreSQL never
 * picks up an earlier clone's visits, and a second start of this one carries on with its own.
 */
function localInstallation() {
  const file = path.join(root, '.cache/start/installation.json');
  if (!fs.existsSync(file)) {
    const name = `yb_${randomBytes(6).toString('hex').slice(0, 8)}`;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ name, created: new Date().toISOString() }, null, 2));
  }
  const { name } = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(name)) throw new Error(`${file}: "${name}" is not a schema prefix`);
  return name;
}

function productTopics() {
  const require = createRequire(import.meta.url);
  const { ALL_TOPICS, dlqTopic, isCompactedTopic } = require(
    path.join(root, 'dist/libs/contracts/src/index.js'),
  );
  return ALL_TOPICS.flatMap((t) => [t, dlqTopic(t)]).map((topic) => ({
    topic,
    compacted: isCompactedTopic(topic),
  }));
}

function kafkaAdmin(brokers) {
  const require = createRequire(import.meta.url);
  const { Kafka, logLevel } = require('kafkajs');
  return new Kafka({ clientId: 'start', brokers, logLevel: logLevel.NOTHING }).admin();
}

/**
 * `--reset`: drops every schema of the installation (the services' books, the sandbox's, the msgid counter)
 * and deletes the product's topics (this script creates them; the consumer groups' offsets go with them), so
 * that the start that follows begins with empty books on every side.
 */
async function resetInstallation(installation, databaseUrl, brokers) {
  const require = createRequire(import.meta.url);
  const { Client } = require('pg');
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE $1 ORDER BY 1`,
      [`${installation.replace(/_/g, '\\_')}\\_%`],
    );
    for (const { schema_name } of rows) await client.query(`DROP SCHEMA "${schema_name}" CASCADE`);
    log(
      `--reset: dropped ${rows.length ? rows.map((r) => r.schema_name).join(', ') : 'no schema (none yet)'}`,
    );
  } finally {
    await client.end();
  }
  const admin = kafkaAdmin(brokers);
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const topics = productTopics()
      .map((t) => t.topic)
      .filter((t) => existing.has(t));
    if (topics.length > 0) {
      await admin.deleteTopics({ topics, timeout: 30_000 });
      // Deletion finishes in the background; a topic is created again only once it is gone.
      const deadline = Date.now() + 60_000;
      while ((await admin.listTopics()).some((t) => topics.includes(t)) && Date.now() < deadline)
        await sleep(500);
    }
    log(`--reset: deleted ${topics.length} topics`);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Creates every topic the product uses (and its dead-letter twin) before the services subscribe: on KRaft a
 * consumer cannot subscribe to a topic that does not exist. In production, provisioning does the same from
 * the same list (libs/contracts ALL_TOPICS).
 */
async function provisionTopics(brokers) {
  const admin = kafkaAdmin(brokers);
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = productTopics().filter((t) => !existing.has(t.topic));
    if (missing.length > 0) {
      await admin.createTopics({
        topics: missing.map(({ topic, compacted }) => ({
          topic,
          numPartitions: 3,
          ...(compacted && { configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }),
        })),
        waitForLeaders: true,
      });
      log(`created topics: ${missing.map((t) => t.topic).join(', ')}`);
    }
  } finally {
    await admin.disconnect();
  }
}

function discoverApps() {
  const found = fs
    .readdirSync(path.join(root, 'apps'))
    .filter((name) => fs.existsSync(path.join(root, 'apps', name, 'src/main.ts')));
  return [
    ...START_ORDER.filter((a) => found.includes(a)),
    ...found.filter((a) => !START_ORDER.includes(a)).sort(),
  ];
}

async function main() {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--reset');
  if (unknown.length > 0) {
    logError(`unknown argument ${unknown.join(' ')} (only --reset: start with empty books)`);
    process.exit(2);
  }
  const installation = localInstallation();
  const stack = await up({ zipkin: process.env.STACK_ZIPKIN !== 'false' });
  log(`Kafka ${stack.kafka.brokers.join(',')} (${stack.kafka.note})`);
  log(`PostgreSQL ${stack.postgres.url}`);
  const tracing = stack.zipkin && !stack.zipkin.error;
  if (stack.zipkin?.error) log(`Zipkin did not start (${stack.zipkin.error}); no traces`);

  log('building (tsc -p tsconfig.build.json)…');
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);

  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  if (args.includes('--reset')) await resetInstallation(installation, databaseUrl, stack.kafka.brokers);
  log(
    `installation ${installation}: books in the schemas ${installation}_* (generated into ` +
      '.cache/start/installation.json; `npm start -- --reset` starts with empty books)',
  );
  await provisionTopics(stack.kafka.brokers);

  const sharedEnv = {
    NODE_ENV: 'development',
    KAFKA_BROKERS: stack.kafka.brokers.join(','),
    DATABASE_URL: databaseUrl,
    ...LOCAL_PLATFORM,
    // Traces go to the local Zipkin; an OTLP collector of your own (OTEL_EXPORTER_OTLP_ENDPOINT) also works.
    ...(tracing && { OTEL_EXPORTER_ZIPKIN_ENDPOINT: ZIPKIN_SPANS_ENDPOINT }),
    OTEL_SDK_DISABLED: tracing || process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? 'false' : 'true',
    ...localJournalKeys(),
    // The Helm chart's heap and malloc settings (deploy/kubernetes values: serviceDefaults), so that a local
    // process's memory is what a pod's would be.
    NODE_OPTIONS: '--max-old-space-size=320 --max-semi-space-size=2',
    MALLOC_ARENA_MAX: '2',
  };
  const children = new Map();
  let stopping = false;
  const stopAll = (code) => {
    if (stopping) return;
    stopping = true;
    for (const child of children.values()) child.kill('SIGTERM');
    setTimeout(() => process.exit(code), 10_000).unref();
    Promise.all([...children.values()].map((c) => new Promise((r) => c.once('exit', r)))).then(() =>
      process.exit(code),
    );
  };
  process.on('SIGINT', () => stopAll(0));
  process.on('SIGTERM', () => stopAll(0));

  const dashboardUsers = localDashboardUsers();
  const appEnv = {
    'billing-dashboard': {
      DASHBOARD_BOOTSTRAP_USERS: dashboardUsers.map((u) => `${u.username}:${u.password}:${u.role}`).join(','),
    },
  };
  const urls = new Map();

  for (const app of discoverApps()) {
    const child = spawn(
      process.execPath,
      ['-r', path.join(root, 'tools/runtime/register.js'), path.join(root, `dist/apps/${app}/src/main.js`)],
      {
        cwd: root,
        env: {
          ...sharedEnv,
          ...LOCAL_DEFAULTS[app],
          ...installationSchemas(installation, app),
          ...appEnv[app],
          ...process.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    // Each app prints "listening on" once it serves; the next one starts only then (the services sign in
    // to the simulator at start).
    let announced;
    const listening = new Promise((resolve) => (announced = resolve));
    // Whole lines (a chunk may end mid-line), each as one entry of the common format.
    const prefix = (stream) =>
      readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        if (!line) return;
        write(asEntry(line, app));
        const listeningOn = /listening on (http[^\s"]+)/.exec(line);
        if (listeningOn) {
          urls.set(app, listeningOn[1]);
          announced();
        }
      });
    prefix(child.stdout);
    prefix(child.stderr);
    child.on('exit', (code, signal) => {
      children.delete(app);
      if (!stopping) {
        logError(`${app} exited (${signal ?? `code ${code}`}); stopping the others`);
        stopAll(1);
      }
    });
    children.set(app, child);
    const ready = await Promise.race([
      listening.then(() => true),
      sleep(APP_START_TIMEOUT_MS).then(() => false),
    ]);
    if (stopping) return;
    if (!ready) {
      logError(`${app} did not say where it listens within ${APP_START_TIMEOUT_MS / 1000} s`);
      return stopAll(1);
    }
  }
  if (process.env.START_HIS_SIM !== 'false') {
    const args = process.env.HIS_SIM_ARGS ? process.env.HIS_SIM_ARGS.split(/\s+/) : HIS_SIM_ARGS;
    const hisSim = spawn(
      process.execPath,
      ['-r', path.join(root, 'tools/runtime/ts-register.js'), 'tools/his-sim/src/main.ts', ...args],
      { cwd: root, env: { ...sharedEnv, ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // The simulator ends by itself after its duration; the services keep running.
    for (const stream of [hisSim.stdout, hisSim.stderr])
      readline
        .createInterface({ input: stream, crlfDelay: Infinity })
        .on('line', (line) => line && write(asEntry(line, 'his-sim')));
    children.set('his-sim', hisSim);
    hisSim.on('exit', () => children.delete('his-sim'));
  }
  log(`running: ${[...children.keys()].join(', ')} — Ctrl-C to stop`);
  if (tracing) log(`traces (Zipkin): ${stack.zipkin.url}`);
  const dashboard = urls.get('billing-dashboard');
  if (dashboard) {
    log(`billing dashboard: ${dashboard}/`);
    for (const u of dashboardUsers) log(`  ${u.role.padEnd(8)} ${u.username} / ${u.password}`);
    log('  (generated into .cache/start/dashboard-users.json; set DASHBOARD_BOOTSTRAP_USERS to choose)');
  }
}

await main();
