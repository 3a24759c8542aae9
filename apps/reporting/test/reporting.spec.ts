import {
  commandTopic,
  createEnvelope,
  dlqTopic,
  DeadLetterHeaders,
  parseMessage,
  type MessageOf,
  type MessageType,
} from '@yb/contracts';
import { deadLetterPayload, KafkaPublisher, openEnvelope } from '@yb/messaging';
import {
  createTestSchema,
  HospitalServices,
  testKafka,
  uniqueName,
  withClient,
  waitFor,
  type TestSchema,
} from '@yb/testing';
import { type Consumer } from 'kafkajs';
import { clinicalRecords } from '../src/report/report.test-kit';
import { PlatformSettlements } from './support/platform-settlement';

interface SimReport {
  infno: string;
  msgid: string;
  key: string;
  mdtrt_id?: string;
  vali_flag: string;
  setl_list_id?: string;
  stas_type?: string;
  withdrawnByMsgid?: string;
}
type Result = ReturnType<typeof parseMessage>;

const OPERATOR = { username: 'li.bingan', role: 'operator' as const };
const CLINICAL_INFNOS = ['4401', '4402', '4501', '4502', '4503', '4504', '4505', '4506'];
const WAIT = { timeoutMs: 60_000 };

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

describe('reporting service (real Kafka, PostgreSQL and the platform simulator)', () => {
  let hospital: HospitalServices;
  let msgids: TestSchema;
  /** reporting's own schema, to read its event streams. */
  let serviceSchema: TestSchema;
  let settlements: PlatformSettlements;
  let publisher: KafkaPublisher;
  let reader: Consumer;
  const results: Result[] = [];
  const deadLetters: { reason: string; value: string }[] = [];
  let visitNo = 0;

  beforeAll(async () => {
    msgids = await createTestSchema('reporting_msgids');
    serviceSchema = await createTestSchema('reporting_service');
    hospital = await HospitalServices.start({
      label: 'reporting',
      services: ['reporting'],
      env: { NHSA_MSGID_SCHEMA: msgids.schema, OTEL_SDK_DISABLED: 'true' },
      serviceEnv: {
        reporting: {
          // A scheduled run every two seconds, looked for four times a second.
          SERVICE_SCHEMA: serviceSchema.schema,
          REPORTING_CRON: '*/2 * * * * *',
          REPORTING_RETRY_BACKOFF_MS: '500',
          // 4502 and 4102 answer late in one test each: their calls give up sooner than the simulator's hold.
          NHSA_CALL_POLICIES: JSON.stringify({ '4502': { timeoutMs: 1500 }, '4102': { timeoutMs: 1500 } }),
          REPORTING_SCHEDULE_CHECK_MS: '250',
          REPORTING_BILL_CODE: '42010024',
          REPORTING_HI_PAYMTD: JSON.stringify({ '*': '4' }),
          REPORTING_FILL_DEPT: '病案室',
          REPORTING_FILL_PSN: '赵填报',
        },
      },
    });
    settlements = await PlatformSettlements.start(hospital.sim.url, msgids.schema);
    const kafka = testKafka();
    publisher = new KafkaPublisher(kafka);
    await publisher.connect();
    reader = kafka.consumer({ groupId: uniqueName('reporting-results'), maxWaitTimeInMs: 250 });
    await reader.connect();
    const commandsDlq = dlqTopic(hospital.topic(commandTopic('reporting')));
    await reader.subscribe({
      topics: [hospital.topics.insuranceInpatient, commandsDlq],
      fromBeginning: true,
    });
    await reader.run({
      eachMessage: async ({ topic, message }) => {
        if (topic === commandsDlq) {
          deadLetters.push({
            reason: message.headers?.[DeadLetterHeaders.reason]?.toString() ?? '',
            value: deadLetterPayload(message)?.toString() ?? '',
          });
        } else {
          results.push(parseMessage(openEnvelope(JSON.parse(message.value!.toString()))));
        }
      },
    });
  }, 180_000);

  afterAll(async () => {
    await reader?.disconnect();
    await publisher?.disconnect();
    await settlements?.stop();
    await hospital?.stop();
    await msgids?.drop();
    await serviceSchema?.drop();
  }, 60_000);

  const ledger = () =>
    hospital.sim.admin<{
      reports: SimReport[];
      messages: { msgid: string; infno: string; infcode: number }[];
    }>('GET', '/sim/ledger');
  const publish = async <T extends MessageType>(
    topic: string,
    type: T,
    data: MessageOf<T>['data'],
    key: string,
  ) => {
    const envelope = createEnvelope({ type, data, schemaVersion: 1, key });
    await publisher.publish(topic, envelope);
    return envelope;
  };
  const resultsOf = <T extends MessageType>(type: T, ipt_no?: string) =>
    results.filter((r) => r.type === type && (ipt_no === undefined || r.key === ipt_no)) as MessageOf<T>[];
  const uploadedOf = (ipt_no: string) => {
    // The relay publishes at least once: the same message may come twice, with the same id.
    const unique = new Map(resultsOf('ReportUploaded', ipt_no).map((m) => [m.id, m]));
    return [...unique.values()];
  };

  /** A new visit settled on the platform; its HIS admission, registration and settlement published. */
  async function settledVisit(options: { registered?: boolean } = {}) {
    visitNo += 1;
    const tag = `${Date.now() % 1_000_000}`.padStart(6, '0') + String(visitNo).padStart(2, '0');
    const ipt_no = `ZY${tag}`;
    const psn_no = `4200000000${tag}`;
    const certno = `42010219800101${String(visitNo).padStart(3, '0')}1`;
    const records = clinicalRecords(ipt_no);
    const { registered, settled } = await settlements.settle({ ipt_no, psn_no, certno });
    const { hisInpatient, insuranceInpatient } = hospital.topics;
    await publish(
      hisInpatient,
      'PatientAdmitted',
      { ...records.admission, psn_no, mdtrt_cert_no: certno, insuplc_admdvs: '420100' },
      ipt_no,
    );
    await publish(
      hisInpatient,
      'SettlementRequested',
      {
        ipt_no,
        mid_setl_flag: '0',
        psn_setlway: '01',
        acct_used_flag: '1',
        medfee_sumamt: settled.medfee_sumamt,
        invono: `FP${tag}`,
      },
      ipt_no,
    );
    const register = () => publish(insuranceInpatient, 'AdmissionRegistered', registered, ipt_no);
    if (options.registered !== false) await register();
    await publish(insuranceInpatient, 'Settled', settled, ipt_no);
    return { ipt_no, psn_no, settled, records, register };
  }

  /** Waits until `n` more scheduled runs have summarised the backlog. */
  async function moreRuns(n: number): Promise<void> {
    const runsSeen = resultsOf('ReportBacklogSummarized').length;
    await waitFor(
      `${n} more runs`,
      () => (resultsOf('ReportBacklogSummarized').length >= runsSeen + n ? true : undefined),
      WAIT,
    );
  }

  /** A settled visit with its clinical records published, once its settlement list (4101A) is uploaded. */
  async function visitWithListUploaded() {
    const visit = await settledVisit();
    await publishClinical(visit.ipt_no, visit.records);
    const list = await waitFor(
      'the 4101A uploaded',
      () => uploadedOf(visit.ipt_no).find((m) => m.data.infno === '4101A'),
      WAIT,
    );
    return { visit, list };
  }

  /** The types of a report stream's events, in order. */
  const listEvents = (streamId: string): Promise<string[]> =>
    withClient(serviceSchema.databaseUrl, (client) =>
      client
        .query(
          `SELECT type FROM "${serviceSchema.schema}".events WHERE stream_id = $1 ORDER BY stream_version`,
          [streamId],
        )
        .then((r) => (r.rows as { type: string }[]).map((row) => row.type)),
    );

  /** The stream ids of a visit's nine reports. */
  function reportStreams(visit: {
    settled: { setl_id: string };
    records: ReturnType<typeof clinicalRecords>;
  }) {
    const r = visit.records;
    return [
      `report-4101A-${visit.settled.setl_id}`,
      `report-4401-${r.homepage.medcasno}`,
      `report-4402-${r.orders.orders[0]!.medcas_drord_detl_id}`,
      `report-4501-${r.exam.rpotc_no}`,
      `report-4502-${r.lab.rpotc_no}`,
      `report-4503-${r.culture.rpotc_no}`,
      `report-4504-${r.sensitivity.rpotc_no}`,
      `report-4505-${r.pathology.palg_no}`,
      `report-4506-${r.unstructured.file_name}`,
    ];
  }

  async function publishClinical(
    ipt_no: string,
    records: ReturnType<typeof clinicalRecords>,
    except: string[] = [],
  ) {
    const topic = hospital.topics.hisClinical;
    const all = {
      MedicalRecordHomepageRecorded: records.homepage,
      MedicalOrdersRecorded: records.orders,
      ExamReportIssued: records.exam,
      LabReportIssued: records.lab,
      BacterialCultureReported: records.culture,
      DrugSensitivityReported: records.sensitivity,
      PathologyReportIssued: records.pathology,
      UnstructuredReportIssued: records.unstructured,
    } as const;
    for (const [type, data] of Object.entries(all)) {
      if (!except.includes(type)) await publish(topic, type as 'ExamReportIssued', data as never, ipt_no);
    }
  }

  it('uploads a settled visit’s 4101A carrying its setl_id, and each clinical record once with vali_flag 1', async () => {
    const visit = await settledVisit();
    await publishClinical(visit.ipt_no, visit.records);

    const uploaded = await waitFor(
      'all nine reports uploaded',
      () => {
        const done = uploadedOf(visit.ipt_no);
        return done.length >= 9 ? done : undefined;
      },
      WAIT,
    );
    const list = uploaded.find((m) => m.data.infno === '4101A')!;
    expect(list.data.report_ref).toBe(visit.settled.setl_id);
    expect(list.data.setl_list_id).toMatch(/^420100QD/);
    expect(uploaded.map((m) => m.data.infno).sort()).toEqual(['4101A', ...CLINICAL_INFNOS].sort());

    const onPlatform = (await ledger()).reports.filter(
      (r) => r.mdtrt_id === visit.settled.mdtrt_id || r.key === visit.settled.setl_id,
    );
    const lists = onPlatform.filter((r) => r.infno === '4101A');
    expect(lists).toEqual([
      expect.objectContaining({
        key: visit.settled.setl_id,
        vali_flag: '1',
        setl_list_id: list.data.setl_list_id,
        msgid: list.data.msgid,
      }),
    ]);
    for (const infno of CLINICAL_INFNOS) {
      expect(onPlatform.filter((r) => r.infno === infno && r.vali_flag === '1')).toHaveLength(1);
    }
  }, 120_000);

  it('keeps a 4101A pending without a discharge diagnosis, says why, and uploads it once the homepage comes', async () => {
    const visit = await settledVisit();
    await publishClinical(visit.ipt_no, visit.records, ['MedicalRecordHomepageRecorded']);

    const pending = await waitFor(
      'the 4101A pending',
      () => resultsOf('ReportPending', visit.ipt_no).find((m) => m.data.infno === '4101A'),
      WAIT,
    );
    expect(pending.data).toMatchObject({
      report_ref: visit.settled.setl_id,
      reason: '病案首页未完成',
      waiting_for: ['diseinfo: 出院诊断 (病案首页)'],
      // Due the configured 7 days after the settlement date.
      due_date: addDays(visit.settled.setl_time.slice(0, 10), 7),
    });
    // A run for the day after the due date counts it as waiting and overdue, with its reason.
    // Keyed by its run date, as the dashboard keys a run (a key naming another day is refused at the edge).
    const run_date = addDays(pending.data.due_date, 1);
    const run = await publish(
      hospital.topic(commandTopic('reporting')),
      'RunReportUploads',
      { run_date, requested_by: OPERATOR },
      run_date,
    );
    const summary = await waitFor(
      'the backlog of that run',
      () => resultsOf('ReportBacklogSummarized').find((m) => m.causationId === run.id),
      WAIT,
    );
    const lists = summary.data.by_infno.find((f) => f.infno === '4101A')!;
    expect(lists.overdue).toBeGreaterThanOrEqual(1);
    expect(lists.reasons).toContainEqual({ reason: '病案首页未完成', count: expect.any(Number) });
    // Prometheus sees the same backlog.
    const metrics = await fetch(`${hospital.service('reporting').ready[1]}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/yb_reporting_reports\{[^}]*infno="4101A"[^}]*state="waiting"[^}]*\} [1-9]/);
    // Its three command handlers' caches, each holding what it served (the visit's facts, its reports, the runs).
    for (const cache of ['report', 'reporting-visit', 'report-runs'])
      expect(metrics).toMatch(new RegExp(`^yb_stream_cache_streams\\{cache="${cache}"[^}]*\\} [1-9]`, 'm'));
    expect((await ledger()).reports.filter((r) => r.key === visit.settled.setl_id)).toEqual([]);

    await publish(
      hospital.topics.hisClinical,
      'MedicalRecordHomepageRecorded',
      visit.records.homepage,
      visit.ipt_no,
    );
    await waitFor(
      'the 4101A uploaded',
      () => uploadedOf(visit.ipt_no).find((m) => m.data.infno === '4101A'),
      WAIT,
    );
    expect((await ledger()).reports.filter((r) => r.key === visit.settled.setl_id)).toHaveLength(1);
  }, 120_000);

  it('retries a refused upload after the HIS corrects it or a person asks, and replaces a corrected record with vali_flag', async () => {
    const refusal = '主要诊断编码不在医保疾病诊断目录内';
    const visit = await settledVisit();
    // Armed for this visit only: another test's upload still under way must not take the refusal.
    const mdtrtId = visit.settled.mdtrt_id;
    await hospital.sim.admin('POST', '/sim/faults', {
      infno: '4401',
      mode: 'reject',
      times: 1,
      errMsg: refusal,
      mdtrtId,
    });
    await hospital.sim.admin('POST', '/sim/faults', {
      infno: '4501',
      mode: 'reject',
      times: 1,
      errMsg: '检查报告格式错误',
      mdtrtId,
    });
    await publishClinical(visit.ipt_no, visit.records);

    const rejected = await waitFor(
      'the 4401 refused',
      () => resultsOf('ReportRejected', visit.ipt_no).find((m) => m.data.infno === '4401'),
      WAIT,
    );
    expect(rejected.data).toMatchObject({ err_msg: refusal, will_retry: false, attempt: 1, infcode: -1 });
    const examRefused = await waitFor(
      'the 4501 refused',
      () => resultsOf('ReportRejected', visit.ipt_no).find((m) => m.data.infno === '4501'),
      WAIT,
    );
    // Several scheduled runs later the refused records are still not sent again: they wait for a correction.
    await moreRuns(3);
    expect(resultsOf('ReportRejected', visit.ipt_no)).toHaveLength(2);
    expect(uploadedOf(visit.ipt_no).filter((m) => ['4401', '4501'].includes(m.data.infno))).toEqual([]);

    // The HIS corrects the homepage: the next run sends it.
    const corrected = {
      ...visit.records.homepage,
      diagnoses: [{ ...visit.records.homepage.diagnoses[0]!, diag_code: 'J18.000', diag_name: '支气管肺炎' }],
    };
    await publish(hospital.topics.hisClinical, 'MedicalRecordHomepageRecorded', corrected, visit.ipt_no);
    await waitFor(
      'the corrected 4401 uploaded',
      () => uploadedOf(visit.ipt_no).find((m) => m.data.infno === '4401'),
      WAIT,
    );

    // The exam report is unchanged: a person asks to upload it again.
    const rerun = await publish(
      hospital.topic(commandTopic('reporting')),
      'RerunReportUpload',
      {
        ipt_no: visit.ipt_no,
        infno: '4501',
        report_ref: examRefused.data.report_ref,
        comment: '平台已修复目录后重传',
        requested_by: OPERATOR,
      },
      visit.ipt_no,
    );
    const examUploaded = await waitFor(
      'the 4501 uploaded after the rerun',
      () => uploadedOf(visit.ipt_no).find((m) => m.data.infno === '4501'),
      WAIT,
    );
    expect(examUploaded.causationId).toBe(rerun.id);

    // A correction of the uploaded exam report: the old record is voided (vali_flag 0), the new one uploaded.
    await publish(
      hospital.topics.hisClinical,
      'ExamReportIssued',
      { ...visit.records.exam, exam_ccls: '右下肺炎症，较前吸收' },
      visit.ipt_no,
    );
    const replacement = await waitFor(
      'the replacement uploaded',
      () => uploadedOf(visit.ipt_no).find((m) => m.data.infno === '4501' && m.data.replaces_msgid),
      WAIT,
    );
    expect(replacement.data.replaces_msgid).toBe(examUploaded.data.msgid);
    const records = (await ledger()).reports.filter(
      (r) => r.infno === '4501' && r.mdtrt_id === visit.settled.mdtrt_id,
    );
    expect(records.map((r) => [r.msgid, r.vali_flag])).toEqual([
      [examUploaded.data.msgid, '0'],
      [replacement.data.msgid, '1'],
    ]);
  }, 150_000);

  it('retries an upload whose answer was lost, and takes the platform’s “already uploaded” as its success', async () => {
    await hospital.sim.admin('POST', '/sim/faults', {
      infno: '4502',
      mode: 'timeout-after-apply',
      latencyMs: 3000,
      times: 1,
    });
    const visit = await settledVisit();
    await publishClinical(visit.ipt_no, visit.records);

    const unknown = await waitFor(
      'the 4502 without an answer',
      () => resultsOf('ReportRejected', visit.ipt_no).find((m) => m.data.infno === '4502'),
      WAIT,
    );
    expect(unknown.data).toMatchObject({ will_retry: true, attempt: 1 });
    expect(unknown.data.err_msg).toMatch(/^结果未知/);
    const uploaded = await waitFor(
      'the 4502 uploaded on a later run',
      () => uploadedOf(visit.ipt_no).find((m) => m.data.infno === '4502'),
      WAIT,
    );
    // The lost call had applied: it is the record, and there is no second one.
    expect(uploaded.data.msgid).toBe(unknown.data.msgid);
    const labs = (await ledger()).reports.filter(
      (r) => r.infno === '4502' && r.mdtrt_id === visit.settled.mdtrt_id,
    );
    expect(labs.map((r) => [r.msgid, r.vali_flag])).toEqual([[unknown.data.msgid, '1']]);
  }, 120_000);

  it('never uploads the 4101A of a settlement cancelled before its list was complete', async () => {
    const visit = await settledVisit();
    await publishClinical(visit.ipt_no, visit.records, ['MedicalRecordHomepageRecorded']);
    await waitFor(
      'the 4101A pending',
      () => resultsOf('ReportPending', visit.ipt_no).find((m) => m.data.infno === '4101A'),
      WAIT,
    );
    const cancelled = await settlements.cancel(visit.settled, visit.psn_no);
    await publish(hospital.topics.insuranceInpatient, 'SettlementCancelled', cancelled, visit.ipt_no);
    await publish(
      hospital.topics.hisClinical,
      'MedicalRecordHomepageRecorded',
      visit.records.homepage,
      visit.ipt_no,
    );
    // The homepage itself (4401) goes up; a few runs later the cancelled settlement still has no list.
    await waitFor(
      'the homepage uploaded',
      () => uploadedOf(visit.ipt_no).find((m) => m.data.infno === '4401'),
      WAIT,
    );
    await moreRuns(2);
    expect(uploadedOf(visit.ipt_no).filter((m) => m.data.infno === '4101A')).toEqual([]);
    expect((await ledger()).reports.filter((r) => r.key === visit.settled.setl_id)).toEqual([]);
  }, 120_000);

  it('withdraws an uploaded list with 4102 when its settlement is cancelled, and says so', async () => {
    const { visit, list: uploaded } = await visitWithListUploaded();
    const cancelled = await settlements.cancel(visit.settled, visit.psn_no);
    await publish(hospital.topics.insuranceInpatient, 'SettlementCancelled', cancelled, visit.ipt_no);

    const withdrawn = await waitFor(
      'the list withdrawn',
      () => resultsOf('ReportWithdrawnFromPlatform', visit.ipt_no).find((m) => m.data.infno === '4101A'),
      WAIT,
    );
    expect(withdrawn.data).toMatchObject({
      report_ref: visit.settled.setl_id,
      withdrawn_msgid: uploaded.data.msgid,
      reason: `结算已撤销 (${cancelled.setl_id})`,
    });
    const current = await ledger();
    // The platform holds the list withdrawn by that 4102, and no other.
    expect(current.reports.filter((r) => r.key === visit.settled.setl_id)).toEqual([
      expect.objectContaining({
        infno: '4101A',
        msgid: uploaded.data.msgid,
        vali_flag: '0',
        withdrawnByMsgid: withdrawn.data.msgid,
      }),
    ]);
    expect(current.messages.find((m) => m.msgid === withdrawn.data.msgid)).toMatchObject({
      infno: '4102',
      infcode: 0,
    });
    // Later runs send nothing more about it.
    await moreRuns(2);
    const calls = (await ledger()).messages.filter((m) => ['4101A', '4102'].includes(m.infno));
    expect(
      calls.filter((m) => m.msgid === withdrawn.data.msgid || m.msgid === uploaded.data.msgid),
    ).toHaveLength(2);
    expect(resultsOf('ReportWithdrawnFromPlatform', visit.ipt_no)).toHaveLength(1);
  }, 120_000);

  it('takes a withdrawal whose answer was lost as applied when the platform says no list stands', async () => {
    const { visit, list: uploaded } = await visitWithListUploaded();
    await hospital.sim.admin('POST', '/sim/faults', {
      infno: '4102',
      mode: 'timeout-after-apply',
      latencyMs: 3000,
      times: 1,
    });
    const before = new Set((await ledger()).messages.map((m) => m.msgid));
    const cancelled = await settlements.cancel(visit.settled, visit.psn_no);
    await publish(hospital.topics.insuranceInpatient, 'SettlementCancelled', cancelled, visit.ipt_no);
    const lost = await waitFor(
      'the 4102 without an answer',
      () => resultsOf('ReportRejected', visit.ipt_no).find((m) => m.data.infno === '4101A'),
      WAIT,
    );
    expect(lost.data).toMatchObject({ will_retry: true });
    const withdrawn = await waitFor(
      'the withdrawal recorded on a later run',
      () => resultsOf('ReportWithdrawnFromPlatform', visit.ipt_no)[0],
      WAIT,
    );
    // The lost 4102 had applied: it is the withdrawal; the repeat changed nothing on the platform.
    expect(withdrawn.data).toMatchObject({ msgid: lost.data.msgid, withdrawn_msgid: uploaded.data.msgid });
    const current = await ledger();
    expect(current.reports.filter((r) => r.key === visit.settled.setl_id)).toEqual([
      expect.objectContaining({ vali_flag: '0', withdrawnByMsgid: lost.data.msgid }),
    ]);
    const repeats = current.messages.filter(
      (m) => m.infno === '4102' && !before.has(m.msgid) && m.msgid !== lost.data.msgid,
    );
    expect(repeats.length).toBeGreaterThan(0);
    expect(repeats.filter((m) => m.infcode === 0)).toEqual([]);
  }, 120_000);

  it('withdraws a corrected list (4102) and uploads it again, replacing the first', async () => {
    const { visit, list: first } = await visitWithListUploaded();
    // The homepage sent again with a change the list does not show (the stay count): looked at, left alone.
    await publish(
      hospital.topics.hisClinical,
      'MedicalRecordHomepageRecorded',
      { ...visit.records.homepage, patn_ipt_cnt: 2 },
      visit.ipt_no,
    );
    const streamId = `report-4101A-${visit.settled.setl_id}`;
    await waitFor(
      'the list rechecked and found unchanged',
      async () => ((await listEvents(streamId)).includes('UploadConfirmed') ? true : undefined),
      WAIT,
    );
    expect((await ledger()).reports.filter((r) => r.key === visit.settled.setl_id)).toHaveLength(1);
    // The 病案室 corrects the homepage's main diagnosis after the list went up.
    await publish(
      hospital.topics.hisClinical,
      'MedicalRecordHomepageRecorded',
      {
        ...visit.records.homepage,
        diagnoses: [
          { ...visit.records.homepage.diagnoses[0]!, diag_code: 'J18.000', diag_name: '支气管肺炎' },
        ],
      },
      visit.ipt_no,
    );
    const second = await waitFor(
      'the corrected list uploaded',
      () => uploadedOf(visit.ipt_no).find((m) => m.data.infno === '4101A' && m.data.replaces_msgid),
      WAIT,
    );
    expect(second.data.replaces_msgid).toBe(first.data.msgid);
    expect(second.data.setl_list_id).not.toBe(first.data.setl_list_id);
    const lists = (await ledger()).reports.filter((r) => r.key === visit.settled.setl_id);
    expect(lists.map((r) => [r.msgid, r.vali_flag, r.stas_type])).toEqual([
      [first.data.msgid, '0', '1'],
      [second.data.msgid, '1', '1'],
    ]);
    // A correction is not a withdrawal for good: nothing says the list left the platform.
    expect(resultsOf('ReportWithdrawnFromPlatform', visit.ipt_no)).toEqual([]);
    // (A run before the homepage came may have noted the list waiting.)
    expect((await listEvents(streamId)).filter((type) => type !== 'ReportWaiting')).toEqual([
      'ReportSourceRecorded',
      'UploadAttempted',
      'UploadAccepted',
      'RecheckRequested',
      'UploadConfirmed',
      'RecheckRequested',
      'UploadAttempted',
      'UploadAccepted',
      'UploadAttempted',
      'UploadAccepted',
    ]);
  }, 120_000);

  it('runs on demand, and dead-letters malformed or impossible commands with the reason', async () => {
    const topic = hospital.topic(commandTopic('reporting'));
    const run = await publish(
      topic,
      'RunReportUploads',
      { run_date: '2024-05-20', requested_by: OPERATOR },
      '2024-05-20',
    );
    const summary = await waitFor(
      'the on-demand run’s backlog',
      () => resultsOf('ReportBacklogSummarized').find((m) => m.causationId === run.id),
      WAIT,
    );
    expect(summary.data.run_date).toBe('2024-05-20');
    expect(summary.key).toBe('2024-05-20');

    const malformed = createEnvelope({
      type: 'RunReportUploads',
      schemaVersion: 1,
      key: 'x',
      data: { run_date: '20/05/2024' },
    });
    await publisher.publishRecords(topic, [
      {
        key: 'x',
        value: JSON.stringify(malformed),
        headers: { 'message-type': 'RunReportUploads', 'schema-version': '1' },
      },
    ]);
    const unknown = await publish(
      topic,
      'RerunReportUpload',
      {
        ipt_no: 'ZY-NONE',
        infno: '4402',
        report_ref: 'NO-SUCH-ORDER',
        comment: '重传',
        requested_by: OPERATOR,
      },
      'ZY-NONE',
    );

    const badShape = await waitFor(
      'the malformed command dead-lettered',
      () => deadLetters.find((d) => d.value.includes(malformed.id)),
      WAIT,
    );
    expect(badShape.reason).toMatch(/run_date|requested_by/);
    const impossible = await waitFor(
      'the rerun of an unknown report dead-lettered',
      () => deadLetters.find((d) => d.value.includes(unknown.id)),
      WAIT,
    );
    expect(impossible.reason).toMatch(/no such report/);
  }, 120_000);

  it('uploads each report of a scheduled run exactly once when the service is killed in the middle', async () => {
    const visits: Awaited<ReturnType<typeof settledVisit>>[] = [];
    // Registrations held back so that the visits' 45 reports become due in the same runs.
    for (let i = 0; i < 5; i++) {
      const visit = await settledVisit({ registered: false });
      await publishClinical(visit.ipt_no, visit.records);
      visits.push(visit);
    }
    // The first pathology upload is held for 2 s by the simulator, then applied: the kill lands while that
    // call is in flight (its attempt recorded, its answer not), and the restart takes longer than the hold.
    await hospital.sim.admin('POST', '/sim/faults', {
      infno: '4505',
      mode: 'latency',
      latencyMs: 2000,
      times: 1,
    });
    for (const visit of visits) await visit.register();
    const mdtrtIds = new Set(visits.map((v) => v.settled.mdtrt_id));
    const setlIds = new Set(visits.map((v) => v.settled.setl_id));
    const ours = (r: SimReport) =>
      (r.mdtrt_id !== undefined && mdtrtIds.has(r.mdtrt_id)) || setlIds.has(r.key);

    await waitFor(
      'the held pathology upload in flight',
      async () => {
        const faults = await hospital.sim.admin<{ infno: string }[]>('GET', '/sim/faults');
        return faults.some((f) => f.infno === '4505') ? undefined : true;
      },
      WAIT,
    );
    const before = (await ledger()).reports.filter(ours).length;
    await hospital.crashAndRestart('reporting');
    expect(before).toBeLessThan(45);

    const onPlatform = await waitFor(
      'all 45 reports on the platform',
      async () => {
        const reports = (await ledger()).reports.filter(ours);
        return reports.length >= 45 ? reports : undefined;
      },
      { timeoutMs: 90_000 },
    );
    // Exactly once: one record per report, all valid (a duplicate would be a second record or a void).
    const keys = onPlatform.map((r) => `${r.infno}/${r.key}`);
    expect(new Set(keys).size).toBe(45);
    expect(onPlatform.every((r) => r.vali_flag === '1')).toBe(true);
    // And each report says so once on insurance.inpatient (one msgid per report).
    await waitFor(
      'every upload published',
      () => (visits.every((v) => uploadedOf(v.ipt_no).length >= 9) ? true : undefined),
      WAIT,
    );
    for (const visit of visits) {
      const byReport = new Map<string, Set<string>>();
      for (const m of uploadedOf(visit.ipt_no)) {
        const key = `${m.data.infno}/${m.data.report_ref}`;
        byReport.set(key, (byReport.get(key) ?? new Set()).add(m.data.msgid));
      }
      expect(byReport.size).toBe(9);
      expect([...byReport.values()].every((msgids) => msgids.size === 1)).toBe(true);
    }
    // In reporting's own streams: one attempt and one acceptance per report. The attempt the kill
    // interrupted was resolved in place after the restart, not attempted a second time.
    const rows: { stream_id: string; type: string; learnt_from: string | null }[] = await withClient(
      serviceSchema.databaseUrl,
      (client) =>
        client
          .query(
            `SELECT stream_id, type, data->>'learnt_from' AS learnt_from FROM "${serviceSchema.schema}".events
            WHERE type IN ('UploadAttempted', 'UploadAccepted') AND stream_id = ANY($1) ORDER BY global_position`,
            [visits.flatMap((v) => reportStreams(v))],
          )
          .then((r) => r.rows as { stream_id: string; type: string; learnt_from: string | null }[]),
    );
    const count = (type: string) => rows.filter((r) => r.type === type).length;
    expect(count('UploadAttempted')).toBe(45);
    expect(count('UploadAccepted')).toBe(45);
    // The held call's attempt was resolved after the restart from the platform's refusal of the repeat.
    const resolved = rows.filter((r) => r.type === 'UploadAccepted' && r.learnt_from !== 'answer');
    expect(resolved).toEqual([
      expect.objectContaining({
        stream_id: expect.stringMatching(/^report-4505-/),
        learnt_from: 'repeat-refused-as-already-applied',
      }),
    ]);
  }, 240_000);
});
