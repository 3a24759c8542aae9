import { type DataOf } from '@yb/contracts';
import { type DashboardTables } from './dashboard-tables';
import { type ApplyContext, type ReadModelHandlers } from './read-model-handlers';
import { type RecordedMessageType } from './recorded-messages';

/** One row of a visit's timeline. */
interface TimelineEntry {
  detail: string;
  saga_id?: string;
  step?: string;
  status?: string;
  attempt?: number;
  infno?: string;
  msgid?: string;
  saga_state?: string;
}

type TimelineEntries = {
  [T in RecordedMessageType]?: (d: DataOf<T>) => TimelineEntry;
};

const cut = (text: string) => text.slice(0, 4000);

/** What each message adds to its visit's timeline (the platform call, its outcome, a readable detail). */
const ENTRIES: TimelineEntries = {
  PatientAdmitted: (d) => ({ detail: `${d.adm_dept_name} ${d.adm_bed}` }),
  AdmissionChanged: (d) => ({ detail: `${d.adm_dept_name} ${d.adm_bed}` }),
  AdmissionCancelled: (d) => ({ detail: d.reason }),
  DischargeRequested: (d) => ({ detail: `${d.dscg_dept_name} ${d.endtime}` }),
  AdmissionRegistered: (d) => ({ infno: '2401', msgid: d.msgid, status: 'SUCCEEDED', detail: d.mdtrt_id }),
  AdmissionChangeRegistered: (d) => ({
    infno: '2403',
    msgid: d.msgid,
    status: 'SUCCEEDED',
    detail: d.mdtrt_id,
  }),
  AdmissionCancellationRegistered: (d) => ({
    infno: '2404',
    msgid: d.msgid,
    status: 'SUCCEEDED',
    detail: d.mdtrt_id,
  }),
  DischargeRegistered: (d) => ({ infno: '2402', msgid: d.msgid, status: 'SUCCEEDED', detail: d.endtime }),
  DischargeUndone: (d) => ({ infno: '2405', msgid: d.msgid, status: 'SUCCEEDED', detail: d.mdtrt_id }),
  PlatformRequestRejected: (d) => ({ infno: d.infno, msgid: d.msgid, status: 'REJECTED', detail: d.err_msg }),
  PlatformAnswerUnreadable: (d) => ({
    infno: d.infno,
    msgid: d.msgid,
    status: 'APPLIED_UNREADABLE',
    detail: `${d.infno} ${d.msgid}: ${d.missing.join('; ')}`,
  }),
  InsuredAreaMissing: (d) => ({ infno: d.held.join(','), status: 'WAITING_FOR_PERSON', detail: d.reason }),
  AdmissionRequestRefused: (d) => ({ infno: d.infno, status: 'REJECTED', detail: d.reason }),
  AdmissionRegistrationReversed: (d) => ({
    infno: '2601',
    msgid: d.reversal_msgid,
    status: 'SUCCEEDED',
    detail: d.reason,
  }),
  AdmissionOutcomeUncertain: (d) => ({ infno: d.infno, msgid: d.msgid, status: 'UNKNOWN', detail: d.reason }),
  FeeLinesUploaded: (d) => ({
    infno: '2301',
    msgid: d.msgid,
    status: 'SUCCEEDED',
    detail: `${d.lines.length}`,
  }),
  FeeLinesRevoked: (d) => ({
    infno: '2302',
    msgid: d.msgid,
    status: 'SUCCEEDED',
    detail: cut(`${d.cause} ${d.feedetl_sns.join(',')}`),
  }),
  FeeLinesRejected: (d) => ({
    infno: d.infno,
    msgid: d.msgid,
    status: 'REJECTED',
    detail: cut(d.lines.map((l) => `${l.feedetl_sn}: ${l.reason}`).join('; ')),
  }),
  FeeTotalsReconciled: (d) => ({
    status: d.agreed ? 'SUCCEEDED' : 'REJECTED',
    detail: `HIS ${d.his_sumamt} / 平台 ${d.platform_sumamt}${d.reason ? ` ${d.reason}` : ''}`,
  }),
  PreSettled: (d) => ({
    infno: '2303',
    msgid: d.msgid,
    status: 'SUCCEEDED',
    detail: `${d.medfee_sumamt} / ${d.fund_pay_sumamt}`,
  }),
  Settled: (d) => ({
    infno: '2304',
    msgid: d.medins_setl_id,
    status: 'SUCCEEDED',
    detail: `${d.setl_id} ${d.medfee_sumamt} / ${d.fund_pay_sumamt}`,
  }),
  SettlementFailed: (d) => ({ step: d.step, status: 'REJECTED', detail: d.reason, saga_state: 'FAILED' }),
  SettlementCompensated: (d) => ({
    infno: d.compensation,
    msgid: d.omsgid,
    step: d.compensation === '2601' ? 'REVERSAL' : 'DISCHARGE_UNDO',
    status: 'SUCCEEDED',
    detail: `${d.oinfno ? `${d.oinfno} ` : ''}${d.reason}`,
  }),
  SettlementCancelled: (d) => ({
    infno: '2305',
    step: 'SETTLEMENT_CANCEL',
    status: 'SUCCEEDED',
    detail: `${d.init_setl_id} → ${d.setl_id} ${d.medfee_sumamt}`,
  }),
  SettlementSagaProgressed: (d) => ({
    saga_id: d.saga_id,
    step: d.step,
    status: d.status,
    attempt: d.attempt,
    infno: d.infno,
    msgid: d.msgid,
    detail: d.detail,
    saga_state: d.saga_state,
  }),
  SettlementCompensationFailed: (d) => ({
    saga_id: d.saga_id,
    infno: d.compensation,
    msgid: d.msgid,
    status: 'REJECTED',
    detail: cut(`${d.platform_answer} — ${d.suggested_action}`),
    saga_state: 'COMPENSATION_FAILED',
  }),
  SettlementRequestRefused: (d) => ({
    saga_id: d.saga_id,
    status: 'REJECTED',
    detail: cut(`${d.request}: ${d.reason}`),
  }),
  AuditFindingsRaised: (d) => ({
    infno: d.infno,
    status: d.findings.some((f) => f.blocking) ? 'WAITING_FOR_PERSON' : 'SUCCEEDED',
    detail: cut(d.findings.map((f) => `${f.rule_name}: ${f.vola_cont}`).join('; ')),
  }),
  AuditFindingAcknowledged: (d) => ({
    status: 'SUCCEEDED',
    detail: `${d.jr_id} ${d.acknowledged_by.username}: ${d.comment}`,
  }),
  SettlementAuditCompleted: (d) => ({
    saga_id: d.saga_id,
    infno: '3102',
    step: d.trig_scen === '9' ? 'PRE_SETTLEMENT_AUDIT' : 'SETTLEMENT_AUDIT',
    status: d.may_proceed ? 'SUCCEEDED' : 'WAITING_FOR_PERSON',
    detail: `${d.outcome}${d.reason ? ` ${d.reason}` : ''}`,
  }),
  AuditUnavailable: (d) => ({ infno: d.infno, status: 'UNKNOWN', attempt: d.attempts, detail: d.reason }),
  AuditAcknowledgementRefused: (d) => ({
    status: 'REJECTED',
    detail: `${d.jr_id} ${d.requested_by.username}: ${d.reason}`,
  }),
  ReportUploaded: (d) => ({ infno: d.infno, msgid: d.msgid, status: 'SUCCEEDED', detail: d.report_ref }),
  ReportPending: (d) => ({ infno: d.infno, status: 'STARTED', detail: `${d.report_ref} ${d.reason}` }),
  ReportRejected: (d) => ({
    infno: d.infno,
    msgid: d.msgid,
    status: 'REJECTED',
    attempt: d.attempt,
    detail: `${d.report_ref} ${d.err_msg}`,
  }),
};

/** Each visit's timeline: one row per message about it, keyed by the message's position (idempotent). */
export function timelineReadModel(t: DashboardTables): ReadModelHandlers {
  const insert = async (x: ApplyContext, ipt_no: string, eventType: string, entry: TimelineEntry) => {
    await x.m.query(
      `INSERT INTO ${t.timeline}
         (position, ipt_no, occurred_at, event_type, saga_id, step, status, attempt, infno, msgid, detail, saga_state)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (position) DO NOTHING`,
      [
        x.position,
        ipt_no,
        x.at,
        eventType,
        entry.saga_id ?? null,
        entry.step ?? null,
        entry.status ?? null,
        entry.attempt ?? null,
        entry.infno ?? null,
        entry.msgid ?? null,
        entry.detail,
        entry.saga_state ?? null,
      ],
    );
    x.changed('timeline', ipt_no);
  };
  return Object.fromEntries(
    Object.entries(ENTRIES).map(([type, entryOf]) => [
      type,
      (d: { ipt_no: string }, x: ApplyContext) =>
        insert(x, d.ipt_no, type, (entryOf as (data: unknown) => TimelineEntry)(d)),
    ]),
  );
}
