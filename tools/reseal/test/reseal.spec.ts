import { randomBytes, randomUUID } from 'node:crypto';
import { eventStoreDataSourceOptions, EventStore, runEventStoreMigrations } from '@yb/event-store';
import { PLATFORM_CLIENT_MIGRATIONS, PlatformCallJournal, PlatformCallRecord } from '@yb/platform-client';
import { Keyring, openFields, SealedValueError, sealedIn, sealFields } from '@yb/sealing';
import { DeadLetterPayloads, DeadLetters, type DeadLetter } from '@yb/service-runtime';
import {
  createTestSchema,
  identifierValues,
  patientArbitrary,
  testKafka,
  type GeneratedPatient,
  type TestSchema,
} from '@yb/testing';
import fc from 'fast-check';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { run, type Command } from '../src/main';

// A key rotation, then `npm run reseal`, on the real PostgreSQL: every store of patient data at rest written under
// the old key (and some rows written clear, before keys) moves to the new key, so that the old key can leave the
// ring and everything still reads; a pass stopped midway goes on from where it stopped, and a second run changes
// nothing. The seeded fault: without the reseal, the new key alone opens nothing of what the old one sealed.

const ring = (...keys: string[]) =>
  Keyring.fromEnv('NHSA_JOURNAL_KEYS', { NHSA_JOURNAL_KEYS: keys.join(',') });
const K1 = `k1:${randomBytes(32).toString('base64')}`;
const K2 = `k2:${randomBytes(32).toString('base64')}`;
const PATIENTS = 6;

const patients: GeneratedPatient[] = fc.sample(patientArbitrary, PATIENTS);
const his = (p: GeneratedPatient) => ({
  mdtrt_cert_no: p.certno,
  psn_name: p.psn_name,
  tel: p.mobile,
  brdy: p.brdy,
  psn_no: p.psn_no,
  adm_bed: '12床',
});

let service: TestSchema;
let dashboard: TestSchema;
let progress: string;
let dataSource: DataSource;
let pool: Pool;
const locations: string[] = [];
const quarantined: string[] = [];
const journalMsgids: string[] = [];

const events = (keyring: Keyring) => new EventStore(dataSource, { keyring });
const stream = (i: number) => `visit-ZY${i}`;
const command = (extra: Partial<Command> = {}): Command => ({
  schemas: [service.schema, dashboard.schema],
  batchSize: 4,
  progressSchema: progress,
  ...extra,
});

