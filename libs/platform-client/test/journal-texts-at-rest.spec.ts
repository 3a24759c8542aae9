import { randomBytes, randomUUID } from 'node:crypto';
import { Keyring } from '@yb/sealing';
import {
  createTestSchema,
  identifierValues,
  patientArbitrary,
  type GeneratedPatient,
  type TestSchema,
} from '@yb/testing';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { PlatformCallJournal } from '../src/journal/platform-call-journal';
import { PlatformCallRecord } from '../src/journal/platform-call-record.entity';
import { PLATFORM_CLIENT_MIGRATIONS } from '../src/journal/platform-client-migrations';
import { PlatformClient, type SettledCall } from '../src/platform-client';
import { gatewaySignerFor } from '../src/transport/gateway-signers';
import { HttpTransport } from '../src/transport/http-transport';
import type { PlatformTransport } from '../src/transport/platform-transport';
import { journalDataSource } from './journal-data-source';
import { admissionInput, scriptedPlatform, testClientConfig } from './client-test-kit';
import { type ScriptedPlatform } from './scripted-platform';

// Generated patients quoted by the platform's err_msg (a refusal, a refused 2601) and by a transport's failure text,
// through the real client onto the real PostgreSQL: the raw journal rows, read with pg, hold none of their identifiers
// in clear in any column (psn_no, err_msg, unknown_reason and reversal_err_msg are sealed like the request and answer;
// the texts were masked before). A journal written before those columns were sealed is migrated, then resealed.

const PATIENTS = 6;
const patients = fc.sample(patientArbitrary, PATIENTS);

/** A refusal quoting the whole record, as a platform might word one. */
const quoting = (p: GeneratedPatient) =>
  `FSI-参保人${p.psn_name}（证件号${p.certno}，旧证${p.certno15}，联系电话${p.mobileWritten}，人员编号${p.psn_no}）不符`;
/**
 * A refused 2601 quoting the record's numbers: a reversal is asked by msgid, so the client knows the person number
 * and finds ID and mobile numbers, but not the name (sealed at rest all the same; docs/threat-model.md).
 */
const quotingNumbers = (p: GeneratedPatient) =>
  `FSI-冲正失败：证件号${p.certno}，联系电话${p.mobileWritten}，人员编号${p.psn_no}的结算已退费`;
/** The identifiers of `p` that `text` quotes. */
const quotedBy = (text: string, p: GeneratedPatient) => identifierValues(p).filter((v) => text.includes(v));

const admission = (p: GeneratedPatient, ipt_no: string) =>
  admissionInput(ipt_no, { psn_no: p.psn_no, mdtrt_cert_no: p.certno });

const leaksIn = (text: string, ps: GeneratedPatient[]) =>
  ps.flatMap((p) => identifierValues(p)).filter((value) => text.includes(value));

