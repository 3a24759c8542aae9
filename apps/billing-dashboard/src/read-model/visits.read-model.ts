import { type DashboardTables } from './dashboard-tables';
import { standingSettlement } from './settlements.read-model';
import { type VisitPatients } from './visit-patient';
import { type ApplyContext, dateOf, type ProjectedType, type ReadModelHandlers } from './read-model-handlers';

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
  'REVERSED_LOCALLY',
] as const;
export type VisitState = (typeof VISIT_STATES)[number];
/** Still in a bed: admitted and not discharged or cancelled. */
export const IN_HOSPITAL_STATES: readonly VisitState[] = ['ADMITTED', 'REGISTERED', 'UNCERTAIN'];

/** Results that only date the visit (and create it when they overtake the HIS's admission). */
const TOUCHING: readonly ProjectedType[] = [
  'AdmissionCancelled',
  'AdmissionChangeRegistered',
  'AdmissionRequestRefused',
  'AdmissionRegistrationReversed',
  'FeeLinesRevoked',
  'FeeLinesRejected',
  'FeeTotalsReconciled',
  'SettlementCompensated',
  'SettlementRequestRefused',
  'AuditFindingAcknowledged',
  'SettlementAuditCompleted',
  'AuditUnavailable',
  'AuditAcknowledgementRefused',
];

