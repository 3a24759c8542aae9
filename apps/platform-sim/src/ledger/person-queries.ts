import { insuranceStatusOf } from './eligibility';
import { optionalString, requireNode, type JsonObject } from './input-fields';
import { yearsBetween, type InsuredPerson } from './insured-persons';
import type { LedgerContext } from './ledger-context';
import { claimFromCredential, enrol, fictitiousPerson } from './person-enrolment';
import { reject } from './platform-rejection';
import { identityOf, knownPerson } from './visit-records';
import { money } from './wire-amounts';

/** mdtrt_cert_type 03 社会保障卡: the card's identification code (card_sn) must come with it. */
const SOCIAL_SECURITY_CARD = '03';

/**
 * 1101 人员基本信息获取: finds the person by the credential the HIS read (mdtrt_cert_type 01 e-voucher token,
 * 02 ID number, 03 social-security card with its card_sn), or by certno; answers the insurance with its 参保状态.
 */
export function queryPerson(ctx: LedgerContext): JsonObject {
  const data = requireNode(ctx.req.input, 'data');
  const certType = optionalString(data, 'mdtrt_cert_type');
  const certNo = optionalString(data, 'mdtrt_cert_no');
  const certno = optionalString(data, 'certno');
  if (!certNo && !certno) reject('入参[data.mdtrt_cert_no]不能为空');
  const matches = (p: InsuredPerson): boolean =>
    (certType === '01' && p.ec_token === certNo) ||
    (certType === '03' && p.card_no === certNo) ||
    ((certType === '02' || certType === undefined) && p.certno === certNo) ||
    (certno !== undefined && p.certno === certno);
  const psnName = optionalString(data, 'psn_name');
  const cardSn = optionalString(data, 'card_sn');
  if (certType === SOCIAL_SECURITY_CARD && cardSn === undefined) {
    reject('入参[data.card_sn]不能为空：就诊凭证类型为社会保障卡时必须传卡识别码');
  }
  const person =
    [...ctx.state.persons.values()].find(matches) ?? enrolled(ctx, certType, certNo, certno, psnName, cardSn);
  if (!person) reject('未查询到该人员的参保信息，请核实就诊凭证');
  if (psnName !== undefined && psnName !== person.psn_name) reject('传入的人员姓名与参保信息不一致');
  if (certType === SOCIAL_SECURITY_CARD && person.card_sn !== undefined && cardSn !== person.card_sn) {
    reject('社会保障卡卡识别码校验失败，请核实社会保障卡');
  }

  return {
    baseinfo: {
      psn_no: person.psn_no,
      ...identityOf(person),
      age: yearsBetween(person.brdy, ctx.dateTime),
    },
    insuinfo: [
      {
        balc: money(ctx.state.balances.get(person.psn_no)!),
        insutype: person.insutype,
        psn_type: person.psn_type,
        psn_insu_stas: insuranceStatusOf(person),
        psn_insu_date: person.psn_insu_date,
        paus_insu_date: person.paus_insu_date ?? null,
        cvlserv_flag: person.cvlserv_flag,
        insuplc_admdvs: person.insuplc_admdvs,
        emp_name: person.emp_name,
      },
    ],
    idetinfo: person.idet_types.map((psn_idet_type) => ({
      psn_idet_type,
      psn_type_lv: null,
      memo: null,
      begntime: person.psn_insu_date,
      endtime: null,
    })),
  };
}

/** With enrolment on, the fictitious person an unknown credential stands for (enrolled now); else undefined. */
function enrolled(
  ctx: LedgerContext,
  mdtrt_cert_type: string | undefined,
  mdtrt_cert_no: string | undefined,
  certno: string | undefined,
  psn_name: string | undefined,
  card_sn: string | undefined,
): InsuredPerson | undefined {
  if (!ctx.enrolUnknownPersons) return undefined;
  const claim = claimFromCredential(ctx, { mdtrt_cert_type, mdtrt_cert_no, certno, psn_name });
  if (!claim) return undefined;
  // A card read for the first time is issued with the code it carries.
  const card = mdtrt_cert_type === SOCIAL_SECURITY_CARD ? { card_sn } : {};
  const person: InsuredPerson = { ...fictitiousPerson(claim, ctx.dateTime), ...card };
  enrol(ctx, person);
  return person;
}

/**
 * 5205 人员慢特病用药记录查询, 5301 人员慢特病备案查询, 5302 人员定点信息查询, 5304 转院信息查询: the sandbox keeps
 * no chronic-disease dispensing (it plays inpatient care only), registrations, designated hospitals nor
 * referrals, so a person it knows truthfully has none: the spec's node, empty.
 */
export function answerNothingRecorded(node: string): (ctx: LedgerContext) => JsonObject {
  return (ctx) => {
    const data = requireNode(ctx.req.input, 'data');
    knownPerson(ctx, data);
    return { [node]: [] };
  };
}
