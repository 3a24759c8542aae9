import { randomBytes, randomUUID } from 'node:crypto';
import { createTestSchema, type TestSchema } from '@yb/testing';
import { type DataSource } from 'typeorm';
import { type RequestEnvelope } from '../src/envelope';
import { ConfigError, Keyring } from '@yb/sealing';
import { PlatformCallJournal } from '../src/journal/platform-call-journal';
import { journalDataSource } from './journal-data-source';

const key = () => randomBytes(32).toString('base64');
const K1 = `k1:${key()}`;
const K2 = `k2:${key()}`;
const CERTNO = '420102198001011234';
const NAME = '张三丰';

function request(msgid: string): RequestEnvelope {
  return {
    infno: '2401',
    msgid,
    mdtrtarea_admvs: '420100',
    insuplc_admdvs: '420102',
    recer_sys_code: 'YBXT',
    dev_no: '',
    dev_safe_info: '',
    cainfo: '',
    signtype: '',
    infver: 'V1.0',
    opter_type: '1',
    opter: 'op01',
    opter_name: '张收费',
    inf_time: '2026-01-02 09:00:00',
    fixmedins_code: 'H42010200001',
    fixmedins_name: '武汉测试医院',
    sign_no: 'S1',
    input: { mdtrtinfo: { mdtrt_cert_no: CERTNO, psn_name: NAME, brdy: '1980-01-01', tel: '13812345678' } },
  };
}

describe("Keyring (the journal's)", () => {
  it('reads NHSA_JOURNAL_KEYS: the first key seals, each opens; refuses a key that is not 32 bytes', () => {
    const cipher = Keyring.fromEnv('NHSA_JOURNAL_KEYS', { NHSA_JOURNAL_KEYS: `${K2},${K1}` });
    expect(cipher.activeKeyId).toBe('k2');
    expect(Keyring.fromEnv('NHSA_JOURNAL_KEYS', {}).sealing).toBe(false);
    for (const wrong of ['k1:c2hvcnQ=', 'no-colon', `${K1},${K1}`, `bad id!:${key()}`]) {
      expect(() => Keyring.fromEnv('NHSA_JOURNAL_KEYS', { NHSA_JOURNAL_KEYS: wrong })).toThrow(ConfigError);
    }
  });

  it('seals to AES-GCM bound to its row and column, and passes clear values through', () => {
    const cipher = Keyring.fromEnv('NHSA_JOURNAL_KEYS', { NHSA_JOURNAL_KEYS: K1 });
    const sealed = cipher.seal({ certno: CERTNO }, 'M1:request');
    expect(JSON.stringify(sealed)).not.toContain(CERTNO);
    expect(cipher.open(sealed, 'M1:request')).toEqual({ certno: CERTNO });
    expect(() => cipher.open(sealed, 'M2:request')).toThrow();
    expect(() => cipher.open(sealed, 'M1:response')).toThrow();
    expect(cipher.open({ certno: CERTNO }, 'M1:request')).toEqual({ certno: CERTNO });
    expect(() =>
      Keyring.fromEnv('NHSA_JOURNAL_KEYS', { NHSA_JOURNAL_KEYS: K2 }).open(sealed, 'M1:request'),
    ).toThrow(/key "k1", which NHSA_JOURNAL_KEYS lacks/);
  });
});

