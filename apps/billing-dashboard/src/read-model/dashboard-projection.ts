import { type DataOf } from '@yb/contracts';
import { type Projection, type RecordedEvent } from '@yb/event-store';
import { type EntityManager } from 'typeorm';
import { type DashboardTables, readModelTables } from './dashboard-tables';
import {
  OPERATOR_ACTION_REQUESTED,
  RECORDED_MESSAGE_TYPES,
  type OperatorActionRequested,
  type RecordedMessageMetadata,
  type RecordedMessageType,
} from './recorded-messages';

/** The visit states the dashboard shows (its own summary of the services' results). */
export const VISIT_STATES = [
  'ADMITTED',
  'REGISTERED',
  'UNCERTAIN',
  'CANCELLED',
  'DISCHARGE_REQUESTED',
  'DISCHARGED',
  'PRE_SETTLED',
  'SETTLED',
  'SETTLEMENT_FAILED',
  'SETTLEMENT_CANCELLED',
] as const;
export type VisitState = (typeof VISIT_STATES)[number];
/** Still in a bed: admitted and not discharged or cancelled. */
export const IN_HOSPITAL_STATES: readonly VisitState[] = ['ADMITTED', 'REGISTERED', 'UNCERTAIN'];

/** What a committed batch changed, for the live view (no patient identifier: visit ids and read-model names). */
export interface ReadModelChange {
  readonly models: ReadonlySet<string>;
  readonly iptNos: ReadonlySet<string>;
}

type Handlers = {
  [T in RecordedMessageType]: (
    data: DataOf<T>,
    m: EntityManager,
    at: string,
    position: string,
  ) => Promise<void>;
};

/** The HIS's 'yyyy-MM-dd HH:mm:ss' (Beijing time) → its date. */
const dateOf = (platformTime: string) => platformTime.slice(0, 10);

/**
 * Every read model of the dashboard from the recorded messages, in one projection (one checkpoint, one
 * transaction per batch): visits with state and fee totals, settlements with each fund's share, sagas and
 * each visit's timeline, audit findings, reports and their backlog, platform call health, operator actions.
 * Each apply is idempotent per event (the runner applies an event once; timeline rows are keyed by position).
 */
export class DashboardProjection implements Projection {
  readonly name = 'billing-dashboard.read-models';
  readonly eventTypes = [...RECORDED_MESSAGE_TYPES, OPERATOR_ACTION_REQUESTED];
  private changedModels = new Set<string>();
  private changedVisits = new Set<string>();

  constructor(private readonly t: DashboardTables) {}

  async apply(event: RecordedEvent, manager: EntityManager): Promise<void> {
    const metadata = event.metadata as unknown as RecordedMessageMetadata;
    const at = metadata.occurred_at ?? event.recordedAt.toISOString();
    const position = event.position.globalPosition.toString();
    if (event.type === OPERATOR_ACTION_REQUESTED) {
      await this.operatorAction(event.data as OperatorActionRequested, manager, at);
      return;
    }
    const handler = this.handlers[event.type as RecordedMessageType] as (
      data: unknown,
      m: EntityManager,
      at: string,
      position: string,
    ) => Promise<void>;
    await handler(event.data, manager, at, position);
  }

  async reset(manager: EntityManager): Promise<void> {
    await manager.query(`TRUNCATE ${readModelTables(this.t).join(', ')}`);
    this.changed('visits');
  }

  /** The changes applied since the last call (the runner calls it after its batch committed). */
  takeChanges(): ReadModelChange {
    const change = { models: this.changedModels, iptNos: this.changedVisits };
    this.changedModels = new Set();
    this.changedVisits = new Set();
    return change;
  }

  /** Forgets the changes of a batch that was rolled back. */
  discardChanges(): void {
    this.takeChanges();
  }

  private changed(model: string, ipt_no?: string): void {
    this.changedModels.add(model);
    if (ipt_no) this.changedVisits.add(ipt_no);
  }