describe('the journal at rest: what the platform and the transport quote', () => {
  let schema: TestSchema;
  let dataSource: DataSource;
  let platform: ScriptedPlatform;
  /** The text the next send of an infno fails with instead of going out (a transport quoting the patient). */
  const failing = new Map<string, string>();
  const settled: SettledCall[] = [];
  let client: PlatformClient;

  const rawRows = async () =>
    (
      await dataSource.query(
        `SELECT row_to_json(j)::text AS text FROM "${schema.schema}".platform_call_journal j`,
      )
    ).map((r: { text: string }) => r.text) as string[];

  beforeAll(async () => {
    schema = await createTestSchema('journal_texts');
    dataSource = await journalDataSource(schema, 2);
    platform = scriptedPlatform();
    const config = testClientConfig(await platform.start(), schema.schema, {
      callPolicies: { '2401': { timeoutMs: 5000 }, '2302': { timeoutMs: 5000 } },
    });
    const http = new HttpTransport({
      baseUrl: config.baseUrl,
      endpointMode: config.endpointMode,
      servicePaths: config.servicePaths,
      signer: gatewaySignerFor(config.gateway),
    });
    const transport: PlatformTransport = {
      send: async (request) => {
        const text = failing.get(request.infno);
        failing.delete(request.infno);
        if (text !== undefined) throw new Error(text);
        return http.send(request);
      },
    };
    client = new PlatformClient({
      config,
      dataSource,
      transport,
      onCallSettled: (call) => settled.push(call),
    });
    await client.start();
  });

  afterAll(async () => {
    await platform?.close();
    await dataSource?.destroy();
    await schema?.drop();
  });

  it('seals psn_no, err_msg, unknown_reason and reversal_err_msg: no identifier in clear in any column', async () => {
    expect(Keyring.fromEnv().sealing).toBe(true); // the test keyring of jest-setup
    const rejected: string[] = [];
    for (const [i, p] of patients.entries()) {
      const options = { visitKey: `ZY-T${i}`, insuplc_admdvs: '420200', patientIdentifiers: [p.psn_name] };
      // A refusal quoting the patient.
      platform.script('2401', { kind: 'reject', err_msg: quoting(p) });
      const refused = await client.call('2401', admission(p, `ZY-T${i}`), options);
      expect(refused.status).toBe('REJECTED');
      rejected.push(refused.msgid);
      // No answer: the transport's text quotes the patient.
      failing.set('2302', quoting(p));
      const revocation = { data: { mdtrt_id: `M-${i}`, psn_no: p.psn_no, feedetl_sn: '0001' } };
      expect((await client.call('2302', revocation, options)).status).toBe('UNKNOWN');
      // A 2401 without an answer, whose 2601 the platform refuses quoting the patient.
      platform.script('2401', { kind: 'http', status: 503, body: '' });
      const unknown = await client.call('2401', admission(p, `ZY-U${i}`), options);
      platform.script('2601', { kind: 'reject', err_msg: quotingNumbers(p) });
      expect((await client.reverse(unknown.msgid)).status).toBe('REVERSAL_REFUSED');
    }

    const raw = (await rawRows()).join('\n');
    expect(leaksIn(raw, patients)).toEqual([]);
    const [counts] = await dataSource.query(
      `SELECT count(*) FILTER (WHERE jsonb_typeof(psn_no) = 'object')::int AS psn_no,
                count(*) FILTER (WHERE jsonb_typeof(err_msg) = 'object')::int AS err_msg,
                count(*) FILTER (WHERE jsonb_typeof(unknown_reason) = 'object')::int AS unknown_reason,
                count(*) FILTER (WHERE jsonb_typeof(reversal_err_msg) = 'object')::int AS reversal_err_msg
           FROM "${schema.schema}".platform_call_journal`,
    );
    // Two refusals per patient (2401, 2601), two calls without an answer (2302, the first 2401), one refused 2601.
    expect(counts).toEqual({
      psn_no: PATIENTS * 4,
      err_msg: PATIENTS * 2,
      unknown_reason: PATIENTS * 2,
      reversal_err_msg: PATIENTS,
    });

    // What leaves the client (results, the settled-call report that feeds events and the dashboard) is masked.
    expect(leaksIn(JSON.stringify(settled), patients)).toEqual([]);
    // Read back through the journal: the masked texts, codes and words kept.
    const row = (await client.journalEntry(rejected[0]!))!;
    expect(row.psn_no).toBe(patients[0]!.psn_no);
    expect(row.err_msg).toMatch(/^FSI-参保人.*证件号.*联系电话.*人员编号.*不符$/);
    expect(leaksIn(row.err_msg!, patients)).toEqual([]);
  });

  it('a row written clear reads back; the seeded fault: the same row shows its identifiers in the raw text', async () => {
    const clear = new PlatformCallJournal(dataSource, Keyring.CLEAR);
    const [p] = patients as [GeneratedPatient];
    await clear.recordPending({
      msgid: 'M-CLEAR-TEXT',
      callId: randomUUID(),
      attempt: 1,
      infno: '2302',
      psn_no: p.psn_no,
      visitKey: 'ZY-CLEAR',
      requestKey: undefined,
      request: { infno: '2302', msgid: 'M-CLEAR-TEXT', input: {} } as never,
    });
    await clear.recordOutcome('M-CLEAR-TEXT', { status: 'UNKNOWN', reason: quoting(p) });
    expect(leaksIn((await rawRows()).join('\n'), [p])).toEqual(quotedBy(quoting(p), p));
    expect((await new PlatformCallJournal(dataSource).find('M-CLEAR-TEXT'))!.unknownReason).toBe(quoting(p));
    // The journal's reseal (each retention pass, `npm run reseal`) seals it.
    expect(await new PlatformCallJournal(dataSource).reseal(100)).toBe(1);
    expect(leaksIn((await rawRows()).join('\n'), [p])).toEqual([]);
    expect((await new PlatformCallJournal(dataSource).find('M-CLEAR-TEXT'))!.psn_no).toBe(p.psn_no);
  });
});

