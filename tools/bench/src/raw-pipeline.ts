// The raw pipeline, the yardstick for ours: the same HIS records consumed with kafkajs eachBatch, one PostgreSQL
// transaction per batch writing the same inbox, event and outbox rows (multi-row INSERTs into the event store's
// own tables), then one 2301 POST per visit per 50 lines to the same sandbox — no framework, no validation, no
// state, no relay. What our services add on top of this is the design's cost.
import { createEventStoreDataSource, runEventStoreMigrations } from '@yb/event-store';
import { shanghaiSecondStamp } from '@yb/platform-client';
import { createTestSchema, TEST_HOSPITAL, uniqueName } from '@yb/testing';
import { type Kafka } from 'kafkajs';
import { Pool, type PoolClient } from 'pg';
import { type VisitRegistration } from './fee-pipeline-observer';
import { rawPlatformRequestBody } from './raw-platform-request';

export interface RawPipelineOptions {
  readonly topic: string;
  /** The records to take: each partition from its start up to (excluding) this offset. */
  readonly endOffsets: ReadonlyMap<number, bigint>;
  readonly partitions: number;
  readonly simUrl: string;
  readonly registrations: ReadonlyMap<string, VisitRegistration>;
}

export interface RawPipelineMeasurement {
  readonly messages: number;
  /** Fee lines posted to the sandbox (of visits it registered) and those it answered infcode 0. */
  readonly linesPosted: number;
  readonly linesAcknowledged: number;
  readonly posts: number;
  /** Fee lines of visits 2401 never registered: not posted. */
  readonly linesUnregistered: number;
  /** Lines the sandbox refused, by its err_msg. */
  readonly refusals: ReadonlyMap<string, number>;
  /** First record in hand → last POST answered. */
  readonly wallMs: number;
  readonly linesPerSecond: number;
  /** This process's CPU (user + system) over the run, ms: the raw pipeline is the only work it does then. */
  readonly cpuMs: number;
}

/** Lines per 2301, the platform's limit. */
const LINES_PER_POST = 50;
// The raw path numbers its msgids under another code, so they never collide with the services' in the sandbox.
const RAW_MSGID_PREFIX = 'H42010299999';

interface HisRecord {
  readonly id: string;
  readonly type: string;
  readonly key: string;
  readonly schemaVersion: number;
  readonly data: { readonly lines?: readonly Record<string, unknown>[] };
}

