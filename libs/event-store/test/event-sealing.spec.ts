import { randomBytes, randomUUID } from 'node:crypto';
import { Keyring, SealedValueError } from '@yb/sealing';
import { identifierValues, patientArbitrary, waitFor, type GeneratedPatient } from '@yb/testing';
import fc from 'fast-check';
import { CommandHandler, EventStore, LOG_START, type Decider } from '../src';
import { openTestEventStore, type TestEventStore } from './support/test-event-store';

const keyring = (text: string) => Keyring.fromEnv('NHSA_JOURNAL_KEYS', { NHSA_JOURNAL_KEYS: text });
const K1 = `k1:${randomBytes(32).toString('base64')}`;
const K2 = `k2:${randomBytes(32).toString('base64')}`;
/** Another key under k1's id: what a deployment with the wrong secret would hold. */
const K1_OTHER = `k1:${randomBytes(32).toString('base64')}`;
const RUNS = 25;

/** A HIS admission as services store it: identifiers at the top, in a nested person and in an array. */
function admission(p: GeneratedPatient) {
  return {
    ipt_no: `ZY${randomUUID().slice(0, 8)}`,
    mdtrt_cert_no: p.certno,
    psn_name: p.psn_name,
    tel: p.mobile,
    insutype: '310',
    person: { psn_no: p.psn_no, brdy: p.brdy, emp_name: p.emp_name },
    contacts: [{ coner_name: p.psn_name, coner_tel: p.mobile }],
  };
}

/** Every value of the patient that must not be found in a stored row. */
const leaks = (text: string, p: GeneratedPatient) =>
  [...identifierValues(p), p.brdy, p.emp_name].filter((value) => text.includes(value));

