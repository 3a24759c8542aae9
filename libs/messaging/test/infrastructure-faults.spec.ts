import { DischargeRequestedV1, FeeLinesChargedV1, createEnvelope } from '@yb/contracts';
import {
  TcpProxy,
  createTestSchema,
  createTestTopics,
  testKafka,
  uniqueName,
  waitFor,
  withClient,
  type TestSchema,
  type TestTopics,
} from '@yb/testing';
import { Pool } from 'pg';
import { type DeadLetterReason, KafkaConsumerHost, KafkaPublisher, type ConsumerHealth } from '../src';

// A handler failing because PostgreSQL cannot be reached is not failing on its message: a failover or a restart of
// the database must be waited out, not dead-lettered after the five attempts (~3 s) a business failure gets. Here the
// handler's database is behind a TCP proxy on loopback that the test takes away for longer than those retries.

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
/** Well past the ~3 s of five attempts at 200 ms doubling, which used to dead-letter the record. */
const OUTAGE_MS = 8_000;

let topics: TestTopics<'inpatient'>;
let schema: TestSchema;
let proxy: TcpProxy;
let pool: Pool;
let publisher: KafkaPublisher;
let host: KafkaConsumerHost;
const deadLettered: { topic: string; reason: DeadLetterReason }[] = [];

beforeAll(async () => {
  topics = await createTestTopics(['inpatient']);
  schema = await createTestSchema('faults');
  const url = new URL(schema.databaseUrl);
  proxy = new TcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
  await proxy.start();
  url.port = String(proxy.port);
  pool = new Pool({ connectionString: url.toString(), max: 2, connectionTimeoutMillis: 1_000 });
  // An idle connection reset by the outage is reported here; the next query opens a new one.
  pool.on('error', () => undefined);
  await pool.query(`CREATE TABLE "${schema.schema}".discharges (message_id uuid PRIMARY KEY)`);

  const kafka = testKafka();
  publisher = new KafkaPublisher(kafka);
  await publisher.connect();
  host = new KafkaConsumerHost({
    kafka,
    groupId: uniqueName('faults'),
    topics: [topics.names.inpatient],
    logger: quiet,
    onDeadLetter: (deadLetter) => deadLettered.push(deadLetter),
  });
  host
    .handle('DischargeRequested', async ({ envelope }) => {
      await pool.query(
        `INSERT INTO "${schema.schema}".discharges (message_id) VALUES ($1) ON CONFLICT DO NOTHING`,
        [envelope.id],
      );
    })
    .handle('FeeLinesCharged', async () => {
      throw new Error('the platform refused the line');
    });
  await host.start();
});

afterAll(async () => {
  await host?.stop();
  await publisher?.disconnect();
  await pool?.end();
  await proxy?.stop();
  await schema?.drop();
  await topics?.delete();
});

it('waits out PostgreSQL unreachable for longer than the retries, reports it, and handles the record after', async () => {
  await proxy.stop();
  const discharge = createEnvelope({
    type: 'DischargeRequested',
    schemaVersion: 1,
    key: 'ZY-OUTAGE',
    data: { ...DischargeRequestedV1.example, ipt_no: 'ZY-OUTAGE' },
  });
  await publisher.publish(topics.names.inpatient, discharge);

  const waiting = await waitFor('the record waiting out the outage', () => host.health().waiting);
  expect(waiting.records).toBe(1);
  expect(waiting.error).toMatch(/ECONNREFUSED|connect|terminated/);
  const down = Date.now();
  const seen: ConsumerHealth[] = [];
  while (Date.now() - down < OUTAGE_MS) {
    seen.push(host.health());
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  // Waiting all along, still in the group, nothing dead-lettered.
  expect(seen.every((h) => h.state === 'consuming' && h.waiting?.records === 1)).toBe(true);
  expect(deadLettered).toEqual([]);

  await proxy.start();
  await waitFor('the discharge recorded once the database is back', async () => {
    const { rows } = await withClient(schema.databaseUrl, (c) =>
      c.query(`SELECT 1 FROM "${schema.schema}".discharges WHERE message_id = $1`, [discharge.id]),
    );
    return rows.length === 1 ? true : undefined;
  });
  await waitFor('the wait over', () => (host.health().waiting === undefined ? true : undefined));
  expect(deadLettered).toEqual([]);
}, 60_000);

it('still dead-letters a business failure once its attempts are used up', async () => {
  const fees = createEnvelope({
    type: 'FeeLinesCharged',
    schemaVersion: 1,
    key: 'ZY-REFUSED',
    data: { ...FeeLinesChargedV1.example, ipt_no: 'ZY-REFUSED' },
  });
  await publisher.publish(topics.names.inpatient, fees);
  await waitFor('the dead letter', () => (deadLettered.length === 1 ? true : undefined));
  expect(deadLettered).toEqual([{ topic: topics.names.inpatient, reason: 'exhausted' }]);
  expect(host.health().waiting).toBeUndefined();
}, 30_000);
