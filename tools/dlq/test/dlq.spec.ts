import { randomBytes } from 'node:crypto';
import { PatientAdmittedV1, createEnvelope, dlqTopic } from '@yb/contracts';
import { EventStore, createEventStoreDataSource, runEventStoreMigrations } from '@yb/event-store';
import { KafkaConsumerHost, KafkaPublisher, headersAsText, readTopic } from '@yb/messaging';
import { DeadLetterPayloads } from '@yb/service-runtime';
import {
  createTestSchema,
  createTestTopics,
  kafkaBrokers,
  testKafka,
  uniqueName,
  waitFor,
  withClient,
  type TestSchema,
  type TestTopics,
} from '@yb/testing';
import { type DataSource } from 'typeorm';
import { parseCommandLine, run } from '../src/main';

// The replay command on the real broker and PostgreSQL: dead letters written by a consumer host (a business
// failure, a record that is not JSON, one too large for the dead-letter topic whose payload the service kept), listed
// and shown without patient identifiers in clear, replayed to the original topic with the original key and headers,
// once.

const CERTNO = '420111198808011234';
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

let topics: TestTopics<'his'>;
let serviceSchema: TestSchema;
let toolSchema: string;
let dataSource: DataSource;
let host: KafkaConsumerHost;
let publisher: KafkaPublisher;
let platformRefuses = true;
const handled: string[] = [];
const admitted = createEnvelope({
  type: 'PatientAdmitted',
  schemaVersion: 1,
  key: 'ZYDLQ1',
  data: { ...PatientAdmittedV1.example, ipt_no: 'ZYDLQ1', mdtrt_cert_no: CERTNO },
});
const huge = randomBytes(1_048_400);
/** The dead letters by what they hold, as `<partition>:<offset>` of the dead-letter topic. */
const refs: Record<'refused' | 'notJson' | 'huge', string> = { refused: '', notJson: '', huge: '' };

async function cli(...argv: string[]): Promise<string> {
  const lines: string[] = [];
  const command = parseCommandLine([...argv, '--schema', toolSchema], {
    KAFKA_BROKERS: kafkaBrokers().join(','),
  });
  if (command === 'help') throw new Error('unexpected help');
  expect(await run(command, serviceSchema.databaseUrl, (line) => lines.push(line))).toBe(0);
  return lines.join('\n');
}

beforeAll(async () => {
  topics = await createTestTopics(['his']);
  serviceSchema = await createTestSchema('dlq_service');
  toolSchema = uniqueName('t_dlq_tool');
  dataSource = createEventStoreDataSource({
    databaseUrl: serviceSchema.databaseUrl,
    schema: serviceSchema.schema,
  });
  await runEventStoreMigrations(dataSource);

  const kafka = testKafka();
  publisher = new KafkaPublisher(kafka);
  await publisher.connect();
  host = new KafkaConsumerHost({
    kafka,
    groupId: uniqueName('dlq-service'),
    topics: [topics.names.his],
    retry: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 20 },
    logger: quiet,
    deadLetterPayloads: new DeadLetterPayloads(new EventStore(dataSource)),
  });
  host.handle('PatientAdmitted', async ({ envelope }) => {
    // The platform's refusal quotes the request, ID number included, as real error messages do.
    if (platformRefuses) throw new Error(`platform refused 2401 for mdtrt_cert_no ${CERTNO}: 人员未参保`);
    handled.push(envelope.id);
  });
  await host.start();

  await publisher.publish(topics.names.his, admitted);
  await publisher.publishRecords(topics.names.his, [
    { key: 'ZYDLQ2', value: `{"mdtrt_cert_no": "${CERTNO}", "psn_name": 张三}` },
    { key: 'ZYDLQ3', value: huge },
  ]);
  const dlq = dlqTopic(topics.names.his);
  const deadLetters = await waitFor('three dead letters', async () => {
    const records = await readTopic(kafka, dlq);
    return records.length === 3 ? records : undefined;
  });
  for (const record of deadLetters) {
    const ref = `${record.partition}:${record.offset}`;
    const key = record.key?.toString();
    if (key === 'ZYDLQ1') refs.refused = ref;
    if (key === 'ZYDLQ2') refs.notJson = ref;
    if (key === 'ZYDLQ3') refs.huge = ref;
  }
}, 60_000);

afterAll(async () => {
  await host?.stop();
  await publisher?.disconnect();
  await dataSource?.destroy();
  await serviceSchema?.drop();
  await withClient(serviceSchema.databaseUrl, (c) =>
    c.query(`DROP SCHEMA IF EXISTS "${toolSchema}" CASCADE`),
  );
  await topics?.delete();
});

