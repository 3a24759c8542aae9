import Decimal from 'decimal.js';
import { findMedListItem, type MedListItem } from './fee-catalogue';
import { isObject, type JsonObject } from './input-fields';
import { yearsBetween } from './insured-persons';

/**
 * The 3101/3102 明细审核 rules the simulator knows: a few that real rule engines raise on inpatient stays.
 * They read only the request (patient_dtos → fsi_encounter_dtos → orders and diagnoses), so they are pure.
 */
export interface AuditFinding {
  readonly rule_id: string;
  readonly rule_name: string;
  readonly vola_cont: string;
  readonly patn_id: string;
  readonly mdtrt_id: string;
  readonly vola_amt: Decimal;
  readonly sev_deg: string;
  readonly vola_evid: string;
  readonly vola_bhvr_type: string;
  readonly rx_ids: readonly string[];
}

export const AUDIT_RULES = {
  overLimit: { rule_id: 'SIM-R001', rule_name: '超限定数量使用药品' },
  duplicateCharge: { rule_id: 'SIM-R002', rule_name: '重复收费' },
  missingDiagnosis: { rule_id: 'SIM-R003', rule_name: '缺少主要诊断' },
  sexRestricted: { rule_id: 'SIM-R004', rule_name: '限定性别使用' },
  ageRestricted: { rule_id: 'SIM-R005', rule_name: '限定年龄使用' },
} as const;

const rows = (value: unknown): JsonObject[] => (Array.isArray(value) ? value.filter(isObject) : []);
const text = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : '';
const amount = (value: unknown): Decimal => {
  try {
    return new Decimal(text(value) || '0');
  } catch {
    return new Decimal(0);
  }
};

export function auditEncounters(patients: readonly JsonObject[]): AuditFinding[] {
  const findings: AuditFinding[] = [];
  for (const patient of patients) {
    const patn_id = text(patient['patn_id']);
    const person = { gend: text(patient['gend']), brdy: text(patient['brdy']) };
    for (const encounter of rows(patient['fsi_encounter_dtos'])) {
      const mdtrt_id = text(encounter['mdtrt_id']);
      const orders = rows(encounter['fsi_order_dtos']);
      const context = { patn_id, mdtrt_id };
      findings.push(
        ...missingDiagnosis(encounter, context),
        ...overLimit(orders, context),
        ...duplicateCharges(orders, context),
        ...restrictedToOthers(orders, person, text(encounter['adm_date']), context),
      );
    }
  }
  return findings;
}

interface EncounterContext {
  readonly patn_id: string;
  readonly mdtrt_id: string;
}

function missingDiagnosis(encounter: JsonObject, ctx: EncounterContext): AuditFinding[] {
  const hasMain = rows(encounter['fsi_diagnose_dtos']).some((d) => text(d['maindise_flag']) === '1');
  if (hasMain || text(encounter['dscg_main_dise_codg'])) return [];
  return [
    {
      ...AUDIT_RULES.missingDiagnosis,
      ...ctx,
      vola_cont: '就诊信息中未上传主要诊断，无法判断诊疗合理性',
      vola_amt: new Decimal(0),
      sev_deg: '1',
      vola_evid: '《医疗保障基金结算清单填写规范》主要诊断为必填项',
      vola_bhvr_type: '2',
      rx_ids: [],
    },
  ];
}

function overLimit(orders: readonly JsonObject[], ctx: EncounterContext): AuditFinding[] {
  const byCode = new Map<string, JsonObject[]>();
  for (const order of orders) {
    const code = text(order['hilist_code']);
    byCode.set(code, [...(byCode.get(code) ?? []), order]);
  }
  const findings: AuditFinding[] = [];
  for (const [code, group] of byCode) {
    const limit = findMedListItem(code)?.max_cnt_per_visit;
    if (!limit) continue;
    const total = group.reduce((sum, o) => sum.plus(amount(o['cnt'])), new Decimal(0));
    if (total.lte(limit)) continue;
    const pric = amount(group[0]?.['pric']);
    findings.push({
      ...AUDIT_RULES.overLimit,
      ...ctx,
      vola_cont: `药品[${text(group[0]?.['hilist_name']) || code}]本次住院使用数量${total.toString()}超过限定数量${limit}`,
      vola_amt: total.minus(limit).times(pric).toDecimalPlaces(2, Decimal.ROUND_HALF_UP),
      sev_deg: '2',
      vola_evid: '《国家基本医疗保险、工伤保险和生育保险药品目录》限定支付范围',
      vola_bhvr_type: '1',
      rx_ids: group.map((o) => text(o['rx_id'])),
    });
  }
  return findings;
}

