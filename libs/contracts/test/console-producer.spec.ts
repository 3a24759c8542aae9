import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { HIS_INTEGRATION_PATH, hisIntegrationRecords } from '../src/asyncapi-file';
import { contractFor, parseMessage } from '../src/registry';

// A HIS vendor's first day, as docs/his-integration.md tells it: its example records, piped as they stand into
// Kafka's own console producer (kafka.tools.ConsoleProducer, which kafka-console-producer.sh runs) with the
// options the page gives, gzip-compressed. Every record must reach the services valid and keyed as its envelope.

const repoRoot = path.resolve(__dirname, '../../..');
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

/** The Kafka jars of the local stack (tools/stack fetches them when missing): the console producer's classpath. */
function kafkaLibs(): string {
  const stack = spawnSync(process.execPath, [path.join(repoRoot, 'tools/stack/stack.mjs'), 'kafka-libs'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const libs = stack.stdout.trim();
  if (stack.status !== 0 || !existsSync(libs))
    throw new Error(`no Kafka jars from tools/stack (exit ${stack.status})`);
  return libs;
}

interface Received {
  key: string;
  headers: Record<string, string>;
  value: string;
}

describe("docs/his-integration.md's records through Kafka's console producer", () => {
  const kafka = new Kafka({ clientId: 'console-producer-spec', brokers, logLevel: logLevel.NOTHING });
  const topic = `t.his-console-${process.pid}-${Date.now()}`;
  const records = hisIntegrationRecords(readFileSync(HIS_INTEGRATION_PATH, 'utf8'));

  let libs: string;
  // A clone that reused a running broker has no jars yet: fetching them from Maven Central takes a while.
  beforeAll(() => {
    libs = kafkaLibs();
  }, 600_000);

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();
  });
  afterAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  });

  it('shows one record of every HIS message type, each under the topic it belongs to', () => {
    expect(records.length).toBeGreaterThanOrEqual(17);
    for (const { topic: shownOn, line } of records) {
      const envelope = JSON.parse(line.split('\t')[2]!);
      expect(`${envelope.type}: ${contractFor(envelope.type, envelope.schemaVersion).topic}`).toBe(
        `${envelope.type}: ${shownOn}`,
      );
    }
  });

  it('produces every record, which the services read as valid, keyed as its envelope, headers intact', async () => {
    const produced = spawnSync(
      'java',
      [
        // Kafka 4 moved the class to the tools' jar (as consoleProducerClass in @yb/testing, which cannot be
        // imported here: it depends on this library).
        ...[
          '-cp',
          `${libs}/*`,
          readdirSync(libs).some((jar) => /^kafka-tools-\d/.test(jar))
            ? 'org.apache.kafka.tools.ConsoleProducer'
            : 'kafka.tools.ConsoleProducer',
        ],
        ...['--bootstrap-server', brokers[0]!, '--topic', topic],
        ...['--property', 'parse.key=true', '--property', 'parse.headers=true'],
        ...['--producer-property', 'acks=all', '--compression-codec', 'gzip'],
      ],
      { input: `${records.map((r) => r.line).join('\n')}\n`, encoding: 'utf8', timeout: 60_000 },
    );
    expect({ status: produced.status, errors: produced.stderr.match(/.*(ERROR|Exception).*/g) }).toEqual({
      status: 0,
      errors: null,
    });

    const received: Received[] = [];
    const consumer = kafka.consumer({ groupId: `${topic}-reader`, maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push({
          key: message.key!.toString(),
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
          value: message.value!.toString(),
        });
      },
    });
    const deadline = Date.now() + 30_000;
    while (received.length < records.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await consumer.disconnect();

    expect(received).toHaveLength(records.length);
    for (const record of received) {
      const message = parseMessage(JSON.parse(record.value));
      expect(record.key).toBe(message.key);
      expect(record.headers).toMatchObject({
        'message-id': message.id,
        'message-type': message.type,
        traceparent: message.traceparent,
      });
    }
    expect(new Set(received.map((r) => JSON.parse(r.value).id)).size).toBe(records.length);
  });
});
