import { randomBytes } from 'node:crypto';
import { createEventStoreDataSource, EventStore, runEventStoreMigrations } from '@yb/event-store';
import { type DeadLetterInput } from '@yb/messaging';
import { Keyring, SealedValueError } from '@yb/sealing';
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
import { type DataSource } from 'typeorm';
import { DeadLetterPayloads, DeadLetters, type DeadLetter } from '../src';

const keyring = (text: string) => Keyring.fromEnv('NHSA_JOURNAL_KEYS', { NHSA_JOURNAL_KEYS: text });
const K1 = `k1:${randomBytes(32).toString('base64')}`;
const K2 = `k2:${randomBytes(32).toString('base64')}`;
const RUNS = 20;

let offset = 0;
/** A HIS record refused at the edge, with the platform's err_msg (quoting the patient) as the reason. */
function refused(p: GeneratedPatient): DeadLetterInput {
  offset += 1;
  const his = { ipt_no: 'ZY1', mdtrt_cert_no: p.certno, psn_name: p.psn_name, tel: p.mobile, brdy: p.brdy };
  return {
    topic: 'his.inpatient',
    partition: 0,
    offset: String(offset),
    key: Buffer.from('ZY1'),
    value: Buffer.from(JSON.stringify(his)),
    headers: {},
    groupId: 'admission',
    reason: `参保人${p.psn_name}证件号${p.certno}不存在，联系电话${p.mobileWritten}`,
    attempts: 0,
    failedAt: new Date(),
  };
}

/** The dead letter as DeadLetters reads it off its topic: only the location of the kept payload matters here. */
const pointingAt = (location: string) => ({ payloadLocation: location }) as DeadLetter;

describe('kept dead-letter payloads at rest (real PostgreSQL)', () => {
  let schema: TestSchema;
  let dataSource: DataSource;
  let store: EventStore;
  let pool: Pool;
  const kafka = testKafka();

  beforeAll(async () => {
    schema = await createTestSchema('dlq_sealing');
    dataSource = createEventStoreDataSource({ databaseUrl: schema.databaseUrl, schema: schema.schema });
    await runEventStoreMigrations(dataSource);
    store = new EventStore(dataSource);
    pool = new Pool({ connectionString: schema.databaseUrl, max: 2 });
  });
  afterAll(async () => {
    await pool.end();
    await dataSource.destroy();
    await schema.drop();
  });

  const raw = async (location: string) => {
    const id = location.slice(location.lastIndexOf('/') + 1);
    const [row] = await dataSource.query(
      `SELECT encode(payload, 'escape') AS payload, reason FROM "${schema.schema}".dead_letter_payloads WHERE id = $1`,
      [id],
    );
    return row as { payload: string; reason: string };
  };

  it('keeps no identifier in clear, and the dead-letter desk reads the payload back (property)', async () => {
    const payloads = new DeadLetterPayloads(store, keyring(K1));
    const desk = new DeadLetters(kafka, pool, schema.schema, keyring(K1));
    await fc.assert(
      fc.asyncProperty(patientArbitrary, async (p) => {
        const deadLetter = refused(p);
        const location = await payloads.keep(deadLetter);
        const row = await raw(location);
        const values = [...identifierValues(p), p.brdy];
        expect(values.filter((v) => row.payload.includes(v))).toEqual([]);
        // The reason is reduced: ID and mobile numbers masked (the name is in the dead letter's header only).
        expect([p.certno, p.mobileWritten].filter((v) => row.reason.includes(v))).toEqual([]);
        expect(await desk.payloadOf(pointingAt(location))).toEqual(deadLetter.value);
      }),
      { numRuns: RUNS },
    );
  });

  it('reads payloads kept clear before keys and under a rotated key; a missing key is a clear error', async () => {
    const [p] = fc.sample(patientArbitrary, 1);
    const clear = refused(p!);
    const underK1 = refused(p!);
    const clearAt = await new DeadLetterPayloads(store, Keyring.CLEAR).keep(clear);
    const k1At = await new DeadLetterPayloads(store, keyring(K1)).keep(underK1);
    expect((await raw(clearAt)).payload).toContain(p!.certno);
    const rotated = new DeadLetters(kafka, pool, schema.schema, keyring(`${K2},${K1}`));
    expect(await rotated.payloadOf(pointingAt(clearAt))).toEqual(clear.value);
    expect(await rotated.payloadOf(pointingAt(k1At))).toEqual(underK1.value);
    const withoutK1 = new DeadLetters(kafka, pool, schema.schema, keyring(K2));
    await expect(withoutK1.payloadOf(pointingAt(k1At))).rejects.toBeInstanceOf(SealedValueError);
    await expect(withoutK1.payloadOf(pointingAt(k1At))).rejects.toThrow(
      /"k1", which NHSA_JOURNAL_KEYS lacks/,
    );

    // The retention pass's reseal moves clear and old-key payloads to the new key; then K1 can go.
    const resealing = new DeadLetterPayloads(store, keyring(`${K2},${K1}`));
    expect(await resealing.reseal(1_000)).toBeGreaterThanOrEqual(2);
    expect(await resealing.reseal(1_000)).toBe(0);
    expect((await raw(clearAt)).payload).not.toContain(p!.certno);
    expect(await withoutK1.payloadOf(pointingAt(clearAt))).toEqual(clear.value);
    expect(await withoutK1.payloadOf(pointingAt(k1At))).toEqual(underK1.value);
  });
});