  /**
   * Creates the visit when its first message arrives (results may overtake the HIS's admission: they come on
   * another topic) and sets `fields`; `state` is set only when given.
   */
  private async visit(
    m: EntityManager,
    ipt_no: string,
    at: string,
    fields: Record<string, unknown> = {},
  ): Promise<void> {
    const { state, ...others } = fields;
    const columns = Object.keys(others);
    const placeholders = columns.map((_, i) => `$${i + 4}`);
    const updates = [...columns, ...(state === undefined ? [] : ['state'])];
    await m.query(
      `INSERT INTO ${this.t.visits} (ipt_no, visit_id, state, last_event_at${columns.map((c) => `, ${c}`).join('')})
       VALUES ($1, md5('visit:' || $1)::uuid, $2, $3${placeholders.map((p) => `, ${p}`).join('')})
       ON CONFLICT (ipt_no) DO UPDATE SET last_event_at = greatest(${this.t.visits}.last_event_at, EXCLUDED.last_event_at)
       ${updates.map((c) => `, ${c} = EXCLUDED.${c}`).join('')}`,
      [ipt_no, state ?? 'ADMITTED', at, ...Object.values(others)],
    );
    this.changed('visits', ipt_no);
  }

  /** Adds to the identifiers masked in the visit's free text for viewers and operators. */
  private async patientIdentifiers(m: EntityManager, ipt_no: string, values: (string | undefined)[]) {
    const known = values.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
    await m.query(
      `UPDATE ${this.t.visits} SET patient_identifiers =
         ARRAY(SELECT DISTINCT unnest(patient_identifiers || $2::text[]) ORDER BY 1) WHERE ipt_no = $1`,
      [ipt_no, known],
    );
  }

