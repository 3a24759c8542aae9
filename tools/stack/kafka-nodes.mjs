// Apache Kafka brokers on loopback from Maven Central's jars: one node (the local stack) or a KRaft cluster of
// several (every node both controller and broker), for any 3.x or 4.x version. Used by stack.mjs and by the
// tests that take a broker away (tools/stack/test).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export class StackError extends Error {}

function readVersion(pomPath, property) {
  const pom = fs.readFileSync(path.join(here, pomPath), 'utf8');
  const match = new RegExp(`<${property.replace('.', '\\.')}>([^<]+)</`).exec(pom);
  if (!match) throw new Error(`tools/stack/${pomPath} has no <${property}>`);
  return match[1];
}

/** The version `npm test` and `npm start` run; STACK_KAFKA_VERSION chooses another (e.g. 4.1.1). */
export const DEFAULT_KAFKA_VERSION = readVersion('kafka/pom.xml', 'kafka.version');

/**
 * Where a version's jars live and how they are fetched: 3.x logs through reload4j (kafka/pom.xml), 4.x through
 * Log4j 2 (kafka-4/pom.xml); either POM takes any version of its line through -Dkafka.version.
 */
export function kafkaDistribution(cacheDir, version = DEFAULT_KAFKA_VERSION) {
  const major = Number(version.split('.')[0]);
  if (major !== 3 && major !== 4) throw new StackError(`Kafka ${version}: only 3.x and 4.x are supported`);
  const home = path.join(cacheDir, `kafka-${version}`);
  return {
    version,
    major,
    pom: path.join(here, major === 3 ? 'kafka/pom.xml' : 'kafka-4/pom.xml'),
    home,
    libsDir: path.join(home, 'libs'),
  };
}