beforeAll(async () => {
  service = await createTestSchema('reseal_svc');
  dashboard = await createTestSchema('reseal_dash');
  progress = `${service.schema}_p`.slice(0, 63);
  const base = eventStoreDataSourceOptions({
    databaseUrl: service.databaseUrl,
    schema: service.schema,
    poolSize: 3,
  });
  dataSource = new DataSource({
    ...base,
    entities: [PlatformCallRecord],
    migrations: [...(base.migrations as []), ...PLATFORM_CLIENT_MIGRATIONS],
  });
  await runEventStoreMigrations(dataSource);
  pool = new Pool({ connectionString: service.databaseUrl, max: 2 });
  // The dashboard's and the reconciliation's tables as far as sealing goes (their apps own the whole DDL).
  await pool.query(`CREATE TABLE "${dashboard.schema}".dash_visits (ipt_no text PRIMARY KEY, patient jsonb)`);
  await pool.query(
    `CREATE TABLE "${service.schema}".ledger_rows (setl_id text PRIMARY KEY, row jsonb NOT NULL)`,
  );

  const k1 = ring(K1);
  for (const [i, p] of patients.entries()) {
    // Half the visits' first event written before keys were configured (clear), every other under k1.
    const keyring = i % 2 === 0 ? Keyring.CLEAR : k1;
    await events(keyring).appendToStream(stream(i), 'no-stream', [{ type: 'PatientAdmitted', data: his(p) }]);
    await events(k1).appendToStream(stream(i), 1, [{ type: 'PatientChanged', data: { ...his(p), n: i } }]);
    locations.push(
      await new DeadLetterPayloads(events(k1), k1).keep({
        topic: 'his.inpatient',
        partition: 0,
        offset: String(i),
        key: Buffer.from(`ZY${i}`),
        value: Buffer.from(JSON.stringify(his(p))),
        headers: {},
        groupId: 'admission',
        reason: 'refused',
        attempts: 0,
        failedAt: new Date(),
      }),
    );
    const messageId = randomUUID();
    quarantined.push(messageId);
    await pool.query(
      `INSERT INTO "${service.schema}".outbox_quarantine (id, message_id, topic, payload, headers, created_at, reason)
       VALUES ($1, $2, 'insurance.inpatient', $3, '{}', now(), 'too large')`,
      [
        i + 1,
        messageId,
        // The first quarantined before payloads were bound like their message (the relay's binding then).
        JSON.stringify(
          sealFields(
            k1,
            { data: his(p) },
            i === 0 ? sealedIn.legacyOutboxQuarantine(messageId) : sealedIn.message(messageId),
          ),
        ),
      ],
    );
    await pool.query(`INSERT INTO "${service.schema}".ledger_rows (setl_id, row) VALUES ($1, $2)`, [
      `S${i}`,
      JSON.stringify(sealFields(k1, { setl_id: `S${i}`, psn_no: p.psn_no }, sealedIn.ledgerRow(`S${i}`))),
    ]);
    await pool.query(`INSERT INTO "${dashboard.schema}".dash_visits (ipt_no, patient) VALUES ($1, $2)`, [
      `ZY${i}`,
      JSON.stringify(
        k1.seal({ psn_name: p.psn_name, identifiers: [p.certno] }, sealedIn.visitPatient(`ZY${i}`)),
      ),
    ]);
    const msgid = `H42010200001202601020900${String(i).padStart(6, '0')}`;
    journalMsgids.push(msgid);
    await new PlatformCallJournal(dataSource, k1).recordPending({
      msgid,
      callId: randomUUID(),
      attempt: 1,
      infno: '2401',
      psn_no: p.psn_no,
      visitKey: `ZY${i}`,
      requestKey: undefined,
      request: { infno: '2401', msgid, input: { mdtrtinfo: his(p) } } as never,
    });
  }
});

afterAll(async () => {
  await pool?.query(`DROP SCHEMA IF EXISTS "${progress}" CASCADE`);
  await pool?.end();
  await dataSource?.destroy();
  await service?.drop();
  await dashboard?.drop();
});

/** Everything sealed, read back through the stores' own readers (or their additional data) with `keyring`. */
async function readEverything(keyring: Keyring) {
  const desk = new DeadLetters(testKafka(), pool, service.schema, keyring);
  const store = events(keyring);
  const read = [];
  for (const [i, p] of patients.entries()) {
    const { rows: quarantine } = await pool.query<{ payload: string }>(
      `SELECT payload FROM "${service.schema}".outbox_quarantine WHERE message_id = $1`,
      [quarantined[i]],
    );
    const { rows: ledger } = await pool.query<{ row: unknown }>(
      `SELECT row FROM "${service.schema}".ledger_rows WHERE setl_id = $1`,
      [`S${i}`],
    );
    const { rows: visits } = await pool.query<{ patient: unknown }>(
      `SELECT patient FROM "${dashboard.schema}".dash_visits WHERE ipt_no = $1`,
      [`ZY${i}`],
    );
    read.push({
      events: (await store.readStream(stream(i))).map((e) => e.data),
      deadLetter: JSON.parse(
        (await desk.payloadOf({ payloadLocation: locations[i] } as DeadLetter))!.toString('utf8'),
      ) as unknown,
      quarantine: openFields(keyring, JSON.parse(quarantine[0]!.payload), sealedIn.message(quarantined[i]!)),
      ledger: openFields(keyring, ledger[0]!.row, sealedIn.ledgerRow(`S${i}`)),
      visit: keyring.open(visits[0]!.patient, sealedIn.visitPatient(`ZY${i}`)),
      journal: (await new PlatformCallJournal(dataSource, keyring).find(journalMsgids[i]!))!.request.input,
      p,
    });
  }
  return read;
}