describe('the migration of a journal written before its texts were sealed', () => {
  let schema: TestSchema;
  let dataSource: DataSource;
  const K1 = `k1:${randomBytes(32).toString('base64')}`;
  const k1 = Keyring.fromEnv('NHSA_JOURNAL_KEYS', { NHSA_JOURNAL_KEYS: K1 });
  const [p] = patients as [GeneratedPatient];

  beforeAll(async () => {
    schema = await createTestSchema('journal_texts_mig');
    dataSource = new DataSource({
      type: 'postgres',
      url: schema.databaseUrl,
      schema: schema.schema,
      entities: [PlatformCallRecord],
      migrations: PLATFORM_CLIENT_MIGRATIONS,
      poolSize: 2,
    });
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await schema?.drop();
  });

  it('keeps the clear values, marks the row for the reseal, which seals them; everything reads back', async () => {
    const table = `"${schema.schema}".platform_call_journal`;
    const runner = dataSource.createQueryRunner();
    try {
      // The journal as it was: request and answer sealed under k1 (the row names k1), the texts and psn_no clear.
      for (const Migration of PLATFORM_CLIENT_MIGRATIONS.slice(0, -1)) await new Migration().up(runner);
      const aad = (column: string) => `M-OLD-1:${column}`;
      await dataSource.query(
        `INSERT INTO ${table} (msgid, call_id, attempt, infno, psn_no, visit_key, status, request, response,
           sealed_with, infcode, err_msg, reversal_err_msg)
         VALUES ('M-OLD-1', gen_random_uuid(), 1, '2401', $1, 'ZY-OLD', 'REVERSAL_REFUSED', $2, $3, 'k1', -1, $4, $4)`,
        [
          p.psn_no,
          JSON.stringify(k1.seal({ infno: '2401', input: {} }, aad('request'))),
          JSON.stringify(k1.seal({ infcode: -1 }, aad('response'))),
          quoting(p),
        ],
      );
      await new (PLATFORM_CLIENT_MIGRATIONS.at(-1)!)().up(runner);
    } finally {
      await runner.release();
    }
    const raw = async () =>
      (await dataSource.query(`SELECT row_to_json(j)::text AS text FROM ${table} j`))[0].text as string;
    expect(leaksIn(await raw(), [p])).toEqual(quotedBy(quoting(p), p));
    expect((await dataSource.query(`SELECT sealed_with FROM ${table}`))[0].sealed_with).toBeNull();
    const journal = new PlatformCallJournal(dataSource, k1);
    expect(await journal.reseal(100)).toBe(1);
    expect(await journal.reseal(100)).toBe(0);
    expect(leaksIn(await raw(), [p])).toEqual([]);
    expect(await journal.find('M-OLD-1')).toMatchObject({
      psn_no: p.psn_no,
      err_msg: quoting(p),
      reversalErrMsg: quoting(p),
      sealedWith: 'k1',
      request: { infno: '2401', input: {} },
    });
  });
});