describe('the platform call journal at rest (PostgreSQL)', () => {
  let schema: TestSchema;
  let dataSource: DataSource;
  const table = () => `"${schema.schema}".platform_call_journal`;
  const rawRow = async (msgid: string) =>
    (
      await dataSource.query(`SELECT row_to_json(j)::text AS text FROM ${table()} j WHERE msgid = $1`, [
        msgid,
      ])
    )[0].text as string;

  beforeAll(async () => {
    schema = await createTestSchema('journal_sealing');
    dataSource = await journalDataSource(schema, 2);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await schema?.drop();
  });

  const record = async (journal: PlatformCallJournal, msgid: string) => {
    await journal.recordPending({
      msgid,
      callId: randomUUID(),
      attempt: 1,
      infno: '2401',
      psn_no: 'P1',
      visitKey: 'ZY1',
      requestKey: undefined,
      request: request(msgid),
    });
    await journal.recordOutcome(msgid, {
      status: 'SUCCEEDED',
      infcode: 0,
      response: { infcode: 0, output: { result: { psn_name: NAME, certno: CERTNO } } },
    } as never);
  };

  it('stores no identifier of the request or the answer in clear, and reads them back', async () => {
    const journal = new PlatformCallJournal(
      dataSource,
      Keyring.fromEnv('NHSA_JOURNAL_KEYS', { NHSA_JOURNAL_KEYS: K1 }),
    );
    await record(journal, 'M-SEALED-1');
    const stored = await rawRow('M-SEALED-1');
    for (const identifier of [CERTNO, NAME, '1980-01-01', '13812345678'])
      expect(stored).not.toContain(identifier);
    const row = (await journal.find('M-SEALED-1'))!;
    expect(row.request.input).toEqual(request('M-SEALED-1').input);
    expect(row.response!.output).toEqual({ result: { psn_name: NAME, certno: CERTNO } });
    expect((await journal.forVisit('ZY1')).map((r) => r.request.insuplc_admdvs)).toEqual(['420102']);
  });

  it('does not open a sealed answer copied onto another row', async () => {
    const journal = new PlatformCallJournal(
      dataSource,
      Keyring.fromEnv('NHSA_JOURNAL_KEYS', { NHSA_JOURNAL_KEYS: K1 }),
    );
    await record(journal, 'M-COPY-FROM');
    await record(journal, 'M-COPY-TO');
    await dataSource.query(
      `UPDATE ${table()} SET response = (SELECT response FROM ${table()} WHERE msgid = 'M-COPY-FROM')
       WHERE msgid = 'M-COPY-TO'`,
    );
    await expect(journal.find('M-COPY-TO')).rejects.toThrow();
    // Nor is it sealed again by a rotation; it leaves with its row.
    const rotated = new PlatformCallJournal(
      dataSource,
      Keyring.fromEnv('NHSA_JOURNAL_KEYS', { NHSA_JOURNAL_KEYS: `${K2},${K1}` }),
    );
    await rotated.reseal(1000);
    await expect(rotated.find('M-COPY-TO')).rejects.toThrow();
    await dataSource.query(`DELETE FROM ${table()} WHERE msgid LIKE 'M-COPY-%'`);
  });

  it('rotates: a new key first seals again every row clear or under the old key; the old key alone then opens nothing', async () => {
    await record(new PlatformCallJournal(dataSource, Keyring.CLEAR), 'M-CLEAR-1');
    await record(
      new PlatformCallJournal(dataSource, Keyring.fromEnv('NHSA_JOURNAL_KEYS', { NHSA_JOURNAL_KEYS: K1 })),
      'M-K1-1',
    );
    expect(await rawRow('M-CLEAR-1')).toContain(CERTNO);
    const rotated = new PlatformCallJournal(
      dataSource,
      Keyring.fromEnv('NHSA_JOURNAL_KEYS', { NHSA_JOURNAL_KEYS: `${K2},${K1}` }),
    );
    const [{ rows }] = await dataSource.query(
      `SELECT count(*)::int AS rows FROM ${table()} WHERE sealed_with IS DISTINCT FROM 'k2'`,
    );
    expect(rows).toBeGreaterThanOrEqual(2);
    expect(await rotated.reseal(1000)).toBe(rows);
    expect(await rotated.reseal(1000)).toBe(0);
    const kids: { kid: string }[] = await dataSource.query(
      `SELECT DISTINCT request->>'kid' AS kid FROM ${table()} UNION SELECT DISTINCT response->>'kid' FROM ${table()}`,
    );
    expect(kids.map((k) => k.kid)).toEqual(['k2']);
    const named: { sealed_with: string }[] = await dataSource.query(
      `SELECT DISTINCT sealed_with FROM ${table()}`,
    );
    expect(named).toEqual([{ sealed_with: 'k2' }]);
    expect(await rawRow('M-CLEAR-1')).not.toContain(CERTNO);
    expect((await rotated.find('M-CLEAR-1'))!.request.input).toEqual(request('M-CLEAR-1').input);
    expect((await rotated.find('M-K1-1'))!.response!.output).toEqual({
      result: { psn_name: NAME, certno: CERTNO },
    });
    const oldKeyOnly = new PlatformCallJournal(
      dataSource,
      Keyring.fromEnv('NHSA_JOURNAL_KEYS', { NHSA_JOURNAL_KEYS: K1 }),
    );
    await expect(oldKeyOnly.find('M-K1-1')).rejects.toThrow(/key "k2"/);
  });

  it('names no key for a row whose answer was sealed under another key than its request, so rotation finds it', async () => {
    const before = new PlatformCallJournal(
      dataSource,
      Keyring.fromEnv('NHSA_JOURNAL_KEYS', { NHSA_JOURNAL_KEYS: K1 }),
    );
    const after = new PlatformCallJournal(
      dataSource,
      Keyring.fromEnv('NHSA_JOURNAL_KEYS', { NHSA_JOURNAL_KEYS: `${K2},${K1}` }),
    );
    await before.recordPending({
      msgid: 'M-MIXED-1',
      callId: randomUUID(),
      attempt: 1,
      infno: '2401',
      psn_no: 'P1',
      visitKey: 'ZY2',
      requestKey: undefined,
      request: request('M-MIXED-1'),
    });
    await after.recordOutcome('M-MIXED-1', {
      status: 'SUCCEEDED',
      infcode: 0,
      response: { infcode: 0 },
    } as never);
    const sealedWith = async () =>
      (await dataSource.query(`SELECT sealed_with FROM ${table()} WHERE msgid = 'M-MIXED-1'`))[0].sealed_with;
    expect(await sealedWith()).toBeNull();
    await after.reseal(1000);
    expect(await sealedWith()).toBe('k2');
    expect((await after.find('M-MIXED-1'))!.request.input).toEqual(request('M-MIXED-1').input);
  });
});