export async function runRawPipeline(
  kafka: Kafka,
  options: RawPipelineOptions,
): Promise<RawPipelineMeasurement> {
  const schema = await createTestSchema('bench_raw');
  const dataSource = createEventStoreDataSource({ databaseUrl: schema.databaseUrl, schema: schema.schema });
  await runEventStoreMigrations(dataSource);
  await dataSource.destroy();
  const pool = new Pool({ connectionString: schema.databaseUrl, max: options.partitions });
  const consumer = kafka.consumer({ groupId: uniqueName('bench-raw-pipeline'), maxWaitTimeInMs: 50 });
  const versions = new Map<string, number>();
  const remaining = new Map([...options.endOffsets].filter(([, end]) => end > 0n));
  const counts = { messages: 0, linesPosted: 0, linesAcknowledged: 0, posts: 0, linesUnregistered: 0 };
  let msgidSeq = 0;
  const refusals = new Map<string, number>();
  const post = async (infno: string, input: unknown, signNo: string, insuplc_admdvs = '') => {
    const now = new Date();
    const response = await fetch(`${options.simUrl}/fsi/api/rsfComIfsService/callService`, {
      method: 'POST',
      headers: { 'content-type': 'application/json;charset=utf-8' },
      body: JSON.stringify(
        rawPlatformRequestBody({
          infno,
          msgid: `${RAW_MSGID_PREFIX}${shanghaiSecondStamp(now)}${String(msgidSeq++ % 10_000).padStart(4, '0')}`,
          input,
          now,
          insuplc_admdvs,
          sign_no: signNo,
        }),
      ),
    });
    return (await response.json()) as {
      infcode: number | string;
      err_msg?: string;
      output?: { signinoutb?: { sign_no: string } };
    };
  };
  const signIn = await post(
    '9001',
    {
      signIn: {
        opter_no: TEST_HOSPITAL.operator.opter,
        mac: '00-16-3E-12-34-56',
        ip: TEST_HOSPITAL.operator.ip,
      },
    },
    '',
  );
  const signNo = signIn.output?.signinoutb?.sign_no;
  if (!signNo) throw new Error(`raw pipeline: 9001 sign-in failed: ${JSON.stringify(signIn)}`);

  const write = async (client: PoolClient, records: readonly HisRecord[], consumerName: string) => {
    const streamVersions = records.map((r) => {
      const version = (versions.get(r.key) ?? 0) + 1;
      versions.set(r.key, version);
      return version;
    });
    const t = (table: string) => `"${schema.schema}"."${table}"`;
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO ${t('inbox')} (message_id, consumer) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING`,
      [records.map((r) => r.id), consumerName],
    );
    await client.query(
      `INSERT INTO ${t('events')} (stream_id, stream_version, type, schema_version, data)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::int[], $5::jsonb[])`,
      [
        records.map((r) => r.key),
        streamVersions,
        records.map((r) => r.type),
        records.map((r) => r.schemaVersion),
        records.map((r) => JSON.stringify(r.data)),
      ],
    );
    await client.query(
      `INSERT INTO ${t('outbox')} (message_id, topic, message_key, payload)
       SELECT gen_random_uuid(), 'raw.results', k, p FROM unnest($1::text[], $2::text[]) AS u(k, p)`,
      [records.map((r) => r.key), records.map((r) => JSON.stringify(r))],
    );
    await client.query('COMMIT');
  };

  const upload = async (records: readonly HisRecord[]) => {
    const byVisit = new Map<string, Record<string, unknown>[]>();
    for (const r of records)
      if (r.type === 'FeeLinesCharged' && r.data.lines)
        byVisit.set(r.key, [...(byVisit.get(r.key) ?? []), ...r.data.lines]);
    const calls: Promise<void>[] = [];
    for (const [ipt_no, lines] of byVisit) {
      const visit = options.registrations.get(ipt_no);
      if (!visit) {
        counts.linesUnregistered += lines.length;
        continue;
      }
      for (let from = 0; from < lines.length; from += LINES_PER_POST) {
        const chunk = lines.slice(from, from + LINES_PER_POST);
        const { insuplc_admdvs, ...names } = visit;
        // Numbered apart from the services' uploads of the same lines, which the sandbox would refuse as repeats.
        const feedetail = chunk.map((line) => ({
          ...line,
          ...names,
          feedetl_sn: `R${String(line.feedetl_sn)}`,
          ...(line.init_feedetl_sn !== undefined && { init_feedetl_sn: `R${String(line.init_feedetl_sn)}` }),
        }));
        calls.push(
          post('2301', { feedetail }, signNo, insuplc_admdvs).then((answer) => {
            counts.posts += 1;
            counts.linesPosted += chunk.length;
            if (Number(answer.infcode) === 0) counts.linesAcknowledged += chunk.length;
            else refusals.set(answer.err_msg ?? '', (refusals.get(answer.err_msg ?? '') ?? 0) + chunk.length);
          }),
        );
      }
    }
    await Promise.all(calls);
  };

  let firstAt: number | undefined;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const cpuBefore = process.cpuUsage();
  await consumer.connect();
  await consumer.subscribe({ topic: options.topic, fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: options.partitions,
    eachBatch: async ({ batch }) => {
      firstAt ??= performance.now();
      const end = remaining.get(batch.partition);
      if (end === undefined) return;
      const records = batch.messages
        .filter((m) => BigInt(m.offset) < end)
        .map((m) => JSON.parse(m.value!.toString()) as HisRecord);
      const client = await pool.connect();
      try {
        await write(client, records, 'raw-pipeline');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      } finally {
        client.release();
      }
      await upload(records);
      counts.messages += records.length;
      if (BigInt(batch.lastOffset()) + 1n >= end) remaining.delete(batch.partition);
      if (remaining.size === 0) finish();
    },
  });
  if (remaining.size === 0) finish();
  await finished;
  const wallMs = performance.now() - (firstAt ?? performance.now());
  const cpu = process.cpuUsage(cpuBefore);
  await consumer.disconnect();
  await pool.end();
  await schema.drop();
  return {
    ...counts,
    refusals,
    wallMs,
    linesPerSecond: (counts.linesPosted / Math.max(1, wallMs)) * 1000,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}