describe('npm run dlq', () => {
  it('lists every dead letter with its reason, none replayed, no ID number in clear', async () => {
    const output = await cli('list', dlqTopic(topics.names.his));
    const lines = output.split('\n');
    expect(lines.at(-1)).toBe(`3 dead letter(s) in ${dlqTopic(topics.names.his)}`);
    const line = (ref: string) => lines.find((l) => l.startsWith(`${ref}\t`))!;
    expect(line(refs.refused)).toMatch(
      /\tattempts 2\tPatientAdmitted\tZYDLQ1\tnot replayed\thandler failed 2 times; last error: platform refused 2401 for mdtrt_cert_no 420\*+1234: 人员未参保$/,
    );
    expect(line(refs.notJson)).toMatch(
      /\tZYDLQ2\tnot replayed\tpayload is not JSON: .*\(excerpt left out\)$/,
    );
    expect(line(refs.huge)).toMatch(
      new RegExp(
        `\\[payload 1048400 bytes at postgres:${serviceSchema.schema}\\.dead_letter_payloads/\\d+\\]$`,
      ),
    );
    expect(output).not.toContain(CERTNO);
  });

  it('shows a dead letter with its headers and payload, identifiers masked', async () => {
    const output = await cli('show', dlqTopic(topics.names.his), refs.refused);
    expect(output).toContain(`  original: ${topics.names.his} 0:`);
    expect(output).toContain(`  message-id: ${admitted.id}`);
    expect(output).toContain('"mdtrt_cert_no": "420***********1234"');
    expect(output).not.toContain(CERTNO);
    const notJson = await cli('show', dlqTopic(topics.names.his), refs.notJson);
    expect(notJson).toContain('(not JSON) {"mdtrt_cert_no": "420***********1234"');
    expect(notJson).not.toContain(CERTNO);
  });

  it('replays to the original topic with the original key and headers, once, recording who', async () => {
    platformRefuses = false;
    const dlq = dlqTopic(topics.names.his);
    const first = await cli('replay', dlq, refs.refused, '--by', 'wang.li');
    const replayed = /replayed to (\S+) (\d+):(\d+) by wang\.li$/.exec(first);
    expect(replayed?.[1]).toBe(topics.names.his);
    await waitFor('the replayed admission handled', () => (handled.includes(admitted.id) ? true : undefined));

    const [record] = await readTopic(testKafka(), topics.names.his, {
      partition: Number(replayed![2]),
      from: replayed![3],
      limit: 1,
    });
    expect(record!.key?.toString()).toBe('ZYDLQ1');
    expect(JSON.parse(record!.value!.toString()).id).toBe(admitted.id);
    const headers = headersAsText(record!.headers);
    expect(headers['message-id']).toBe(admitted.id);
    expect(headers['message-type']).toBe('PatientAdmitted');
    expect(Object.keys(headers).filter((h) => h.startsWith('dlq-'))).toEqual([]);

    // Again, and twice at once: nothing more is published.
    const admin = testKafka().admin();
    await admin.connect();
    const before = await admin.fetchTopicOffsets(topics.names.his);
    const again = await Promise.all([
      cli('replay', dlq, refs.refused, '--by', 'zhao.min'),
      cli('replay', dlq, refs.refused, '--by', 'zhao.min'),
    ]);
    for (const output of again)
      expect(output).toMatch(/already replayed by wang\.li \S+ as \d+:\d+; nothing done again$/);
    expect(await admin.fetchTopicOffsets(topics.names.his)).toEqual(before);
    await admin.disconnect();

    const rows = await withClient(serviceSchema.databaseUrl, (c) =>
      c.query(`SELECT replayed_by, message_id, original_topic FROM "${toolSchema}".replays`),
    );
    expect(rows.rows).toEqual([
      { replayed_by: 'wang.li', message_id: admitted.id, original_topic: topics.names.his },
    ]);
    expect(await cli('list', dlq)).toMatch(new RegExp(`^${refs.refused}\\t.*\\treplayed by wang\\.li `, 'm'));
  });

  it('replays a dead letter too large for its topic with the payload the service kept', async () => {
    const output = await cli('replay', dlqTopic(topics.names.his), refs.huge, '--by', 'wang.li');
    const replayed = /replayed to \S+ (\d+):(\d+) by wang\.li$/.exec(output);
    const [record] = await readTopic(testKafka(), topics.names.his, {
      partition: Number(replayed![1]),
      from: replayed![2],
      limit: 1,
    });
    expect(record!.key?.toString()).toBe('ZYDLQ3');
    expect(record!.value!.equals(huge)).toBe(true);
    // The kept payload is closed with the replay: the service's retention deletes it once its days have passed.
    // (The replayed record, random bytes, is dead-lettered again as it should be: its own payload row stays open.)
    const kept = await withClient(serviceSchema.databaseUrl, (c) =>
      c.query(
        `SELECT closed_as, closed_at IS NOT NULL AS closed FROM "${serviceSchema.schema}".dead_letter_payloads
         ORDER BY id LIMIT 1`,
      ),
    );
    expect(kept.rows).toEqual([{ closed_as: 'replayed', closed: true }]);
  });

  it('resolves a dead letter without a replay, once, and never replays it afterwards', async () => {
    const dlq = dlqTopic(topics.names.his);
    const admin = testKafka().admin();
    await admin.connect();
    const before = await admin.fetchTopicOffsets(topics.names.his);
    expect(
      await cli('resolve', dlq, refs.notJson, '--note', '损坏的记录，HIS 已重发', '--by', 'zhao.min'),
    ).toBe(`${refs.notJson}: resolved by zhao.min`);
    expect(await cli('replay', dlq, refs.notJson, '--by', 'wang.li')).toMatch(
      /already resolved by zhao\.min \S+: 损坏的记录，HIS 已重发; nothing done again$/,
    );
    expect(await admin.fetchTopicOffsets(topics.names.his)).toEqual(before);
    await admin.disconnect();
    expect(await cli('list', dlq)).toMatch(
      new RegExp(`^${refs.notJson}\\t.*\\tresolved by zhao\\.min `, 'm'),
    );
    expect(() => parseCommandLine(['resolve', dlq, refs.notJson], {})).toThrow(/--note/);
  });

  it('refuses a command line it does not understand, naming what is wrong', () => {
    expect(() => parseCommandLine(['replay', 'his.inpatient.dlq'], {})).toThrow(
      'replay takes the topic and <partition:offset> …',
    );
    expect(() => parseCommandLine(['purge', 'x'], {})).toThrow('unknown command "purge"');
  });
});