/** The visits: one row per HIS visit with its state, department, amounts and what needs a person. */
export function visitsReadModel(t: DashboardTables, patients: VisitPatients): ReadModelHandlers {
  /**
   * Creates the visit when its first message arrives (results may overtake the HIS's admission: they come on
   * another topic) and sets `fields`; `state` is set only when given.
   */
  const visit = async (x: ApplyContext, ipt_no: string, fields: Record<string, unknown> = {}) => {
    const { state, ...others } = fields;
    const columns = Object.keys(others);
    const placeholders = columns.map((_, i) => `$${i + 4}`);
    const updates = [...columns, ...(state === undefined ? [] : ['state'])];
    await x.m.query(
      `INSERT INTO ${t.visits} (ipt_no, visit_id, state, last_event_at${columns.map((c) => `, ${c}`).join('')})
       VALUES ($1, md5('visit:' || $1)::uuid, $2, $3${placeholders.map((p) => `, ${p}`).join('')})
       ON CONFLICT (ipt_no) DO UPDATE SET last_event_at = greatest(${t.visits}.last_event_at, EXCLUDED.last_event_at)
       ${updates.map((c) => `, ${c} = EXCLUDED.${c}`).join('')}`,
      [ipt_no, state ?? 'ADMITTED', x.at, ...Object.values(others)],
    );
    x.changed('visits', ipt_no);
  };

  /** Adds to what is kept, sealed, of the visit's patient (the row exists: visit() made it). */
  const patient = async (
    x: ApplyContext,
    ipt_no: string,
    known: { psn_name?: string; mdtrt_cert_no?: string },
    identifiers: (string | undefined)[],
  ) => {
    const [row]: { patient: unknown }[] = await x.m.query(
      `SELECT patient FROM ${t.visits} WHERE ipt_no = $1 FOR UPDATE`,
      [ipt_no],
    );
    await x.m.query(`UPDATE ${t.visits} SET patient = $2 WHERE ipt_no = $1`, [
      ipt_no,
      JSON.stringify(patients.merged(ipt_no, row?.patient, known, identifiers)),
    ]);
  };

  const touch = async (d: { ipt_no: string }, x: ApplyContext) => visit(x, d.ipt_no);

  return {
    ...Object.fromEntries(TOUCHING.map((type) => [type, touch])),
    PatientAdmitted: async (d, x) => {
      const main = d.diagnoses.find((g) => g.maindiag_flag === '1') ?? d.diagnoses[0]!;
      await visit(x, d.ipt_no, {
        mdtrt_cert_type: d.mdtrt_cert_type,
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
      await patient(x, d.ipt_no, { psn_name: d.psn_name, mdtrt_cert_no: d.mdtrt_cert_no }, [
        d.psn_name,
        d.mdtrt_cert_no,
        d.card_sn,
        d.tel,
        d.coner_name,
      ]);
    },
    AdmissionChanged: (d, x) =>
      visit(x, d.ipt_no, {
        insutype: d.insutype,
        dept_codg: d.adm_dept_codg,
        dept_name: d.adm_dept_name,
        bed: d.adm_bed,
        doctor_name: d.chfpdr_name,
      }),
    DischargeRequested: async (d, x) => {
      await visit(x, d.ipt_no, { endtime: d.endtime, discharged_on: dateOf(d.endtime) });
      await x.m.query(
        `UPDATE ${t.visits} SET state = 'DISCHARGE_REQUESTED' WHERE ipt_no = $1 AND state = ANY($2)`,
        [d.ipt_no, IN_HOSPITAL_STATES],
      );
    },
    AdmissionRegistered: async (d, x) => {
      await visit(x, d.ipt_no, {
        mdtrt_id: d.mdtrt_id,
        // No psn_no column value: no page shows it, so it is kept only among the values masked in free text.
        // The area admission registered the visit in wins over the one the HIS named.
        ...(d.insuplc_admdvs && { insuplc_admdvs: d.insuplc_admdvs }),
        state: 'REGISTERED',
        attention_kind: null,
        attention: null,
      });
      await patient(x, d.ipt_no, {}, [d.psn_no]);
    },
    AdmissionCancellationRegistered: (d, x) => visit(x, d.ipt_no, { state: 'CANCELLED' }),
    DischargeRegistered: (d, x) =>
      visit(x, d.ipt_no, {
        mdtrt_id: d.mdtrt_id,
        endtime: d.endtime,
        discharged_on: dateOf(d.endtime),
        state: 'DISCHARGED',
      }),
    DischargeUndone: (d, x) =>
      visit(x, d.ipt_no, { state: 'REGISTERED', endtime: null, discharged_on: null }),
    PlatformRequestRejected: (d, x) =>
      visit(x, d.ipt_no, { attention_kind: 'PLATFORM_REJECTED', attention: `${d.infno}: ${d.err_msg}` }),
    // Applied by the platform, answer incomplete: a person completes it from the platform (journal row msgid).
    PlatformAnswerUnreadable: (d, x) =>
      visit(x, d.ipt_no, {
        attention_kind: 'ANSWER_UNREADABLE',
        attention: `${d.infno} ${d.msgid}: ${d.missing.join('; ')}`,
      }),
    // The platform routes by the person's area: until the HIS names it, the visit's platform work waits.
    InsuredAreaMissing: (d, x) => visit(x, d.ipt_no, { attention_kind: 'AREA_MISSING', attention: d.reason }),
    AdmissionOutcomeUncertain: (d, x) =>
      visit(x, d.ipt_no, {
        state: 'UNCERTAIN',
        attention_kind: 'ADMISSION_UNCERTAIN',
        attention: `${d.infno}: ${d.reason}`,
      }),
    FeeLinesUploaded: (d, x) => visit(x, d.ipt_no, { mdtrt_id: d.mdtrt_id }),
    PreSettled: (d, x) =>
      visit(x, d.ipt_no, {
        mdtrt_id: d.mdtrt_id,
        state: 'PRE_SETTLED',
        pre_settled_medfee: d.medfee_sumamt,
        pre_settled_fund: d.fund_pay_sumamt,
        pre_settled_acct: d.acct_pay,
        pre_settled_cash: d.psn_cash_pay,
        pre_settled_hosp: d.hosp_part_amt ?? '0',
      }),
    Settled: (d, x) =>
      visit(x, d.ipt_no, {
        mdtrt_id: d.mdtrt_id,
        state: 'SETTLED',
        settled_medfee: d.medfee_sumamt,
        settled_fund: d.fund_pay_sumamt,
        settled_psn_cash: d.psn_cash_pay,
        attention_kind: null,
        attention: null,
      }),
    SettlementFailed: (d, x) =>
      visit(x, d.ipt_no, {
        state: 'SETTLEMENT_FAILED',
        attention_kind: d.needs_person ? 'SETTLEMENT_FAILED' : null,
        attention: d.needs_person ? `${d.step}: ${d.reason}` : null,
      }),
    SettlementCancelled: (d, x) => visit(x, d.ipt_no, { state: 'SETTLEMENT_CANCELLED' }),
    // The visit reads 本地冲销 only when the reversed settlement was its latest standing one: a mid-way settlement
    // reversed after the final one leaves the visit settled.
    SettlementLocalReversalRecorded: async (d, x) => {
      const newerStanding: unknown[] = await x.m.query(
        `SELECT 1 FROM ${t.settlements} s JOIN ${t.settlements} reversed ON reversed.setl_id = $2
         WHERE s.ipt_no = $1 AND s.setl_id <> $2 AND ${standingSettlement('s')} AND s.setl_time > reversed.setl_time
         LIMIT 1`,
        [d.ipt_no, d.setl_id],
      );
      await visit(x, d.ipt_no, newerStanding.length > 0 ? {} : { state: 'REVERSED_LOCALLY' });
    },
    SettlementSagaProgressed: (d, x) =>
      visit(x, d.ipt_no, {
        saga_id: d.saga_id,
        saga_state: d.saga_state,
        ...(d.mdtrt_id && { mdtrt_id: d.mdtrt_id }),
      }),
    SettlementCompensationFailed: (d, x) =>
      visit(x, d.ipt_no, {
        saga_id: d.saga_id,
        attention_kind: 'COMPENSATION_FAILED',
        attention: `${d.compensation}: ${d.platform_answer}`.slice(0, 4000),
      }),
    AuditFindingsRaised: (d, x) => visit(x, d.ipt_no, { mdtrt_id: d.mdtrt_id }),
  };
}