/**
 * Items the list restricts to one sex or to children, used for another patient: the rules read the patient's
 * gend and brdy (patient_dtos), so without them they cannot fire. Age counts in whole years at the charge
 * (drord_begn_date), else at admission.
 */
function restrictedToOthers(
  orders: readonly JsonObject[],
  person: { gend: string; brdy: string },
  adm_date: string,
  ctx: EncounterContext,
): AuditFinding[] {
  const byItem = new Map<MedListItem, { orders: JsonObject[]; why: string; rule: 'sex' | 'age' }>();
  for (const order of orders) {
    const item = findMedListItem(text(order['hilist_code']));
    if (!item) continue;
    const at = text(order['drord_begn_date']) || adm_date;
    let breach: { why: string; rule: 'sex' | 'age' } | undefined;
    if (item.gend_limit && person.gend && person.gend !== item.gend_limit) {
      breach = {
        rule: 'sex',
        why: `限${item.gend_limit === '1' ? '男' : '女'}性使用，患者性别为${SEX[person.gend] ?? person.gend}`,
      };
    } else if (item.max_age !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(person.brdy) && at) {
      const age = yearsBetween(person.brdy, at);
      if (age > item.max_age)
        breach = { rule: 'age', why: `限${item.max_age}周岁及以下使用，患者年龄${age}岁` };
    }
    if (!breach) continue;
    const group = byItem.get(item) ?? { orders: [], ...breach };
    group.orders.push(order);
    byItem.set(item, group);
  }
  return [...byItem].map(([item, group]) => ({
    ...(group.rule === 'sex' ? AUDIT_RULES.sexRestricted : AUDIT_RULES.ageRestricted),
    ...ctx,
    vola_cont: `药品[${item.name}]${group.why}`,
    vola_amt: group.orders
      .reduce((sum, o) => sum.plus(amount(o['sumamt'])), new Decimal(0))
      .toDecimalPlaces(2, Decimal.ROUND_HALF_UP),
    sev_deg: '2',
    vola_evid: '《国家基本医疗保险、工伤保险和生育保险药品目录》限定支付范围',
    vola_bhvr_type: '1',
    rx_ids: group.orders.map((o) => text(o['rx_id'])),
  }));
}

const SEX: Readonly<Record<string, string>> = { '0': '未知', '1': '男', '2': '女', '9': '未说明' };

/** Same item charged twice at the same moment (same code and start time): the classic double charge. */
function duplicateCharges(orders: readonly JsonObject[], ctx: EncounterContext): AuditFinding[] {
  const seen = new Map<string, JsonObject>();
  const findings: AuditFinding[] = [];
  for (const order of orders) {
    const key = `${text(order['hilist_code'])}|${text(order['drord_begn_date'])}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, order);
      continue;
    }
    findings.push({
      ...AUDIT_RULES.duplicateCharge,
      ...ctx,
      vola_cont: `项目[${text(order['hilist_name']) || text(order['hilist_code'])}]在${text(order['drord_begn_date'])}重复收费`,
      vola_amt: amount(order['sumamt']).toDecimalPlaces(2, Decimal.ROUND_HALF_UP),
      sev_deg: '2',
      vola_evid: '《医疗保障基金使用监督管理条例》第十五条 重复收费',
      vola_bhvr_type: '1',
      rx_ids: [text(first['rx_id']), text(order['rx_id'])],
    });
  }
  return findings;
}
