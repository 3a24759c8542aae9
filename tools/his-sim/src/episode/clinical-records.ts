import { type DataOf } from '@yb/contracts';
import { platformDate, platformDateTime } from '../beijing-time';
import {
  CULTURE_SPECIMENS,
  EXAM_FINDINGS,
  LAB_PANELS,
  ORGANISMS,
  TESTED_ANTIBIOTICS,
} from '../reference/clinical-results';
import { type Doctor } from '../reference/departments';
import { type Operation } from '../reference/operations';
import { type SeededRandom } from '../random';

// What the HIS's clinical systems (LIS, PACS, EMR) record about a stay, in the his.clinical contracts.

export type OrderRecord = DataOf<'MedicalOrdersRecorded'>['orders'][number];

export function isLab(medins_list_codg: string): boolean {
  return medins_list_codg in LAB_PANELS;
}

export function isExam(medins_list_codg: string): boolean {
  return medins_list_codg in EXAM_FINDINGS;
}

export function labReport(
  rng: SeededRandom,
  ipt_no: string,
  rpotc_no: string,
  item: { medins_list_codg: string; name: string },
  at: number,
  doctor: Doctor,
): DataOf<'LabReportIssued'> {
  const analytes = LAB_PANELS[item.medins_list_codg] ?? [];
  return {
    ipt_no,
    rpotc_no,
    exam_item_code: item.medins_list_codg,
    exam_item_name: item.name,
    rpt_date: platformDateTime(at),
    rpot_doc: doctor.name,
    items: analytes.map((a) => {
      const abnormal = rng.chance(0.2);
      const span = a.high - a.low;
      const value = abnormal
        ? rng.chance(0.5) && a.low > 0
          ? a.low - span * 0.1 * rng.next() - 10 ** -a.decimals
          : a.high + span * 0.5 * rng.next() + 10 ** -a.decimals
        : a.low + span * rng.next();
      return {
        exam_item_detl_code: a.code,
        exam_item_detl_name: a.name,
        exam_rslt_val: value.toFixed(a.decimals),
        ...(a.unit && { exam_unt: a.unit }),
        ref_val: `${a.low}-${a.high}`,
        exam_rslt_abn: abnormal ? '1' : '0',
      };
    }),
  };
}

export function examReport(
  rng: SeededRandom,
  ipt_no: string,
  rpotc_no: string,
  item: { medins_list_codg: string; name: string },
  examinedAt: number,
  reportedAt: number,
): DataOf<'ExamReportIssued'> {
  const findings = EXAM_FINDINGS[item.medins_list_codg]!;
  const abnormal = rng.chance(0.45);
  return {
    ipt_no,
    rpotc_no,
    exam_item_code: item.medins_list_codg,
    exam_item_name: item.name,
    exam_part: findings.part,
    exam_date: platformDateTime(examinedAt),
    rpt_date: platformDateTime(reportedAt),
    exam_rslt_abn: abnormal ? '1' : '0',
    exam_ccls: abnormal ? rng.pick(findings.abnormal) : findings.normal,
    study_uids: findings.imaging
      ? [`1.2.840.113619.2.55.3.${rng.digits(10)}.${rng.digits(3)}.${rng.digits(10)}`]
      : [],
  };
}

/** A culture report; `organism` is undefined when nothing grew. */
export function cultureReport(
  rng: SeededRandom,
  ipt_no: string,
  rpotc_no: string,
  at: number,
  organism: { code: string; name: string } | undefined,
): DataOf<'BacterialCultureReported'> {
  return {
    ipt_no,
    rpotc_no,
    rpt_date: platformDateTime(at),
    specimen_name: rng.pick(CULTURE_SPECIMENS),
    ...(organism && { organism_code: organism.code }),
    organism_name: organism?.name ?? '无菌生长',
    culture_result: organism ? `培养出${organism.name}` : '培养48小时无菌生长',
  };
}

export function pickOrganism(rng: SeededRandom): { code: string; name: string } | undefined {
  return rng.chance(0.7) ? rng.pick(ORGANISMS) : undefined;
}

export function sensitivityReport(
  rng: SeededRandom,
  ipt_no: string,
  rpotc_no: string,
  at: number,
  organismName: string,
): DataOf<'DrugSensitivityReported'> {
  const drugs = TESTED_ANTIBIOTICS.filter(() => rng.chance(0.6));
  return {
    ipt_no,
    rpotc_no,
    rpt_date: platformDateTime(at),
    organism_name: organismName,
    results: (drugs.length > 0 ? drugs : [TESTED_ANTIBIOTICS[0]!]).map((drug_name) => ({
      drug_name,
      result_value: rng.pick(['≤0.25', '0.5', '1', '2', '≥8']),
      interpretation: rng.weighted([
        { value: 'S' as const, weight: 6 },
        { value: 'I' as const, weight: 1 },
        { value: 'R' as const, weight: 3 },
      ]),
    })),
  };
}

export function pathologyReport(
  ipt_no: string,
  palg_no: string,
  operation: Operation & { pathologySpecimen: string },
  sentAt: number,
  reportedAt: number,
  clinicalDiagnosis: string,
): DataOf<'PathologyReportIssued'> {
  return {
    ipt_no,
    palg_no,
    cma_date: platformDate(sentAt),
    rpot_date: platformDate(reportedAt),
    cma_matl: operation.pathologySpecimen,
    clnc_dise: clinicalDiagnosis,
    exam_fnd: `送检${operation.pathologySpecimen}一件，镜下见组织慢性炎细胞浸润，结构尚清`,
    palg_diag: `（${operation.pathologySpecimen}）符合${clinicalDiagnosis}`,
  };
}

/** A medical order; long-term (drord_type 1) orders run until stopped, temporary (2) ones once. */
export function order(
  drord_no: string,
  drord_type: '1' | '2',
  item: { medins_list_codg: string; name: string },
  issuedAt: number,
  dept_code: string,
  drug?: { route: string; frequency: string },
): OrderRecord {
  return {
    medcas_drord_detl_id: `${drord_no}-01`,
    drord_no,
    drord_type,
    drord_detl_code: item.medins_list_codg,
    drord_detl_name: item.name,
    drord_isu_no: platformDateTime(issuedAt),
    isu_dept_code: dept_code,
    ...(drug && {
      drug_used_way_code: drug.route,
      medn_use_frqu: drug.frequency,
      medc_begntime: platformDateTime(issuedAt),
    }),
    vali_flag: '1',
  };
}

/** The same order as stopped at `stoppedAt`. */
export function stopped(record: OrderRecord, stoppedAt: number): OrderRecord {
  return {
    ...record,
    drord_endtime: platformDateTime(stoppedAt),
    ...(record.medc_begntime && { medc_endtime: platformDateTime(stoppedAt) }),
  };
}