  private async timeline(
    m: EntityManager,
    position: string,
    ipt_no: string,
    at: string,
    eventType: string,
    entry: {
      detail: string;
      saga_id?: string;
      step?: string;
      status?: string;
      attempt?: number;
      infno?: string;
      msgid?: string;
      saga_state?: string;
    },
  ): Promise<void> {
    await m.query(
      `INSERT INTO ${this.t.timeline}
         (position, ipt_no, occurred_at, event_type, saga_id, step, status, attempt, infno, msgid, detail, saga_state)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (position) DO NOTHING`,
      [
        position,
        ipt_no,
        at,
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
    this.changed('timeline', ipt_no);
  }

  private async refreshFeeTotal(m: EntityManager, ipt_no: string): Promise<void> {
    await m.query(
      `UPDATE ${this.t.visits} v SET fee_total = f.total, fee_line_count = f.lines
       FROM (SELECT coalesce(sum(det_item_fee_sumamt), 0) AS total, count(*)::int AS lines
             FROM ${this.t.feeLines} WHERE ipt_no = $1 AND NOT revoked) f
       WHERE v.ipt_no = $1`,
      [ipt_no],
    );
  }

  private async sagaState(
    m: EntityManager,
    ipt_no: string,
    state: string,
    step: string,
    detail: string,
    at: string,
  ) {
    // A result that ends a saga without a timeline entry of its own (e.g. SettlementFailed) moves its latest saga.
    await m.query(
      `UPDATE ${this.t.sagas} s SET state = $2, step = $3, detail = $4, updated_at = $5
       FROM ${this.t.visits} v WHERE v.ipt_no = $1 AND s.saga_id = v.saga_id`,
      [ipt_no, state, step, detail, at],
    );
    await m.query(`UPDATE ${this.t.visits} SET saga_state = $2 WHERE ipt_no = $1 AND saga_id IS NOT NULL`, [
      ipt_no,
      state,
    ]);
    this.changed('sagas', ipt_no);
  }

  private async operatorAction(action: OperatorActionRequested, m: EntityManager, at: string): Promise<void> {
    await m.query(
      `INSERT INTO ${this.t.operatorActions}
         (message_id, action, command_type, topic, ipt_no, target, requested_by, requested_role, requested_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (message_id) DO NOTHING`,
      [
        action.message_id,
        action.action,
        action.command_type,
        action.topic,
        action.ipt_no,
        JSON.stringify(action.target),
        action.requested_by.username,
        action.requested_by.role,
        at,
      ],
    );
    this.changed('operator-actions', action.ipt_no);
  }

  private readonly handlers: Handlers = {
    PatientAdmitted: async (d, m, at, position) => {
      const main = d.diagnoses.find((x) => x.maindiag_flag === '1') ?? d.diagnoses[0]!;
      await this.visit(m, d.ipt_no, at, {
        mdtrt_cert_type: d.mdtrt_cert_type,
        mdtrt_cert_no: d.mdtrt_cert_no,
        insutype: d.insutype,
        med_type: d.med_type,
        dept_codg: d.adm_dept_codg,
        dept_name: d.adm_dept_name,
        bed: d.adm_bed,
        doctor_name: d.chfpdr_name,
        diagnosis: `${main.diag_code} ${main.diag_name}`,
        begntime: d.begntime,
        admitted_on: dateOf(d.begntime),
        ...(d.insuplc_admdvs && { insuplc_admdvs: d.insuplc_admdvs }),
      });
      await this.patientIdentifiers(m, d.ipt_no, [
        d.psn_name,
        d.mdtrt_cert_no,
        d.card_sn,
        d.tel,
        d.coner_name,
      ]);
      await this.timeline(m, position, d.ipt_no, at, 'PatientAdmitted', {
        detail: `${d.adm_dept_name} ${d.adm_bed}`,
      });
    },
    AdmissionChanged: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at, {
        insutype: d.insutype,
        dept_codg: d.adm_dept_codg,
        dept_name: d.adm_dept_name,
        bed: d.adm_bed,
        doctor_name: d.chfpdr_name,
      });
      await this.timeline(m, position, d.ipt_no, at, 'AdmissionChanged', {
        detail: `${d.adm_dept_name} ${d.adm_bed}`,
      });
    },
    AdmissionCancelled: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at);
      await this.timeline(m, position, d.ipt_no, at, 'AdmissionCancelled', { detail: d.reason });
    },
    DischargeRequested: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at, { endtime: d.endtime, discharged_on: dateOf(d.endtime) });
      await m.query(
        `UPDATE ${this.t.visits} SET state = 'DISCHARGE_REQUESTED' WHERE ipt_no = $1 AND state = ANY($2)`,
        [d.ipt_no, IN_HOSPITAL_STATES],
      );
      await this.timeline(m, position, d.ipt_no, at, 'DischargeRequested', {
        detail: `${d.dscg_dept_name} ${d.endtime}`,
      });
    },
    AdmissionRegistered: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at, {
        mdtrt_id: d.mdtrt_id,
        psn_no: d.psn_no,
        // The area admission registered the visit in wins over the one the HIS named.
        ...(d.insuplc_admdvs && { insuplc_admdvs: d.insuplc_admdvs }),
        state: 'REGISTERED',
        attention_kind: null,
        attention: null,
      });
      await this.patientIdentifiers(m, d.ipt_no, [d.psn_no]);
      await this.timeline(m, position, d.ipt_no, at, 'AdmissionRegistered', {
        infno: '2401',
        msgid: d.msgid,
        status: 'SUCCEEDED',
        detail: d.mdtrt_id,
      });
    },
    AdmissionChangeRegistered: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at);
      await this.timeline(m, position, d.ipt_no, at, 'AdmissionChangeRegistered', {
        infno: '2403',
        msgid: d.msgid,
        status: 'SUCCEEDED',
        detail: d.mdtrt_id,
      });
    },
    AdmissionCancellationRegistered: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at, { state: 'CANCELLED' });
      await this.timeline(m, position, d.ipt_no, at, 'AdmissionCancellationRegistered', {
        infno: '2404',
        msgid: d.msgid,
        status: 'SUCCEEDED',
        detail: d.mdtrt_id,
      });
    },
    DischargeRegistered: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at, {
        mdtrt_id: d.mdtrt_id,
        endtime: d.endtime,
        discharged_on: dateOf(d.endtime),
        state: 'DISCHARGED',
      });
      await this.timeline(m, position, d.ipt_no, at, 'DischargeRegistered', {
        infno: '2402',
        msgid: d.msgid,
        status: 'SUCCEEDED',
        detail: d.endtime,
      });
    },
    DischargeUndone: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at, { state: 'REGISTERED', endtime: null, discharged_on: null });
      await this.timeline(m, position, d.ipt_no, at, 'DischargeUndone', {
        infno: '2405',
        msgid: d.msgid,
        status: 'SUCCEEDED',
        detail: d.mdtrt_id,
      });
    },
    PlatformRequestRejected: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at, {
        attention_kind: 'PLATFORM_REJECTED',
        attention: `${d.infno}: ${d.err_msg}`,
      });
      await this.timeline(m, position, d.ipt_no, at, 'PlatformRequestRejected', {
        infno: d.infno,
        msgid: d.msgid,
        status: 'REJECTED',
        detail: d.err_msg,
      });
    },
    // Applied by the platform, answer incomplete: a person completes it from the platform (journal row msgid).
    PlatformAnswerUnreadable: async (d, m, at, position) => {
      const detail = `${d.infno} ${d.msgid}: ${d.missing.join('; ')}`;
      await this.visit(m, d.ipt_no, at, { attention_kind: 'ANSWER_UNREADABLE', attention: detail });
      await this.timeline(m, position, d.ipt_no, at, 'PlatformAnswerUnreadable', {
        infno: d.infno,
        msgid: d.msgid,
        status: 'APPLIED_UNREADABLE',
        detail,
      });
    },
    // The platform routes by the person's area: until the HIS names it, the visit's platform work waits.
    InsuredAreaMissing: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at, { attention_kind: 'AREA_MISSING', attention: d.reason });
      await this.timeline(m, position, d.ipt_no, at, 'InsuredAreaMissing', {
        infno: d.held.join(','),
        status: 'WAITING_FOR_PERSON',
        detail: d.reason,
      });
    },
    AdmissionRequestRefused: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at);
      await this.timeline(m, position, d.ipt_no, at, 'AdmissionRequestRefused', {
        infno: d.infno,
        status: 'REJECTED',
        detail: d.reason,
      });
    },
    AdmissionRegistrationReversed: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at);
      await this.timeline(m, position, d.ipt_no, at, 'AdmissionRegistrationReversed', {
        infno: '2601',
        msgid: d.reversal_msgid,
        status: 'SUCCEEDED',
        detail: d.reason,
      });
    },
    AdmissionOutcomeUncertain: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at, {
        state: 'UNCERTAIN',
        attention_kind: 'ADMISSION_UNCERTAIN',
        attention: `${d.infno}: ${d.reason}`,
      });
      await this.timeline(m, position, d.ipt_no, at, 'AdmissionOutcomeUncertain', {
        infno: d.infno,
        msgid: d.msgid,
        status: 'UNKNOWN',
        detail: d.reason,
      });
    },
    FeeLinesUploaded: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at, { mdtrt_id: d.mdtrt_id });
      for (const line of d.lines) {
        await m.query(
          `INSERT INTO ${this.t.feeLines} (ipt_no, feedetl_sn, det_item_fee_sumamt, revoked) VALUES ($1, $2, $3, false)
           ON CONFLICT (ipt_no, feedetl_sn) DO UPDATE SET det_item_fee_sumamt = EXCLUDED.det_item_fee_sumamt, revoked = false`,
          [d.ipt_no, line.feedetl_sn, line.det_item_fee_sumamt],
        );
      }
      await this.refreshFeeTotal(m, d.ipt_no);
      await this.timeline(m, position, d.ipt_no, at, 'FeeLinesUploaded', {
        infno: '2301',
        msgid: d.msgid,
        status: 'SUCCEEDED',
        detail: `${d.lines.length}`,
      });
    },
    FeeLinesRevoked: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at);
      const all = d.feedetl_sns.includes('0000');
      await m.query(
        `UPDATE ${this.t.feeLines} SET revoked = true WHERE ipt_no = $1 AND ($2 OR feedetl_sn = ANY($3))`,
        [d.ipt_no, all, d.feedetl_sns],
      );
      await this.refreshFeeTotal(m, d.ipt_no);
      await this.timeline(m, position, d.ipt_no, at, 'FeeLinesRevoked', {
        infno: '2302',
        msgid: d.msgid,
        status: 'SUCCEEDED',
        detail: `${d.cause} ${d.feedetl_sns.join(',')}`.slice(0, 4000),
      });
    },
    FeeLinesRejected: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at);
      await this.timeline(m, position, d.ipt_no, at, 'FeeLinesRejected', {
        infno: d.infno,
        msgid: d.msgid,
        status: 'REJECTED',
        detail: d.lines
          .map((l) => `${l.feedetl_sn}: ${l.reason}`)
          .join('; ')
          .slice(0, 4000),
      });
    },
    FeeTotalsReconciled: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at);
      await this.timeline(m, position, d.ipt_no, at, 'FeeTotalsReconciled', {
        status: d.agreed ? 'SUCCEEDED' : 'REJECTED',
        detail: `HIS ${d.his_sumamt} / 平台 ${d.platform_sumamt}${d.reason ? ` ${d.reason}` : ''}`,
      });
    },
    PreSettled: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at, {
        mdtrt_id: d.mdtrt_id,
        state: 'PRE_SETTLED',
        pre_settled_medfee: d.medfee_sumamt,
        pre_settled_fund: d.fund_pay_sumamt,
        pre_settled_acct: d.acct_pay,
        pre_settled_cash: d.psn_cash_pay,
        pre_settled_hosp: d.hosp_part_amt ?? '0',
      });
      await this.timeline(m, position, d.ipt_no, at, 'PreSettled', {
        infno: '2303',
        msgid: d.msgid,
        status: 'SUCCEEDED',
        detail: `${d.medfee_sumamt} / ${d.fund_pay_sumamt}`,
      });
    },
    Settled: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at, {
        mdtrt_id: d.mdtrt_id,
        state: 'SETTLED',
        settled_medfee: d.medfee_sumamt,
        settled_fund: d.fund_pay_sumamt,
        settled_psn_cash: d.psn_cash_pay,
        attention_kind: null,
        attention: null,
      });
      await m.query(
        `INSERT INTO ${this.t.settlements} (setl_id, ipt_no, mdtrt_id, setl_time, setl_on, mid_setl_flag, medfee_sumamt,
           fulamt_ownpay_amt, overlmt_selfpay, preselfpay_amt, inscp_scp_amt, hifp_pay, fund_pay_sumamt, acct_pay,
           psn_cash_pay, hosp_part_amt, fund_shares)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         ON CONFLICT (setl_id) DO NOTHING`,
        [
          d.setl_id,
          d.ipt_no,
          d.mdtrt_id,
          d.setl_time,
          dateOf(d.setl_time),
          d.mid_setl_flag,
          d.medfee_sumamt,
          d.fulamt_ownpay_amt,
          d.overlmt_selfpay,
          d.preselfpay_amt,
          d.inscp_scp_amt,
          d.hifp_pay,
          d.fund_pay_sumamt,
          d.acct_pay,
          d.psn_cash_pay,
          d.hosp_part_amt ?? null,
          JSON.stringify(d.fund_shares),
        ],
      );
      this.changed('settlements', d.ipt_no);
      await this.timeline(m, position, d.ipt_no, at, 'Settled', {
        infno: '2304',
        msgid: d.medins_setl_id,
        status: 'SUCCEEDED',
        detail: `${d.setl_id} ${d.medfee_sumamt} / ${d.fund_pay_sumamt}`,
      });
    },
    SettlementFailed: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at, {
        state: 'SETTLEMENT_FAILED',
        attention_kind: d.needs_person ? 'SETTLEMENT_FAILED' : null,
        attention: d.needs_person ? `${d.step}: ${d.reason}` : null,
      });
      await this.sagaState(m, d.ipt_no, 'FAILED', d.step, d.reason, at);
      await this.timeline(m, position, d.ipt_no, at, 'SettlementFailed', {
        step: d.step,
        status: 'REJECTED',
        detail: d.reason,
        saga_state: 'FAILED',
      });
    },
    SettlementCompensated: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at);
      await this.timeline(m, position, d.ipt_no, at, 'SettlementCompensated', {
        infno: d.compensation,
        msgid: d.omsgid,
        step: d.compensation === '2601' ? 'REVERSAL' : 'DISCHARGE_UNDO',
        status: 'SUCCEEDED',
        detail: `${d.oinfno ? `${d.oinfno} ` : ''}${d.reason}`,
      });
    },
    SettlementCancelled: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at, { state: 'SETTLEMENT_CANCELLED' });
      await m.query(
        `UPDATE ${this.t.settlements} SET cancelled_by = $2, cancelled_at = $3 WHERE setl_id = $1`,
        [d.init_setl_id, d.setl_id, at],
      );
      this.changed('settlements', d.ipt_no);
      await this.timeline(m, position, d.ipt_no, at, 'SettlementCancelled', {
        infno: '2305',
        step: 'SETTLEMENT_CANCEL',
        status: 'SUCCEEDED',
        detail: `${d.init_setl_id} → ${d.setl_id} ${d.medfee_sumamt}`,
      });
    },
    SettlementSagaProgressed: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at, {
        saga_id: d.saga_id,
        saga_state: d.saga_state,
        ...(d.mdtrt_id && { mdtrt_id: d.mdtrt_id }),
      });
      await m.query(
        `INSERT INTO ${this.t.sagas} (saga_id, ipt_no, state, step, status, detail, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (saga_id) DO UPDATE SET state = EXCLUDED.state, step = EXCLUDED.step, status = EXCLUDED.status,
           detail = EXCLUDED.detail, updated_at = EXCLUDED.updated_at`,
        [d.saga_id, d.ipt_no, d.saga_state, d.step, d.status, d.detail, at],
      );
      this.changed('sagas', d.ipt_no);
      await this.timeline(m, position, d.ipt_no, at, 'SettlementSagaProgressed', {
        saga_id: d.saga_id,
        step: d.step,
        status: d.status,
        attempt: d.attempt,
        infno: d.infno,
        msgid: d.msgid,
        detail: d.detail,
        saga_state: d.saga_state,
      });
    },
    SettlementCompensationFailed: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at, {
        saga_id: d.saga_id,
        attention_kind: 'COMPENSATION_FAILED',
        attention: `${d.compensation}: ${d.platform_answer}`.slice(0, 4000),
      });
      await m.query(
        `INSERT INTO ${this.t.sagas} (saga_id, ipt_no, state, step, status, detail, updated_at)
         VALUES ($1, $2, 'COMPENSATION_FAILED', $3, 'REJECTED', $4, $5)
         ON CONFLICT (saga_id) DO UPDATE SET state = EXCLUDED.state, step = EXCLUDED.step, status = EXCLUDED.status,
           detail = EXCLUDED.detail, updated_at = EXCLUDED.updated_at`,
        [
          d.saga_id,
          d.ipt_no,
          d.compensation === '2305'
            ? 'SETTLEMENT_CANCEL'
            : d.compensation === '2405'
              ? 'DISCHARGE_UNDO'
              : 'REVERSAL',
          d.suggested_action,
          at,
        ],
      );
      await m.query(`UPDATE ${this.t.visits} SET saga_state = 'COMPENSATION_FAILED' WHERE ipt_no = $1`, [
        d.ipt_no,
      ]);
      this.changed('sagas', d.ipt_no);
      await this.timeline(m, position, d.ipt_no, at, 'SettlementCompensationFailed', {
        saga_id: d.saga_id,
        infno: d.compensation,
        msgid: d.msgid,
        status: 'REJECTED',
        detail: `${d.platform_answer} — ${d.suggested_action}`.slice(0, 4000),
        saga_state: 'COMPENSATION_FAILED',
      });
    },
    SettlementRequestRefused: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at);
      await this.timeline(m, position, d.ipt_no, at, 'SettlementRequestRefused', {
        saga_id: d.saga_id,
        status: 'REJECTED',
        detail: `${d.request}: ${d.reason}`.slice(0, 4000),
      });
    },
    AuditFindingsRaised: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at, { mdtrt_id: d.mdtrt_id });
      for (const f of d.findings) {
        await m.query(
          `INSERT INTO ${this.t.findings} (ipt_no, jr_id, infno, trig_scen, rule_id, rule_name, vola_cont, vola_amt,
             sev_deg, blocking, raised_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           ON CONFLICT (ipt_no, jr_id) DO UPDATE SET infno = EXCLUDED.infno, trig_scen = EXCLUDED.trig_scen,
             rule_name = EXCLUDED.rule_name, vola_cont = EXCLUDED.vola_cont, vola_amt = EXCLUDED.vola_amt,
             sev_deg = EXCLUDED.sev_deg, blocking = EXCLUDED.blocking`,
          [
            d.ipt_no,
            f.jr_id,
            d.infno,
            d.trig_scen,
            f.rule_id,
            f.rule_name,
            f.vola_cont,
            f.vola_amt,
            f.sev_deg,
            f.blocking,
            at,
          ],
        );
      }
      this.changed('findings', d.ipt_no);
      const blocking = d.findings.filter((f) => f.blocking).length;
      await this.timeline(m, position, d.ipt_no, at, 'AuditFindingsRaised', {
        infno: d.infno,
        status: blocking > 0 ? 'WAITING_FOR_PERSON' : 'SUCCEEDED',
        detail: d.findings
          .map((f) => `${f.rule_name}: ${f.vola_cont}`)
          .join('; ')
          .slice(0, 4000),
      });
    },
    AuditFindingAcknowledged: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at);
      await m.query(
        `UPDATE ${this.t.findings} SET acknowledged_by = $3, acknowledged_role = $4, acknowledged_at = $5, ack_comment = $6
         WHERE ipt_no = $1 AND jr_id = $2`,
        [d.ipt_no, d.jr_id, d.acknowledged_by.username, d.acknowledged_by.role, at, d.comment],
      );
      this.changed('findings', d.ipt_no);
      await this.timeline(m, position, d.ipt_no, at, 'AuditFindingAcknowledged', {
        status: 'SUCCEEDED',
        detail: `${d.jr_id} ${d.acknowledged_by.username}: ${d.comment}`,
      });
    },
    SettlementAuditCompleted: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at);
      await this.timeline(m, position, d.ipt_no, at, 'SettlementAuditCompleted', {
        saga_id: d.saga_id,
        infno: '3102',
        step: d.trig_scen === '9' ? 'PRE_SETTLEMENT_AUDIT' : 'SETTLEMENT_AUDIT',
        status: d.may_proceed ? 'SUCCEEDED' : 'WAITING_FOR_PERSON',
        detail: `${d.outcome}${d.reason ? ` ${d.reason}` : ''}`,
      });
    },
    AuditUnavailable: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at);
      await this.timeline(m, position, d.ipt_no, at, 'AuditUnavailable', {
        infno: d.infno,
        status: 'UNKNOWN',
        attempt: d.attempts,
        detail: d.reason,
      });
    },
    AuditAcknowledgementRefused: async (d, m, at, position) => {
      await this.visit(m, d.ipt_no, at);
      await this.timeline(m, position, d.ipt_no, at, 'AuditAcknowledgementRefused', {
        status: 'REJECTED',
        detail: `${d.jr_id} ${d.requested_by.username}: ${d.reason}`,
      });
    },
    ReportUploaded: async (d, m, at, position) => {
      await this.report(m, d.ipt_no, d.infno, d.report_ref, at, {
        state: 'UPLOADED',
        reason: null,
        msgid: d.msgid,
        will_retry: null,
      });
      await this.timeline(m, position, d.ipt_no, at, 'ReportUploaded', {
        infno: d.infno,
        msgid: d.msgid,
        status: 'SUCCEEDED',
        detail: d.report_ref,
      });
    },
    ReportPending: async (d, m, at, position) => {
      await this.report(m, d.ipt_no, d.infno, d.report_ref, at, {
        state: 'PENDING',
        reason: d.reason,
        due_date: d.due_date,
      });
      await this.timeline(m, position, d.ipt_no, at, 'ReportPending', {
        infno: d.infno,
        status: 'STARTED',
        detail: `${d.report_ref} ${d.reason}`,
      });
    },
    ReportRejected: async (d, m, at, position) => {
      await this.report(m, d.ipt_no, d.infno, d.report_ref, at, {
        state: 'REJECTED',
        reason: d.err_msg,
        msgid: d.msgid ?? null,
        will_retry: d.will_retry,
        attempt: d.attempt,
      });
      await this.timeline(m, position, d.ipt_no, at, 'ReportRejected', {
        infno: d.infno,
        msgid: d.msgid,
        status: 'REJECTED',
        attempt: d.attempt,
        detail: `${d.report_ref} ${d.err_msg}`,
      });
    },
    ReportBacklogSummarized: async (d, m) => {
      for (const row of d.by_infno) {
        await m.query(
          `INSERT INTO ${this.t.reportBacklog} (infno, run_date, as_of, waiting, overdue, rejected, uploaded_today, reasons)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (infno) DO UPDATE SET run_date = EXCLUDED.run_date, as_of = EXCLUDED.as_of,
             waiting = EXCLUDED.waiting, overdue = EXCLUDED.overdue, rejected = EXCLUDED.rejected,
             uploaded_today = EXCLUDED.uploaded_today, reasons = EXCLUDED.reasons
           WHERE ${this.t.reportBacklog}.as_of <= EXCLUDED.as_of`,
          [
            row.infno,
            d.run_date,
            d.as_of,
            row.waiting,
            row.overdue,
            row.rejected,
            row.uploaded_today,
            JSON.stringify(row.reasons),
          ],
        );
      }
      this.changed('report-backlog');
    },
    PlatformCallCompleted: async (d, m, at) => {
      const failed = d.outcome === 'REJECTED' ? 1 : 0;
      const unknown = d.outcome === 'UNKNOWN' ? 1 : 0;
      await m.query(
        `INSERT INTO ${this.t.platformCalls} (minute, service, infno, calls, rejected, unknown, total_ms, max_ms)
         VALUES (date_trunc('minute', $1::timestamptz), $2, $3, 1, $4, $5, $6, $6)
         ON CONFLICT (minute, service, infno) DO UPDATE SET calls = ${this.t.platformCalls}.calls + 1,
           rejected = ${this.t.platformCalls}.rejected + EXCLUDED.rejected,
           unknown = ${this.t.platformCalls}.unknown + EXCLUDED.unknown,
           total_ms = ${this.t.platformCalls}.total_ms + EXCLUDED.total_ms,
           max_ms = greatest(${this.t.platformCalls}.max_ms, EXCLUDED.max_ms)`,
        [at, d.service, d.infno, failed, unknown, d.duration_ms],
      );
      this.changed('platform-health');
    },
  };

  private async report(
    m: EntityManager,
    ipt_no: string,
    infno: string,
    report_ref: string,
    at: string,
    fields: Record<string, unknown>,
  ): Promise<void> {
    const columns = Object.keys(fields);
    await m.query(
      `INSERT INTO ${this.t.reports} (ipt_no, infno, report_ref, updated_at${columns.map((c) => `, ${c}`).join('')})
       VALUES ($1, $2, $3, $4${columns.map((_, i) => `, $${i + 5}`).join('')})
       ON CONFLICT (ipt_no, infno, report_ref) DO UPDATE SET updated_at = EXCLUDED.updated_at
       ${columns.map((c) => `, ${c} = EXCLUDED.${c}`).join('')}`,
      [ipt_no, infno, report_ref, at, ...Object.values(fields)],
    );
    this.changed('reports', ipt_no);
  }
}