/** Fetches the jars once (a marker file says they are complete); true when it downloaded. */
export function fetchKafka(dist, log) {
  const marker = path.join(dist.libsDir, '.complete');
  if (fs.existsSync(marker)) return false;
  log(`fetching Apache Kafka ${dist.version} from Maven Central into ${dist.libsDir}`);
  fs.rmSync(dist.libsDir, { recursive: true, force: true });
  const res = spawnSync(
    'mvn',
    [
      '-B',
      '-q',
      '-f',
      dist.pom,
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-Dkafka.version=${dist.version}`,
      `-DoutputDirectory=${dist.libsDir}`,
    ],
    // Maven's output goes to stderr: stdout carries what a command prints (e.g. `kafka-libs`, the jars' folder).
    { stdio: ['ignore', 2, 'inherit'] },
  );
  if (res.status !== 0)
    throw new StackError(`Maven could not fetch Apache Kafka ${dist.version} (exit ${res.status})`);
  fs.writeFileSync(marker, new Date().toISOString());
  return true;
}

export function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid in a pid file, when that process is alive. */
export function readPid(file) {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && processAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Stops a process started detached (its own process group) with `signal`, SIGKILL after 30 s, and waits until
 * it is gone.
 */
export async function stopDetached(pid, signal = 'SIGTERM') {
  const send = (sig) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
  };
  send(signal);
  const deadline = Date.now() + 30_000;
  while (processAlive(pid) && Date.now() < deadline) await sleep(200);
  if (processAlive(pid)) send('SIGKILL');
  while (processAlive(pid)) await sleep(100);
}

/**
 * `size` nodes of one KRaft cluster on 127.0.0.1: node i (1-based) listens for clients on
 * brokerPort + 2·(i−1) and for the quorum on controllerPort + 2·(i−1). Replication follows the size: with three
 * nodes or more, topics get RF 3 and min ISR 2 (a write acknowledged by all in-sync replicas survives the loss
 * of any one node); with one, RF 1.
 */
export class KafkaNodes {
  /**
   * @param {{ dist: ReturnType<typeof kafkaDistribution>, dir: string, size?: number, brokerPort: number,
   *   controllerPort: number, heapMb?: number, partitions?: number, log?: (msg: string) => void,
   *   pidFile?: (nodeId: number) => string, dataDir?: (nodeId: number) => string }} options
   */
  constructor(options) {
    this.dist = options.dist;
    this.dir = options.dir;
    this.size = options.size ?? 1;
    this.heapMb = options.heapMb ?? (this.size === 1 ? 512 : 384);
    this.partitions = options.partitions ?? 1;
    this.log = options.log ?? (() => undefined);
    this.logsDir = path.join(this.dir, 'logs');
    this.nodes = Array.from({ length: this.size }, (_, i) => {
      const id = i + 1;
      return {
        id,
        brokerPort: options.brokerPort + 2 * i,
        controllerPort: options.controllerPort + 2 * i,
        pidFile: options.pidFile?.(id) ?? path.join(this.dir, `node-${id}.pid`),
        dataDir: options.dataDir?.(id) ?? path.join(this.dir, `node-${id}`, 'data'),
        configDir: path.join(this.dir, `node-${id}`, 'config'),
      };
    });
  }

  /** The client bootstrap list: every node's broker listener. */
  get brokers() {
    return this.nodes.map((n) => `127.0.0.1:${n.brokerPort}`);
  }

  node(id) {
    const node = this.nodes.find((n) => n.id === id);
    if (!node) throw new StackError(`no Kafka node ${id} in a cluster of ${this.size}`);
    return node;
  }

  pid(id) {
    return readPid(this.node(id).pidFile);
  }

  /** Writes the configuration, formats storage where it is new, and starts every node not running. */
  start() {
    this.writeConfig();
    this.formatStorage();
    return this.nodes.filter((n) => !this.pid(n.id)).map((n) => this.startNode(n.id));
  }

  writeConfig() {
    const rf = Math.min(3, this.size);
    const minIsr = this.size >= 3 ? 2 : 1;
    const voters = this.nodes.map((n) => `${n.id}@127.0.0.1:${n.controllerPort}`).join(',');
    fs.mkdirSync(this.logsDir, { recursive: true });
    for (const n of this.nodes) {
      fs.mkdirSync(n.configDir, { recursive: true });
      fs.writeFileSync(
        path.join(n.configDir, 'server.properties'),
        [
          'process.roles=broker,controller',
          `node.id=${n.id}`,
          `controller.quorum.voters=${voters}`,
          `listeners=PLAINTEXT://127.0.0.1:${n.brokerPort},CONTROLLER://127.0.0.1:${n.controllerPort}`,
          `advertised.listeners=PLAINTEXT://127.0.0.1:${n.brokerPort}`,
          'controller.listener.names=CONTROLLER',
          'inter.broker.listener.name=PLAINTEXT',
          'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
          `log.dirs=${n.dataDir}`,
          `num.partitions=${this.partitions}`,
          `default.replication.factor=${rf}`,
          `min.insync.replicas=${minIsr}`,
          // With one node the coordinators' internal topics must fit on it, or they never come up.
          `offsets.topic.replication.factor=${rf}`,
          `offsets.topic.num.partitions=${this.size === 1 ? 1 : 6}`,
          `transaction.state.log.replication.factor=${rf}`,
          `transaction.state.log.min.isr=${minIsr}`,
          `transaction.state.log.num.partitions=${this.size === 1 ? 1 : 6}`,
          // A node that comes back is the preferred leader again soon, so load evens out after a restart.
          'leader.imbalance.check.interval.seconds=10',
          'group.initial.rebalance.delay.ms=0',
          'auto.create.topics.enable=true',
          'delete.topic.enable=true',
          // The cleaner's dedupe buffer defaults to 128 MiB of heap; the nodes run with a small heap.
          'log.cleaner.dedupe.buffer.size=8388608',
          'num.network.threads=2',
          'num.io.threads=2',
          'log.retention.hours=24',
          '',
        ].join('\n'),
      );
      fs.writeFileSync(this.loggingConfig(n), this.loggingText(n));
    }
  }

  loggingConfig(n) {
    return path.join(n.configDir, this.dist.major === 3 ? 'log4j.properties' : 'log4j2.properties');
  }

  loggingText(n) {
    const file = path.join(this.logsDir, this.size === 1 ? 'kafka-server.log' : `kafka-server-${n.id}.log`);
    if (this.dist.major === 3) {
      return [
        'log4j.rootLogger=INFO, file',
        'log4j.appender.file=org.apache.log4j.RollingFileAppender',
        `log4j.appender.file.File=${file}`,
        'log4j.appender.file.MaxFileSize=20MB',
        'log4j.appender.file.MaxBackupIndex=2',
        'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
        'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
        'log4j.logger.state.change.logger=WARN',
        '',
      ].join('\n');
    }
    return [
      'appender.file.type=RollingFile',
      'appender.file.name=file',
      `appender.file.fileName=${file}`,
      `appender.file.filePattern=${file}.%i`,
      'appender.file.layout.type=PatternLayout',
      'appender.file.layout.pattern=[%d] %p %m (%c)%n',
      'appender.file.policies.type=Policies',
      'appender.file.policies.size.type=SizeBasedTriggeringPolicy',
      'appender.file.policies.size.size=20MB',
      'appender.file.strategy.type=DefaultRolloverStrategy',
      'appender.file.strategy.max=2',
      'rootLogger.level=INFO',
      'rootLogger.appenderRef.file.ref=file',
      'logger.statechange.name=state.change.logger',
      'logger.statechange.level=WARN',
      '',
    ].join('\n');
  }

  loggingProperty(n) {
    return this.dist.major === 3
      ? `-Dlog4j.configuration=file:${this.loggingConfig(n)}`
      : `-Dlog4j2.configurationFile=${this.loggingConfig(n)}`;
  }

  /** Formats each node's storage once, all with the same cluster id (kept beside the nodes). */
  formatStorage() {
    const idFile = path.join(this.dir, 'cluster-id');
    fs.mkdirSync(this.dir, { recursive: true });
    if (!fs.existsSync(idFile)) fs.writeFileSync(idFile, newClusterId());
    const clusterId = fs.readFileSync(idFile, 'utf8').trim();
    for (const n of this.nodes) {
      if (fs.existsSync(path.join(n.dataDir, 'meta.properties'))) continue;
      const res = spawnSync(
        'java',
        [
          '-Xmx128m',
          this.loggingProperty(n),
          '-cp',
          `${this.dist.libsDir}/*`,
          'kafka.tools.StorageTool',
          'format',
          // One argument: an id kept from before this rule may start with '-', which a separate argument would
          // be taken for an option.
          `--cluster-id=${clusterId}`,
          '-c',
          path.join(n.configDir, 'server.properties'),
          '--ignore-formatted',
        ],
        { encoding: 'utf8' },
      );
      if (res.status !== 0) {
        throw new StackError(
          `formatting KRaft storage of node ${n.id} failed (exit ${res.status}):\n${res.stdout}\n${res.stderr}`,
        );
      }
    }
  }

  /** Starts one node detached (it outlives this process); returns its pid. */
  startNode(id) {
    const n = this.node(id);
    const out = fs.openSync(
      path.join(this.logsDir, this.size === 1 ? 'kafka-stdout.log' : `kafka-stdout-${id}.log`),
      'a',
    );
    const child = spawn(
      'java',
      [
        `-Xms${Math.min(256, this.heapMb)}m`,
        `-Xmx${this.heapMb}m`,
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        '-Djava.awt.headless=true',
        `-Dkafka.logs.dir=${this.logsDir}`,
        this.loggingProperty(n),
        '-cp',
        `${this.dist.libsDir}/*`,
        'kafka.Kafka',
        path.join(n.configDir, 'server.properties'),
      ],
      // Detached with no inherited pipes: the node outlives this script and never holds a CI log open.
      { detached: true, stdio: ['ignore', out, out] },
    );
    child.unref();
    fs.closeSync(out);
    fs.writeFileSync(n.pidFile, String(child.pid));
    this.log(`started Kafka ${this.dist.version} node ${id} (pid ${child.pid}) on 127.0.0.1:${n.brokerPort}`);
    return child.pid;
  }

  /**
   * Stops one node: SIGTERM (a controlled shutdown: leadership moved away first) or SIGKILL (a crash), waiting
   * until the process is gone; SIGKILL after 30 s of SIGTERM.
   */
  async stopNode(id, signal = 'SIGTERM') {
    const n = this.node(id);
    const pid = readPid(n.pidFile);
    if (!pid) return false;
    await stopDetached(pid, signal);
    fs.rmSync(n.pidFile, { force: true });
    return true;
  }

  /** Stops every node; the pids it stopped. */
  async stop() {
    const stopped = [];
    for (const n of this.nodes) {
      const pid = readPid(n.pidFile);
      if (pid && (await this.stopNode(n.id))) stopped.push(pid);
    }
    return stopped;
  }

  /** Every node's process is alive (a node that exits during start-up will never answer). */
  allAlive() {
    return this.nodes.every((n) => this.pid(n.id) !== undefined);
  }

  /** Where each log file ends now: `since(marks)` then reads only what was written after. */
  logMarks() {
    const logs = fs.existsSync(this.logsDir) ? fs.readdirSync(this.logsDir) : [];
    return new Map(logs.map((f) => [f, fs.statSync(path.join(this.logsDir, f)).size]));
  }

  /**
   * What the nodes wrote since `marks` (the log and the JVM's own output): a start-up failure in full, not the
   * last lines of a shared log, which may still be the previous broker's shutdown.
   */
  since(marks, maxLines = 60) {
    const logs = fs.existsSync(this.logsDir) ? fs.readdirSync(this.logsDir) : [];
    return logs
      .filter((f) => f.startsWith('kafka-server') || f.startsWith('kafka-stdout'))
      .map((f) => {
        const file = path.join(this.logsDir, f);
        const from = marks.get(f) ?? 0;
        const size = fs.statSync(file).size;
        if (size <= from) return `--- ${f}: nothing new ---`;
        const fd = fs.openSync(file, 'r');
        try {
          const buf = Buffer.alloc(size - from);
          fs.readSync(fd, buf, 0, buf.length, from);
          const lines = buf.toString('utf8').split('\n');
          // The first errors explain a failed start; the last lines say where it stopped.
          const errors = lines.filter((l) => /\] (ERROR|FATAL) |Exception|Error:/.test(l)).slice(0, 20);
          return [
            `--- ${f}: ${lines.length} new lines ---`,
            ...(errors.length > 0 ? ['(errors)', ...errors, '(last lines)'] : []),
            ...lines.slice(-maxLines + errors.length),
          ].join('\n');
        } finally {
          fs.closeSync(fd);
        }
      })
      .join('\n');
  }
}

/**
 * A cluster id as Kafka makes one (Uuid.randomUuid: 16 random bytes, base64url), never starting with '-': one in 64
 * did, and `kafka-storage format -t <id>` took it for an option and failed (a broker-loss run in CI).
 */
export function newClusterId() {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
