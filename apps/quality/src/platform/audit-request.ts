import { type TypedInterfaces } from '@yb/platform-client';
import Decimal from 'decimal.js';
import { type FeeLine, type MedicalOrder } from '../audit-case/audit-case.commands';
import { type AdmissionDiagnosis } from '../audit-case/audit-case.events';
import { standingLines, type AuditCaseState, type AuditRecord } from '../audit-case/audit-case.state';

export type AuditInput = TypedInterfaces['3101']['input'];
type Encounter = AuditInput['data']['patient_dtos'][number]['fsi_encounter_dtos'][number];
type Order = NonNullable<Encounter['fsi_order_dtos']>[number];

/** The hospital as 3101/3102 name it (定点医药机构). */
export interface AuditingHospital {
  readonly fixmedins_code: string;
  readonly fixmedins_name: string;
  readonly mdtrtarea_admvs: string;
}

export const AREA_MISSING =
  '参保地医保区划未知: admission registered the visit without naming the insured area (AdmissionRegistered v1) and the HIS named none; send AdmissionChanged with insuplc_admdvs';

/**
 * 参保地医保区划 of the visit (3101/3102 poolarea and the envelope): the registered one, else the HIS's; null
 * when neither said (the audit then waits: the hospital's own area would misroute a cross-area patient).
 */
export function insuredArea(state: AuditCaseState): string | null {
  return state.registered_admdvs ?? state.admission?.insuplc_admdvs ?? null;
}

/** What the request needs and the visit does not hold yet (the HIS's admission, the registration, the area). */
export class VisitIncompleteError extends Error {
  override readonly name = 'VisitIncompleteError';
}

/**
 * The 3101/3102 input (spec §4) from what the case knows of the visit: the person (patient_dtos), the stay
 * (fsi_encounter_dtos) with its diagnoses, its fee lines on the platform as orders (rx_id = feedetl_sn, so
 * that judge_result_detail_dtos map back to lines) and its operations. The lines the audit is about (the
 * uploaded batch, the executed orders) carry curr_drord_flag 1; the others give the rules their context.
 * Throws VisitIncompleteError while the registration or the HIS admission is missing.
 */
