#!/usr/bin/env node
// The local stack: a real Apache Kafka broker (KRaft, loopback only, fetched from Maven Central by Maven; one
// node, or a cluster of several with --brokers), the PostgreSQL server that DATABASE_URL names (or the local
// one), and Zipkin's server as the trace viewer (also from Maven Central; in-memory storage, loopback only).
//
//   node tools/stack/stack.mjs up [--brokers 3]   start or reuse; prints where each part listens
//   node tools/stack/stack.mjs down [--brokers 3] stop the brokers and Zipkin this script started
//   node tools/stack/stack.mjs status             what answers, and where
//   node tools/stack/stack.mjs stop-node 2 --brokers 3 [--kill]   take one node away (start-node brings it back)
//
// With --brokers N (or STACK_KAFKA_NODES=N) node i listens on KAFKA_PORT + 2(i-1) and its controller on
// KAFKA_CONTROLLER_PORT + 2(i-1); three nodes or more give topics RF 3 and min ISR 2 (kafka-nodes.mjs).
// Environment: KAFKA_BROKERS (use that broker, start nothing), DATABASE_URL, STACK_CACHE_DIR
// (default <repo>/.cache/stack), KAFKA_PORT (default 9092), KAFKA_CONTROLLER_PORT (default 9093),
// STACK_KAFKA_VERSION (default tools/stack/kafka/pom.xml's; a 4.x version runs the 4.x line),
// STACK_ZIPKIN (`up` starts Zipkin unless false; the programmatic up() — Jest's global setup — only when
// asked: up({ zipkin: true })), ZIPKIN_PORT (default 9411).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import {
  DEFAULT_KAFKA_VERSION,
  KafkaNodes,
  StackError,
  fetchKafka,
  kafkaDistribution,
  processAlive,
  readPid as readPidFile,
  sleep,
  stopDetached,
} from './kafka-nodes.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

export const KAFKA_VERSION = process.env.STACK_KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION;
export const ZIPKIN_VERSION = readVersion('zipkin/pom.xml', 'zipkin.version');
const cacheDir = path.resolve(process.env.STACK_CACHE_DIR ?? path.join(repoRoot, '.cache/stack'));
const kafkaDist = kafkaDistribution(cacheDir, KAFKA_VERSION);
const libsDir = kafkaDist.libsDir;
const logsDir = path.join(cacheDir, 'logs');
// The default version's single node keeps the names it always had (a running broker stays known to `down`).
const defaultSingle = KAFKA_VERSION === DEFAULT_KAFKA_VERSION;
const pidFile = path.join(cacheDir, defaultSingle ? 'kafka.pid' : `kafka-${KAFKA_VERSION}.pid`);
const lockFile = path.join(cacheDir, 'stack.lock');
const kafkaPort = Number(process.env.KAFKA_PORT ?? 9092);
const controllerPort = Number(process.env.KAFKA_CONTROLLER_PORT ?? 9093);
const defaultBroker = `127.0.0.1:${kafkaPort}`;
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const zipkinHome = path.join(cacheDir, `zipkin-${ZIPKIN_VERSION}`);
const zipkinPidFile = path.join(cacheDir, 'zipkin.pid');
const zipkinPort = Number(process.env.ZIPKIN_PORT ?? 9411);
/** Where the local Zipkin listens: its UI, and the span endpoint services export to. */
export const ZIPKIN_URL = `http://127.0.0.1:${zipkinPort}`;
export const ZIPKIN_SPANS_ENDPOINT = `${ZIPKIN_URL}/api/v2/spans`;

function readVersion(pomPath, property) {
  const pom = fs.readFileSync(path.join(here, pomPath), 'utf8');
  const match = new RegExp(`<${property.replace('.', '\\.')}>([^<]+)</`).exec(pom);
  if (!match) throw new Error(`tools/stack/${pomPath} has no <${property}>`);
  return match[1];
}

const log = (msg) => process.stderr.write(`[stack] ${msg}\n`);