function expected(p: GeneratedPatient, i: number) {
  return {
    events: [his(p), { ...his(p), n: i }],
    deadLetter: his(p),
    quarantine: { data: his(p) },
    ledger: { setl_id: `S${i}`, psn_no: p.psn_no },
    visit: { psn_name: p.psn_name, identifiers: [p.certno] },
    journal: { mdtrtinfo: his(p) },
    p,
  };
}

/** The stored text of every table touched (of the journal, its sealed columns, psn_no among them). */
async function rawText(): Promise<string> {
  const s = `"${service.schema}"`;
  const queries = [
    `SELECT x::text AS t FROM ${s}.events x`,
    `SELECT x::text AS t FROM ${s}.outbox_quarantine x`,
    `SELECT x::text AS t FROM ${s}.ledger_rows x`,
    `SELECT concat_ws(' ', request, response, psn_no, err_msg, unknown_reason, reversal_err_msg) AS t
       FROM ${s}.platform_call_journal`,
    `SELECT x::text AS t FROM "${dashboard.schema}".dash_visits x`,
    `SELECT encode(payload, 'escape') AS t FROM ${s}.dead_letter_payloads`,
  ];
  const texts = await Promise.all(
    queries.map(async (q) => (await pool.query<{ t: string }>(q)).rows.map((r) => r.t).join('\n')),
  );
  return texts.join('\n');
}

it('needs the reseal: without it, the new key alone opens nothing the old one sealed (the seeded fault)', async () => {
  await expect(readEverything(ring(K2))).rejects.toThrow(SealedValueError);
});

it('moves every store to the new key in batches, resumes a stopped pass, and changes nothing the second time', async () => {
  const rotated = ring(K2, K1);
  const lines: string[] = [];
  // Stopped after one batch of 4 per table: each table not finished, its position recorded.
  expect(await run(command({ maxBatches: 1 }), service.databaseUrl, rotated, (l) => lines.push(l))).toBe(1);
  const { rows: stopped } = await pool.query(
    `SELECT table_name, last_key FROM "${progress}".reseal_progress`,
  );
  expect(stopped.map((r: { table_name: string }) => r.table_name).sort()).toEqual([
    'dash_visits',
    'dead_letter_payloads',
    'events',
    'ledger_rows',
    'outbox_quarantine',
  ]);

  lines.length = 0;
  expect(await run(command(), service.databaseUrl, rotated, (l) => lines.push(l))).toBe(0);
  expect(lines.at(-1)).toMatch(/under key "k2": older keys can leave/);
  // Went on from the recorded position: the rest of each table, not all of it again.
  expect(lines.find((l) => l.startsWith(`${service.schema}.events\t`))).toMatch(
    new RegExp(`\\t${PATIENTS * 2 - 4} read\\t${PATIENTS * 2 - 4} resealed\\tfinished`),
  );
  expect((await pool.query(`SELECT 1 FROM "${progress}".reseal_progress`)).rowCount).toBe(0);

  lines.length = 0;
  expect(await run(command(), service.databaseUrl, rotated, (l) => lines.push(l))).toBe(0);
  expect(lines.filter((l) => /\t[1-9]\d* resealed/.test(l))).toEqual([]);

  const raw = await rawText();
  expect(raw).not.toMatch(/"kid": ?"k1"/);
  expect(raw).not.toContain('YBS1\\002k1');
  expect(patients.flatMap((p) => [...identifierValues(p), p.brdy]).filter((v) => raw.includes(v))).toEqual(
    [],
  );
});

it('reads everything with the old key removed from the ring', async () => {
  expect(await readEverything(ring(K2))).toEqual(patients.map(expected));
});