export function auditInput(
  state: AuditCaseState,
  audit: AuditRecord,
  hospital: AuditingHospital,
): AuditInput {
  const { admission, psn_no } = state;
  const mdtrt_id = audit.settlement?.mdtrt_id ?? state.mdtrt_id;
  if (!psn_no || !mdtrt_id) throw new VisitIncompleteError('入院登记结果(AdmissionRegistered)尚未收到');
  if (!admission) throw new VisitIncompleteError('HIS入院信息(PatientAdmitted)尚未收到');
  const poolarea = insuredArea(state);
  if (poolarea === null) throw new VisitIncompleteError(AREA_MISSING);

  const lines = standingLines(state);
  const ordersByNo = new Map<string, MedicalOrder>();
  for (const order of Object.values(state.orders)) ordersByNo.set(order.drord_no, order);
  const focusLines = new Set(audit.focus?.feedetl_sns ?? []);
  const focusOrders = new Set(audit.focus?.drord_nos ?? []);
  const isCurrent = (line: FeeLine) =>
    focusLines.has(line.feedetl_sn) || (line.drord_no !== undefined && focusOrders.has(line.drord_no));

  const discharge = state.discharge;
  const diagnoses = [
    ...admission.diagnoses.map((d) => diagnose(d, '1')),
    ...(discharge?.diagnoses ?? []).map((d) => diagnose(d, '2')),
  ];
  const operations = (state.homepage?.operations ?? []).map((o) => ({
    oprn_code: o.oprn_oprt_code,
    oprn_name: o.oprn_oprt_name,
    main_oprn_flag: o.main_oprn_flag,
    oprn_date: o.oprn_oprt_date,
    oper_dr_name: o.oper_name,
  }));
  const dscg_date = state.dscg_date ?? discharge?.endtime;
  const encounter: Encounter = {
    mdtrt_id,
    medins_id: hospital.fixmedins_code,
    medins_name: hospital.fixmedins_name,
    medins_admdvs: hospital.mdtrtarea_admvs,
    bedno: admission.adm_bed,
    adm_date: admission.begntime,
    ...(dscg_date !== undefined && { dscg_date }),
    dscg_main_dise_codg: admission.dscg_maindiag_code,
    dscg_main_dise_name: clip(admission.dscg_maindiag_name, 50),
    fsi_diagnose_dtos: diagnoses,
    dr_codg: admission.atddr_no,
    adm_dept_codg: admission.adm_dept_codg,
    adm_dept_name: admission.adm_dept_name,
    ...(discharge && { dscg_dept_codg: discharge.dscg_dept_codg, dscg_dept_name: discharge.dscg_dept_name }),
    med_type: admission.med_type,
    // A line the HIS sent with its own code only has no national code here (fee-detail maps it before 2301):
    // left out of the rules' orders rather than sent with a wrong hilist_code.
    fsi_order_dtos: lines
      .filter((line): line is FeeLine & { med_list_codg: string } => line.med_list_codg !== undefined)
      .map((line) => order(line, isCurrent(line), ordersByNo)),
    medfee_sumamt: lines.reduce((sum, l) => sum.plus(l.det_item_fee_sumamt), new Decimal(0)).toFixed(2),
    insutype: admission.insutype,
    ...(operations.length > 0 && { fsi_operation_dtos: operations }),
  };
  return {
    data: {
      patient_dtos: [
        {
          patn_id: psn_no,
          // Who the patient is, for the rules restricting items by sex or age (patn_name is masked in logs).
          ...(admission.psn_name !== undefined && { patn_name: admission.psn_name }),
          ...(admission.gend !== undefined && { gend: admission.gend }),
          ...(admission.brdy !== undefined && { brdy: admission.brdy }),
          poolarea,
          curr_mdtrt_id: mdtrt_id,
          fsi_encounter_dtos: [encounter],
        },
      ],
      trig_scen: audit.trig_scen,
    },
  };
}

function diagnose(d: AdmissionDiagnosis, inout_dise_type: '1' | '2') {
  return {
    inout_dise_type,
    maindise_flag: d.maindiag_flag,
    dias_srt_no: String(d.diag_srt_no),
    dise_codg: d.diag_code,
    dise_name: d.diag_name,
    dise_date: d.diag_time,
  };
}

function order(
  line: FeeLine & { med_list_codg: string },
  current: boolean,
  ordersByNo: ReadonlyMap<string, MedicalOrder>,
): Order {
  const drord = line.drord_no !== undefined ? ordersByNo.get(line.drord_no) : undefined;
  return {
    rx_id: line.feedetl_sn,
    ...(line.drord_no !== undefined && { rxno: line.drord_no }),
    ...(drord && {
      long_drord_flag: drord.drord_type === '1' ? '1' : '0',
      drord_dept_codg: drord.isu_dept_code,
    }),
    hilist_code: line.med_list_codg,
    hosplist_code: line.medins_list_codg,
    // cnt is 6,2 in 3101; the exact amount is in sumamt.
    cnt: new Decimal(line.cnt).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(),
    pric: line.pric,
    sumamt: line.det_item_fee_sumamt,
    // The moment of the charge: the rules compare charges of one item by it (e.g. a double charge).
    drord_begn_date: line.fee_ocur_time,
    ...(drord?.drord_endtime !== undefined && { drord_stop_date: drord.drord_endtime }),
    drord_dr_codg: line.bilg_dr_codg,
    drord_dr_name: line.bilg_dr_name,
    curr_drord_flag: current ? '1' : '0',
  };
}

function clip(text: string, max: number): string {
  return [...text].slice(0, max).join('');
}