function portAnswers(hostPort, timeoutMs = 1000) {
  const [host, port] = splitHostPort(hostPort);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function splitHostPort(hostPort) {
  const i = hostPort.lastIndexOf(':');
  return [hostPort.slice(0, i), Number(hostPort.slice(i + 1))];
}

function requireTool(
  cmd,
  args,
  what,
  { purpose = 'to run Kafka locally', otherwise = 'point KAFKA_BROKERS at a running broker' } = {},
) {
  const res = spawnSync(cmd, args, { encoding: 'utf8' });
  if (res.error || res.status !== 0) {
    throw new StackError(
      `${what} is needed ${purpose} but \`${cmd} ${args.join(' ')}\` failed` +
        ` (${res.error?.code ?? `exit ${res.status}`}). Install it (Debian: apt-get install ${
          cmd === 'java' ? 'openjdk-17-jre-headless' : 'maven'
        }) or ${otherwise}.`,
    );
  }
}

function readPid(file = pidFile) {
  return readPidFile(file);
}

/** Serialises concurrent `up`/`down` (e.g. parallel test runners); a lock older than 5 min is stale. */
async function withLock(fn) {
  fs.mkdirSync(cacheDir, { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(lockFile, 'utf8'));
      const age = Date.now() - fs.statSync(lockFile).mtimeMs;
      if (!processAlive(holder) || age > 300_000) {
        fs.rmSync(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new StackError(`another stack command (pid ${holder}) holds ${lockFile}`);
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

/** The nodes `up` runs: one (the default) or a cluster of `size`. */
function kafkaNodes(size) {
  return new KafkaNodes({
    dist: kafkaDist,
    size,
    brokerPort: kafkaPort,
    controllerPort,
    log,
    ...(size === 1
      ? {
          dir: cacheDir,
          pidFile: () => pidFile,
          dataDir: () => path.join(cacheDir, defaultSingle ? 'kafka-data' : `kafka-${KAFKA_VERSION}-data`),
        }
      : { dir: path.join(cacheDir, `kafka-cluster-${size}-${KAFKA_VERSION}`), partitions: 3 }),
  });
}

/** Ready = the broker answers metadata, and a message produced to a probe topic can be consumed back. */
async function probeKafka(brokers, deadlineMs, alive = () => true) {
  const { Kafka, logLevel } = require('kafkajs');
  const kafka = new Kafka({
    clientId: 'stack-probe',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    retry: { retries: 0 },
  });
  const deadline = Date.now() + deadlineMs;
  let lastError;
  while (Date.now() < deadline) {
    if (!alive()) {
      lastError = new Error(`${lastError?.message ?? 'not answering'}; the broker process has exited`);
      break;
    }
    const admin = kafka.admin();
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    const consumer = kafka.consumer({ groupId: `stack-probe-${randomBytes(4).toString('hex')}` });
    try {
      await admin.connect();
      await admin.describeCluster();
      const topic = '__stack_probe';
      const existing = await admin.listTopics();
      if (!existing.includes(topic)) {
        await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      }
      const marker = randomBytes(8).toString('hex');
      await producer.connect();
      await producer.send({ topic, messages: [{ value: marker }] });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const seen = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => resolve(false), 20_000);
        consumer
          .run({
            eachMessage: async ({ message }) => {
              if (message.value?.toString() === marker) {
                clearTimeout(timer);
                resolve(true);
              }
            },
          })
          .catch(reject);
      });
      if (seen) return;
      lastError = new Error('produced a probe message but did not consume it back within 20 s');
    } catch (err) {
      lastError = err;
      await sleep(500);
    } finally {
      await Promise.allSettled([consumer.disconnect(), producer.disconnect(), admin.disconnect()]);
    }
  }
  throw new StackError(
    `Kafka at ${brokers.join(',')} did not become ready: ${lastError?.message ?? 'timeout'}`,
  );
}

async function kafkaUp(size = 1) {
  if (process.env.KAFKA_BROKERS) {
    const brokers = process.env.KAFKA_BROKERS.split(',');
    await probeKafka(brokers, 60_000);
    return { brokers, startedHere: false, note: 'configured by KAFKA_BROKERS' };
  }
  const nodes = kafkaNodes(size);
  const running = nodes.nodes.filter((n) => nodes.pid(n.id));
  if (running.length === 0 && (await portAnswers(defaultBroker))) {
    await probeKafka([defaultBroker], 60_000);
    if (size > 1)
      throw new StackError(
        `a broker not started as a ${size}-node cluster already answers on ${defaultBroker}: stop it first (npm run stack:down)`,
      );
    return {
      brokers: [defaultBroker],
      startedHere: false,
      note: `reused the broker already running (pid ${readPid() ?? 'not ours'})`,
    };
  }
  requireTool('java', ['-version'], 'Java (17 or newer)');
  const t0 = Date.now();
  requireTool('mvn', ['-v'], 'Apache Maven');
  const downloaded = fetchKafka(kafkaDist, log);
  const tFetched = Date.now();
  // A node that exits during start-up is started once more (its output printed first): a start-up can fail for a
  // reason of the moment, like a port another connection holds for an instant. A second exit fails the run.
  for (let attempt = 1; ; attempt++) {
    const marks = nodes.logMarks();
    nodes.start();
    try {
      await probeKafka(nodes.brokers, 90_000, () => nodes.allAlive());
      break;
    } catch (err) {
      const output = `${err.message}\n--- what the broker wrote since this start ---\n${nodes.since(marks)}`;
      if (attempt > 1 || nodes.allAlive()) throw new StackError(output);
      log(`a Kafka node exited during start-up; starting it once more. ${output}`);
    }
  }
  const t1 = Date.now();
  return {
    brokers: nodes.brokers,
    startedHere: running.length < nodes.size,
    note: `${running.length === nodes.size ? 'reused' : 'started'} Kafka ${KAFKA_VERSION}${
      size > 1 ? ` (${size} nodes, RF 3, min ISR 2)` : ''
    } (${downloaded ? `download ${((tFetched - t0) / 1000).toFixed(1)} s, ` : 'cached jars, '}ready in ${(
      (t1 - t0) /
      1000
    ).toFixed(1)} s)`,
    timings: { totalMs: t1 - t0, downloadMs: downloaded ? tFetched - t0 : 0 },
  };
}

function tailFile(file, lines) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

async function postgresUp() {
  const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const { Client } = require('pg');
  const deadline = Date.now() + 30_000;
  let lastError;
  while (Date.now() < deadline) {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      const { rows } = await client.query('show server_version');
      await client.end();
      return { url: redactUrl(url), version: rows[0].server_version };
    } catch (err) {
      lastError = err;
      await client.end().catch(() => undefined);
      await sleep(500);
    }
  }
  throw new StackError(
    `PostgreSQL at ${redactUrl(url)} does not answer (${lastError?.message}). Start it, or set DATABASE_URL.`,
  );
}

function redactUrl(url) {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

const ZIPKIN_TOOLS = { purpose: 'to run the Zipkin trace viewer', otherwise: 'set STACK_ZIPKIN=false' };

function fetchZipkin() {
  const marker = path.join(zipkinHome, '.complete');
  if (fs.existsSync(marker)) return false;
  requireTool('mvn', ['-v'], 'Apache Maven', ZIPKIN_TOOLS);
  log(`fetching Zipkin server ${ZIPKIN_VERSION} from Maven Central into ${zipkinHome}`);
  fs.rmSync(zipkinHome, { recursive: true, force: true });
  const res = spawnSync(
    'mvn',
    [
      '-B',
      '-q',
      '-f',
      path.join(here, 'zipkin/pom.xml'),
      'dependency:copy-dependencies',
      `-DoutputDirectory=${zipkinHome}`,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (res.status !== 0)
    throw new StackError(`Maven could not fetch Zipkin server ${ZIPKIN_VERSION} (exit ${res.status})`);
  fs.writeFileSync(marker, new Date().toISOString());
  return true;
}

function startZipkin() {
  fs.mkdirSync(logsDir, { recursive: true });
  const out = fs.openSync(path.join(logsDir, 'zipkin.log'), 'a');
  const jar = path.join(zipkinHome, `zipkin-server-${ZIPKIN_VERSION}-exec.jar`);
  const child = spawn(
    'java',
    [
      // A viewer for one developer's traces: small heap, quick start-up rather than peak throughput.
      '-Xms64m',
      '-Xmx256m',
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      '-jar',
      jar,
      // Loopback only.
      '--armeria.ports[0].ip=127.0.0.1',
      `--armeria.ports[0].port=${zipkinPort}`,
      '--armeria.ports[0].protocols[0]=http',
    ],
    {
      detached: true,
      stdio: ['ignore', out, out],
      // In memory, bounded: the oldest traces go first once 50,000 spans are held.
      env: { ...process.env, STORAGE_TYPE: 'mem', MEM_MAX_SPANS: '50000', SELF_TRACING_ENABLED: 'false' },
    },
  );
  child.unref();
  fs.writeFileSync(zipkinPidFile, String(child.pid));
  return child.pid;
}

/** Ready = GET /health answers UP. */
async function probeZipkin(deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  let lastError;
  while (Date.now() < deadline) {
    try {
      const response = await globalThis.fetch(`${ZIPKIN_URL}/health`, {
        signal: globalThis.AbortSignal.timeout(2000),
      });
      const health = await response.json();
      if (response.ok && health.status === 'UP') return;
      lastError = new Error(`health says ${JSON.stringify(health)}`);
    } catch (err) {
      lastError = err;
    }
    await sleep(500);
  }
  throw new StackError(`Zipkin at ${ZIPKIN_URL} did not become ready: ${lastError?.message ?? 'timeout'}`);
}

async function zipkinUp() {
  if (await portAnswers(`127.0.0.1:${zipkinPort}`)) {
    await probeZipkin(30_000);
    return {
      url: ZIPKIN_URL,
      note: `reused the server already running (pid ${readPid(zipkinPidFile) ?? 'not ours'})`,
    };
  }
  requireTool('java', ['-version'], 'Java (17 or newer)', ZIPKIN_TOOLS);
  const t0 = Date.now();
  const downloaded = fetchZipkin();
  const pid = startZipkin();
  log(`started Zipkin ${ZIPKIN_VERSION} (pid ${pid}); log in ${path.join(logsDir, 'zipkin.log')}`);
  try {
    await probeZipkin(120_000);
  } catch (err) {
    throw new StackError(
      `${err.message}\n--- last Zipkin log lines ---\n${tailFile(path.join(logsDir, 'zipkin.log'), 20)}`,
    );
  }
  return {
    url: ZIPKIN_URL,
    note: `started (${downloaded ? 'downloaded, ' : 'cached jar, '}ready in ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  };
}

/**
 * Starts or reuses Kafka and PostgreSQL and, when `zipkin` is true, the Zipkin trace viewer (not for tests:
 * the global setup does not wait for it). Zipkin failing to start is reported in `zipkin.error` and does not
 * fail the rest: it is a viewer, nothing depends on it.
 */
export async function up({ zipkin = false, brokers = 1 } = {}) {
  return withLock(async () => {
    const [kafka, postgres, viewer] = await Promise.all([
      kafkaUp(brokers),
      postgresUp(),
      zipkin ? zipkinUp().catch((err) => ({ url: ZIPKIN_URL, error: err.message })) : undefined,
    ]);
    return { kafka, postgres, ...(viewer && { zipkin: viewer }) };
  });
}

/**
 * The jars of Apache Kafka's own tools (kafka-console-producer.sh runs kafka.tools.ConsoleProducer from them),
 * fetched from Maven Central when this clone has none yet: a broker reused from elsewhere brings no jars.
 */
export async function kafkaLibs() {
  await withLock(async () => fetchKafka(kafkaDist, log));
  return libsDir;
}

export async function down({ brokers = 1 } = {}) {
  return withLock(async () => {
    const notes = [];
    const zipkinPid = readPid(zipkinPidFile);
    if (zipkinPid) {
      await stopDetached(zipkinPid);
      notes.push(`stopped Zipkin pid ${zipkinPid}`);
    }
    fs.rmSync(zipkinPidFile, { force: true });
    const stopped = await kafkaNodes(brokers).stop();
    notes.push(
      stopped.length
        ? `stopped broker pid ${stopped.join(', ')}`
        : 'no broker started by this script is running',
    );
    return { stopped: stopped.length > 0, note: notes.join('; ') };
  });
}

export async function status() {
  const brokers = process.env.KAFKA_BROKERS?.split(',') ?? [defaultBroker];
  const kafkaAnswers = (await Promise.all(brokers.map((b) => portAnswers(b)))).every(Boolean);
  let postgres;
  try {
    postgres = await postgresUp();
  } catch (err) {
    postgres = { error: err.message };
  }
  const zipkinAnswers = await portAnswers(`127.0.0.1:${zipkinPort}`);
  return {
    kafka: { brokers, answers: kafkaAnswers, pid: readPid() ?? null, version: KAFKA_VERSION },
    postgres,
    zipkin: {
      url: ZIPKIN_URL,
      answers: zipkinAnswers,
      pid: readPid(zipkinPidFile) ?? null,
      version: ZIPKIN_VERSION,
    },
  };
}

/** `--brokers N` (or STACK_KAFKA_NODES): how many Kafka nodes `up` and `down` mean. */
function brokersOption(args) {
  const i = args.indexOf('--brokers');
  const text = i >= 0 ? args[i + 1] : (process.env.STACK_KAFKA_NODES ?? '1');
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 9) throw new StackError(`--brokers must be 1 to 9, not ${text}`);
  return n;
}

async function main() {
  const command = process.argv[2] ?? 'status';
  try {
    const brokers = brokersOption(process.argv.slice(3));
    if (command === 'up') {
      const res = await up({ zipkin: process.env.STACK_ZIPKIN !== 'false', brokers });
      console.log(`Kafka      ${res.kafka.brokers.join(',')}  — ${res.kafka.note}`);
      console.log(`PostgreSQL ${res.postgres.url}  — server ${res.postgres.version}`);
      if (res.zipkin) {
        console.log(`Zipkin     ${res.zipkin.url}  — ${res.zipkin.error ?? res.zipkin.note}`);
        if (!res.zipkin.error) {
          console.log(
            `           services export there with OTEL_EXPORTER_ZIPKIN_ENDPOINT=${ZIPKIN_SPANS_ENDPOINT}`,
          );
        }
      }
    } else if (command === 'kafka-libs') {
      console.log(await kafkaLibs());
    } else if (command === 'down') {
      console.log((await down({ brokers })).note);
    } else if (command === 'stop-node' || command === 'start-node') {
      // One node of a cluster taken away and brought back (the broker-loss test; a drill by hand).
      const id = Number(process.argv[3]);
      const nodes = kafkaNodes(brokers);
      if (command === 'stop-node') {
        const signal = process.argv.includes('--kill') ? 'SIGKILL' : 'SIGTERM';
        console.log(
          (await nodes.stopNode(id, signal))
            ? `stopped node ${id} (${signal})`
            : `node ${id} was not running`,
        );
      } else {
        console.log(`started node ${id} (pid ${nodes.pid(id) ?? nodes.startNode(id)})`);
      }
    } else if (command === 'status') {
      const res = await status();
      console.log(
        `Kafka      ${res.kafka.brokers.join(',')}  — ${res.kafka.answers ? 'answers' : 'not answering'}` +
          (res.kafka.pid ? ` (started by this script, pid ${res.kafka.pid})` : ''),
      );
      console.log(
        `PostgreSQL ${res.postgres.url ?? ''}  — ${res.postgres.error ?? `server ${res.postgres.version}`}`,
      );
      console.log(
        `Zipkin     ${res.zipkin.url}  — ${res.zipkin.answers ? 'answers' : 'not running (optional)'}` +
          (res.zipkin.pid ? ` (started by this script, pid ${res.zipkin.pid})` : ''),
      );
      process.exitCode = res.kafka.answers && !res.postgres.error ? 0 : 1;
    } else {
      console.error(
        'usage: stack.mjs up|down|status|kafka-libs [--brokers N] | stop-node|start-node <id> --brokers N [--kill]',
      );
      process.exitCode = 2;
    }
  } catch (err) {
    console.error(`[stack] ${err instanceof StackError ? err.message : err.stack}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await main();
}
