import { trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { type DataSource } from 'typeorm';
import { createTestSchema, type TestSchema } from '@yb/testing';
import { type PlatformClientConfigInput } from '../src/config';
import { PlatformInputError } from '../src/interfaces';
import { PlatformCallRecord } from '../src/journal/platform-call-record.entity';
import { PlatformCallJournal } from '../src/journal/platform-call-journal';
import { type RequestEnvelope } from '../src/envelope';
import { PlatformClient } from '../src/platform-client';
import { PlatformReversalError } from '../src/errors';
import { journalDataSource } from './journal-data-source';
import { admissionInput, scriptedPlatform, testClientConfig } from './client-test-kit';
import { type ScriptedPlatform } from './scripted-platform';

const spans = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));

const PSN_NO = '42000000000000000777';
const CERTNO = '420102199001011234';
const PATIENT = '王小明';

const admission = (ipt_no: string) =>
  admissionInput(ipt_no, { psn_no: PSN_NO, mdtrt_cert_no: CERTNO, coner_name: PATIENT });
const feeRevocation = { data: { mdtrt_id: 'M-1', psn_no: PSN_NO, feedetl_sn: '0000' } };

describe('PlatformClient against a scripted platform and PostgreSQL', () => {
  let schema: TestSchema;
  let dataSource: DataSource;
  let platform: ScriptedPlatform;
  let baseUrl: string;
  let now = new Date('2026-01-02T01:00:00Z');
  const clients: PlatformClient[] = [];

  function newClient(overrides: Partial<PlatformClientConfigInput> = {}) {
    const config = testClientConfig(baseUrl, schema.schema, {
      // Long enough for SM2 signing and verification on both sides on a busy CI machine; the timeout cases wait it out.
      callPolicies: { '2401': { timeoutMs: 3000, maxAttempts: 2 }, '2302': { timeoutMs: 3000 } },
      ...overrides,
    });
    const client = new PlatformClient({ config, dataSource, now: () => now });
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    schema = await createTestSchema('pclient');
    dataSource = await journalDataSource(schema);
  });

  beforeEach(async () => {
    platform = scriptedPlatform();
    baseUrl = await platform.start();
    spans.reset();
  });

  afterEach(async () => {
    await platform.close();
  });

  afterAll(async () => {
    await dataSource.destroy();
    await schema.drop();
  });

  // Read through the journal: its request and answer columns are sealed at rest (NHSA_JOURNAL_KEYS).
  const journal = async (msgid: string) => (await new PlatformCallJournal(dataSource).find(msgid))!;

  it('signs in once, sends a complete signed and encrypted envelope, journals SUCCEEDED, and signs out', async () => {
    const client = newClient();
    await client.start();
    platform.script('2401', { kind: 'ok', output: { result: { mdtrt_id: 'MDTRT-1' } } });
    const result = await client.call('2401', admission('IPT-1'), {
      visitKey: 'IPT-1',
      insuplc_admdvs: '420200',
    });

    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      infcode: 0,
      output: { result: { mdtrt_id: 'MDTRT-1' } },
    });
    const [signIn] = platform.requestsFor('9001');
    expect(signIn!.envelope.input).toEqual({ signIn: { opter_no: 'op01', ip: '10.0.0.1' } });
    const [sent] = platform.requestsFor('2401');
    expect(sent!.envelope).toMatchObject({
      infno: '2401',
      msgid: result.msgid,
      mdtrtarea_admvs: '420100',
      insuplc_admdvs: '420200',
      sign_no: 'SIGN-1',
      signtype: 'SM2',
      inf_time: '2026-01-02 09:00:00',
      fixmedins_code: 'H42010200001',
      input: admission('IPT-1'),
    });
    expect(result.msgid).toMatch(/^H4201020000120260102090000\d{4}$/);
    expect(platform.received.every((r) => r.gatewayVerified)).toBe(true);

    const row = await journal(result.msgid);
    expect(row).toMatchObject({
      status: 'SUCCEEDED',
      infcode: 0,
      infno: '2401',
      psn_no: PSN_NO,
      visitKey: 'IPT-1',
      attempt: 1,
    });
    expect(row.request.input).toEqual(admission('IPT-1'));

    await client.stop();
    expect(platform.requestsFor('9002').map((r) => r.envelope.input)).toEqual([
      { signOut: { sign_no: 'SIGN-1', opter_no: 'op01' } },
    ]);
  });

  it('emits one span per call with codes and ids only, never patient identifiers', async () => {
    const client = newClient();
    platform.script('2401', { kind: 'ok', output: { result: { mdtrt_id: 'MDTRT-2' } } });
    const result = await client.call('2401', admission('IPT-2'), {
      visitKey: 'IPT-2',
      insuplc_admdvs: '420200',
    });
    const span = spans.getFinishedSpans().find((s) => s.name === 'platform.call 2401');
    expect(span?.attributes).toMatchObject({
      'nhsa.infno': '2401',
      'nhsa.msgid': result.msgid,
      'nhsa.infcode': 0,
      'nhsa.outcome': 'SUCCEEDED',
    });
    expect(typeof span?.attributes['nhsa.duration_ms']).toBe('number');
    const everything = JSON.stringify(
      spans.getFinishedSpans().map((s) => [s.name, s.attributes, s.events, s.status]),
    );
    for (const secret of [PSN_NO, CERTNO, PATIENT]) expect(everything).not.toContain(secret);
  });

  it('keeps err_msg of a business refusal (infcode -1) as REJECTED, and does not resend it', async () => {
    const client = newClient();
    platform.script('2302', { kind: 'reject', err_msg: 'FSI-费用明细不存在' });
    const result = await client.call('2302', feeRevocation, { visitKey: 'IPT-3', insuplc_admdvs: '420200' });
    expect(result).toMatchObject({
      status: 'REJECTED',
      infcode: -1,
      err_msg: 'FSI-费用明细不存在',
      attempts: 1,
    });
    expect(await journal(result.msgid)).toMatchObject({
      status: 'REJECTED',
      infcode: -1,
      err_msg: 'FSI-费用明细不存在',
    });
  });

  it.each([
    ['a timeout', { kind: 'timeout' as const }, /timeout/],
    ['a connection reset', { kind: 'reset' as const }, /connection/],
    ['HTTP 502', { kind: 'http' as const, status: 502, body: 'Bad Gateway' }, /HTTP 502/],
    ['garbage', { kind: 'http' as const, status: 200, body: '<html>维护中</html>' }, /not JSON/],
    ['a bad SM2 signature', { kind: 'bad-signature' as const }, /unverifiable/],
  ])('records %s as UNKNOWN and does not resend a call 2601 cannot reverse', async (_what, reply, reason) => {
    const client = newClient();
    platform.script('2302', reply);
    const result = await client.call('2302', feeRevocation, { visitKey: 'IPT-4', insuplc_admdvs: '420200' });
    expect(result).toMatchObject({ status: 'UNKNOWN', reason: expect.stringMatching(reason) });
    expect(platform.requestsFor('2302')).toHaveLength(1);
    expect(await journal(result.msgid)).toMatchObject({
      status: 'UNKNOWN',
      unknownReason: expect.stringMatching(reason),
    });
  });

  it('reverses an UNKNOWN reversible call with 2601 before resending it with a new msgid', async () => {
    const client = newClient();
    platform.script('2401', { kind: 'timeout' }, { kind: 'ok', output: { result: { mdtrt_id: 'MDTRT-5' } } });
    const result = await client.call('2401', admission('IPT-5'), {
      visitKey: 'IPT-5',
      insuplc_admdvs: '420200',
    });

    expect(result).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
    const [first, second] = platform.requestsFor('2401');
    const [reversal] = platform.requestsFor('2601');
    expect(reversal!.envelope).toMatchObject({
      insuplc_admdvs: '420200',
      input: { data: { psn_no: PSN_NO, omsgid: first!.envelope.msgid, oinfno: '2401' } },
    });
    expect(second!.envelope.msgid).not.toBe(first!.envelope.msgid);
    expect(await journal(first!.envelope.msgid)).toMatchObject({
      status: 'REVERSED',
      reversalMsgid: reversal!.envelope.msgid,
    });
    expect(await journal(second!.envelope.msgid)).toMatchObject({ status: 'SUCCEEDED', attempt: 2 });
  });

  it('records a refused reversal on the original call and stops there', async () => {
    const client = newClient({ callPolicies: { '2401': { timeoutMs: 3000 } } });
    platform.script('2401', { kind: 'http', status: 503, body: '' });
    const unknown = await client.call('2401', admission('IPT-6'), {
      visitKey: 'IPT-6',
      insuplc_admdvs: '420200',
    });
    expect(unknown.status).toBe('UNKNOWN');

    const refusal = 'FSI-调用业务基础子系统冲正失败:冲正的结算信息退费结算标志不为未退费，不能办理冲正交易';
    platform.script('2601', { kind: 'reject', err_msg: refusal });
    const reversal = await client.reverse(unknown.msgid);
    expect(reversal).toMatchObject({ status: 'REVERSAL_REFUSED', err_msg: refusal });
    expect(await journal(unknown.msgid)).toMatchObject({
      status: 'REVERSAL_REFUSED',
      reversalErrMsg: refusal,
      reversalMsgid: reversal.reversalMsgid,
    });
    expect(await journal(reversal.reversalMsgid)).toMatchObject({ infno: '2601', status: 'REJECTED' });
    // Asked again (a caller that died before recording the answer): the recorded answer, no second 2601.
    await expect(client.reverse(unknown.msgid)).resolves.toEqual(reversal);
    expect(platform.requestsFor('2601')).toHaveLength(1);
  });

  it('answers a request key it already sent from the journal: the same answer, nothing sent twice', async () => {
    const client = newClient();
    platform.script('2401', { kind: 'ok', output: { result: { mdtrt_id: 'MDTRT-K1' } } });
    const options = { visitKey: 'IPT-K1', insuplc_admdvs: '420200', requestKey: 'visit-IPT-K1#1' };
    const first = await client.call('2401', admission('IPT-K1'), options);
    const again = await client.call('2401', admission('IPT-K1'), options);

    expect(first).toMatchObject({ status: 'SUCCEEDED', output: { result: { mdtrt_id: 'MDTRT-K1' } } });
    expect(again).toEqual(first);
    expect(platform.requestsFor('2401')).toHaveLength(1);
    platform.script('2401', { kind: 'reject', err_msg: '该参保人存在未结算的住院登记信息' });
    const next = await client.call('2401', admission('IPT-K1'), { ...options, requestKey: 'visit-IPT-K1#2' });
    expect(next).toMatchObject({ status: 'REJECTED', err_msg: '该参保人存在未结算的住院登记信息' });
    expect(
      await client.call('2401', admission('IPT-K1'), { ...options, requestKey: 'visit-IPT-K1#2' }),
    ).toEqual(next);
    expect(platform.requestsFor('2401')).toHaveLength(2);
  });

  it('never turns an applied answer into an error: a 2304 lacking setl_id is APPLIED_UNREADABLE, first and on replay', async () => {
    const client = newClient();
    const settlement = {
      data: {
        psn_no: PSN_NO,
        mdtrt_cert_type: '02',
        mdtrt_cert_no: CERTNO,
        medfee_sumamt: '100.00',
        psn_setlway: '01',
        mdtrt_id: 'M-1',
        acct_used_flag: '0',
        insutype: '310',
        mid_setl_flag: '0',
      },
    };
    // The platform settled (infcode 0) but its answer has no setl_id: what a real answer did to our schema.
    const raw = {
      setlinfo: { mdtrt_id: 'M-1', medfee_sumamt: 100, fund_pay_sumamt: '80.00' },
      setldetail: [],
    };
    platform.script('2304', { kind: 'ok', output: raw });
    const options = { visitKey: 'IPT-U1', insuplc_admdvs: '420200', requestKey: 'setl-IPT-U1:SETTLEMENT:1' };
    const first = await client.call('2304', settlement, options);

    expect(first).toMatchObject({ status: 'APPLIED_UNREADABLE', infcode: 0, output: raw });
    expect(first.status === 'APPLIED_UNREADABLE' && first.problems.map((p) => p.field)).toContain(
      'setlinfo.setl_id',
    );
    const row = await journal(first.msgid);
    expect(row).toMatchObject({ status: 'SUCCEEDED', infcode: 0 });
    expect(row.response?.output).toEqual(raw);
    // A redelivery asks again under the same key: the recorded outcome, never an exception nor a second 2304.
    await expect(client.call('2304', settlement, options)).resolves.toEqual(first);
    expect(platform.requestsFor('2304')).toHaveLength(1);
  });

  it('answers an attempt a dead process left PENDING as UNKNOWN, without sending, so the caller reverses it', async () => {
    const client = newClient();
    await client.start();
    const msgid = 'H42010200001202601020900009999';
    await new PlatformCallJournal(dataSource).recordPending({
      msgid,
      callId: '00000000-0000-4000-8000-000000000001',
      attempt: 1,
      infno: '2401',
      psn_no: PSN_NO,
      visitKey: 'IPT-K2',
      requestKey: 'visit-IPT-K2#1',
      request: { infno: '2401', msgid, insuplc_admdvs: '420200' } as unknown as RequestEnvelope,
    });

    const result = await client.call('2401', admission('IPT-K2'), {
      visitKey: 'IPT-K2',
      insuplc_admdvs: '420200',
      requestKey: 'visit-IPT-K2#1',
    });
    expect(result).toMatchObject({ status: 'UNKNOWN', msgid, reason: expect.stringMatching(/interrupted/) });
    expect(platform.requestsFor('2401')).toHaveLength(0);
    expect(await journal(msgid)).toMatchObject({ status: 'UNKNOWN' });
  });

  it('refuses to reverse an interface 2601 cannot reverse, naming it', async () => {
    const client = newClient();
    platform.script('2302', { kind: 'timeout' });
    const result = await client.call('2302', feeRevocation, { visitKey: 'IPT-7', insuplc_admdvs: '420200' });
    await expect(client.reverse(result.msgid)).rejects.toThrow(PlatformReversalError);
    await expect(client.reverse(result.msgid)).rejects.toThrow(/2302 is not reversible by 2601/);
    expect(platform.requestsFor('2601')).toHaveLength(0);
  });

  it('signs in again and resends when the platform asks for a sign-in, and on a new Shanghai day', async () => {
    const client = newClient();
    platform.script(
      '2302',
      { kind: 'reject', err_msg: '签到编码为空，请先去签到' },
      { kind: 'ok' },
      { kind: 'ok' },
    );
    const result = await client.call('2302', feeRevocation, { visitKey: 'IPT-8', insuplc_admdvs: '420200' });
    expect(result).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
    expect(platform.requestsFor('2302').map((r) => r.envelope.sign_no)).toEqual(['SIGN-1', 'SIGN-2']);

    now = new Date('2026-01-02T16:00:01Z'); // 2026-01-03 00:00:01 in Shanghai
    await client.call('2302', feeRevocation, { visitKey: 'IPT-8', insuplc_admdvs: '420200' });
    expect(platform.requestsFor('9001')).toHaveLength(3);
    expect(platform.requestsFor('2302').at(-1)!.envelope.sign_no).toBe('SIGN-3');
    now = new Date('2026-01-02T01:00:00Z');
  });

  it('refuses bad input before anything is journaled or sent', async () => {
    const client = newClient();
    const bad = { data: { mdtrt_id: 'M-1', psn_no: PSN_NO } };
    await expect(client.call('2302', bad, { visitKey: 'IPT-9', insuplc_admdvs: '420200' })).rejects.toThrow(
      PlatformInputError,
    );
    await expect(client.call('2302', feeRevocation, { visitKey: 'IPT-9' })).rejects.toThrow(/insuplc_admdvs/);
    expect(platform.requestsFor('2302')).toHaveLength(0);
  });

  it('uses the per-service path map when configured', async () => {
    const client = newClient({ endpointMode: 'per-service' });
    platform.script('2302', { kind: 'ok' });
    await client.call('2302', feeRevocation, { visitKey: 'IPT-10', insuplc_admdvs: '420200' });
    expect(platform.requestsFor('9001')[0]!.path).toBe('/fsi/api/signInSignOutService/signIn');
    expect(platform.requestsFor('2302')[0]!.path).toBe('/fsi/api/hospFeeDtlService/feeDtlCl');
  });

  it('recovers after a crash: reversible calls by 2601, others through the resolver', async () => {
    const crashed = newClient();
    // Calls a crashed process left behind: one PENDING (never answered), one UNKNOWN.
    platform.script('2401', { kind: 'timeout' }, { kind: 'timeout' });
    platform.script('2302', { kind: 'reset' });
    const lostAdmission = await crashed.call('2401', admission('IPT-11'), {
      visitKey: 'IPT-11',
      insuplc_admdvs: '420200',
    });
    const lostRevocation = await crashed.call('2302', feeRevocation, {
      visitKey: 'IPT-11',
      insuplc_admdvs: '420200',
    });
    // The first 2401 attempt was reversed and resent (timeout again); put it back as the crash left it.
    await dataSource
      .getRepository(PlatformCallRecord)
      .update({ msgid: lostAdmission.msgid }, { status: 'PENDING' });

    const restarted = newClient();
    const seen: string[] = [];
    const report = await restarted.recover(
      async (call) => {
        seen.push(`${call.infno}:${call.status}`);
        return { outcome: 'NOT_APPLIED', note: 'queried 5205: no such fee detail' };
      },
      { staleAfterMs: 0 },
    );

    expect(report).toEqual(
      expect.arrayContaining([
        { msgid: lostAdmission.msgid, infno: '2401', action: 'reversal', result: 'REVERSED' },
        { msgid: lostRevocation.msgid, infno: '2302', action: 'resolver', result: 'RESOLVED' },
      ]),
    );
    expect(seen).toContain('2302:UNKNOWN');
    expect(await journal(lostAdmission.msgid)).toMatchObject({ status: 'REVERSED' });
    expect(await journal(lostRevocation.msgid)).toMatchObject({
      status: 'RESOLVED',
      resolution: { outcome: 'NOT_APPLIED', note: 'queried 5205: no such fee detail' },
    });
    expect(await restarted.recover(async () => ({ outcome: 'APPLIED' }), { staleAfterMs: 0 })).toEqual([]);
  });
});