describe('EventStore sealing of patient identifiers (real PostgreSQL)', () => {
  let t: TestEventStore;
  beforeAll(async () => {
    t = await openTestEventStore('es_sealing');
  });
  afterAll(() => t.close());

  const storeWith = (keys: Keyring) => new EventStore(t.dataSource, { keyring: keys });
  const rawData = async (stream: string): Promise<string[]> =>
    (
      await t.dataSource.query(
        `SELECT data::text AS data FROM ${t.store.tables.events} WHERE stream_id = $1 ORDER BY stream_version`,
        [stream],
      )
    ).map((r: { data: string }) => r.data);

  it('stores no identifier in clear and reads every one back, whatever the patient (property)', async () => {
    const store = storeWith(keyring(K1));
    await fc.assert(
      fc.asyncProperty(patientArbitrary, async (p) => {
        const stream = `visit-${randomUUID()}`;
        const data = admission(p);
        await store.appendToStream(stream, 'no-stream', [{ type: 'PatientAdmitted', data }]);
        const [raw] = await rawData(stream);
        expect(leaks(raw!, p)).toEqual([]);
        // Not an identifier: left clear, so that SQL on it (data->>'ipt_no') still works.
        expect(JSON.parse(raw!)).toMatchObject({ ipt_no: data.ipt_no, insutype: '310' });
        expect((await store.readStream(stream)).map((e) => e.data)).toEqual([data]);
      }),
      { numRuns: RUNS },
    );
  });

  it('opens fields on every read path: readAll, readStreamAndInbox and the command handler', async () => {
    const store = storeWith(keyring(K1));
    const p = fc.sample(patientArbitrary, 1)[0]!;
    const stream = `visit-${randomUUID()}`;
    const data = admission(p);
    const decider: Decider<{ admit: typeof data }, { type: string; data: unknown }, { name: string | null }> =
      {
        initialState: () => ({ name: null }),
        decide: (command) => [{ type: 'PatientAdmitted', data: command.admit }],
        evolve: (_state, event) => ({ name: (event.data as typeof data).psn_name }),
      };
    await new CommandHandler(store, decider, { cacheSize: 0 }).handle(stream, { admit: data });
    expect(leaks((await rawData(stream))[0]!, p)).toEqual([]);
    const read = await storeWith(keyring(K1)).readStreamAndInbox(stream);
    expect(read.events[0]!.data).toEqual(data);
    // readAll sees a transaction once every older one in the cluster has ended: other suites' may still run.
    const logged = await waitFor('the event in the log', async () =>
      (await store.readAll({ after: LOG_START, limit: 10_000 })).find((e) => e.streamId === stream),
    );
    expect(logged.data).toEqual(data);
    const { state } = await new CommandHandler(store, decider, { cacheSize: 0 }).aggregateStream(stream);
    expect(state).toEqual({ name: p.psn_name });
  });

  it('reads rows written clear before keys were configured, and rows sealed under a key since rotated', async () => {
    const p = fc.sample(patientArbitrary, 1)[0]!;
    const stream = `visit-${randomUUID()}`;
    const [clear, underK1, underK2] = [admission(p), admission(p), admission(p)];
    await storeWith(Keyring.CLEAR).appendToStream(stream, 'no-stream', [
      { type: 'PatientAdmitted', data: clear },
    ]);
    await storeWith(keyring(K1)).appendToStream(stream, 1, [{ type: 'PatientAdmitted', data: underK1 }]);
    // Rotation: the new key first, the old one kept for the rows it sealed.
    const rotated = storeWith(keyring(`${K2},${K1}`));
    await rotated.appendToStream(stream, 2, [{ type: 'PatientAdmitted', data: underK2 }]);
    const raw = await rawData(stream);
    expect(raw[0]).toContain(p.certno);
    expect(raw.slice(1).map((r) => JSON.parse(r).mdtrt_cert_no.kid)).toEqual(['k1', 'k2']);
    expect((await rotated.readStream(stream)).map((e) => e.data)).toEqual([clear, underK1, underK2]);
  });

  it('answers a missing or wrong key with a clear error, never with a wrong value', async () => {
    const p = fc.sample(patientArbitrary, 1)[0]!;
    const stream = `visit-${randomUUID()}`;
    await storeWith(keyring(K2)).appendToStream(stream, 'no-stream', [
      { type: 'PatientAdmitted', data: admission(p) },
    ]);
    const missing = storeWith(keyring(K1)).readStream(stream);
    await expect(missing).rejects.toBeInstanceOf(SealedValueError);
    await expect(missing).rejects.toThrow(/sealed under key "k2", which NHSA_JOURNAL_KEYS lacks/);
    await expect(storeWith(Keyring.CLEAR).readStream(stream)).rejects.toThrow(/NHSA_JOURNAL_KEYS lacks/);

    const other = `visit-${randomUUID()}`;
    await storeWith(keyring(K1)).appendToStream(other, 'no-stream', [
      { type: 'PatientAdmitted', data: admission(p) },
    ]);
    await expect(storeWith(keyring(K1_OTHER)).readStream(other)).rejects.toThrow(
      /sealed under key "k1", which does not open with NHSA_JOURNAL_KEYS's key "k1"/,
    );
  });

  it("refuses a sealed value copied into another stream's event", async () => {
    const store = storeWith(keyring(K1));
    const p = fc.sample(patientArbitrary, 1)[0]!;
    const [from, to] = [`visit-${randomUUID()}`, `visit-${randomUUID()}`];
    await store.appendToStream(from, 'no-stream', [{ type: 'PatientAdmitted', data: admission(p) }]);
    await store.appendToStream(to, 'no-stream', [{ type: 'PatientAdmitted', data: { ipt_no: 'X' } }]);
    await t.dataSource.query(
      `UPDATE ${t.store.tables.events} SET data = (SELECT data FROM ${t.store.tables.events} WHERE stream_id = $1)
       WHERE stream_id = $2`,
      [from, to],
    );
    await expect(store.readStream(to)).rejects.toBeInstanceOf(SealedValueError);
    await expect(store.readStream(from)).resolves.toHaveLength(1);
  });
});
