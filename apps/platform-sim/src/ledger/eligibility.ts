import { requireNode, requireString, type JsonObject } from './input-fields';
import { type InsuredPerson } from './insured-persons';
import type { LedgerContext } from './ledger-context';
import { reject } from './platform-rejection';
import { ACCOUNT_FUND, policyFor } from './settlement-split';

/** psn_insu_stas 人员参保状态: only 1 正常参保 enjoys any fund. */
const NORMALLY_INSURED = '1';
const INSURANCE_STATUS: Readonly<Record<string, string>> = {
  '0': '未参保',
  '2': '暂停参保',
  '3': '终止参保',
  '4': '终止参保',
};

/** The person's 参保状态 as 1101 reports it. */
export function insuranceStatusOf(person: InsuredPerson): string {
  return person.psn_insu_stas ?? NORMALLY_INSURED;
}

/** Why the platform serves the person no fund at all (not normally insured), or undefined. */
export function insuranceStatusRefusal(person: InsuredPerson): string | undefined {
  const status = insuranceStatusOf(person);
  if (status === NORMALLY_INSURED) return undefined;
  return `参保人参保状态为[${INSURANCE_STATUS[status] ?? status}]，不享受医保待遇`;
}

/**
 * 2001 人员待遇享受检查 (spec part 2 §7.1): one trtinfo row per fund of the person's insurance (the pool, the
 * serious-illness tier, the personal account where it pays), each enjoyed or not for this kind of care (med_type),
 * with the reason when not. A person not normally insured enjoys none. With enrolment on, a psn_no nobody holds
 * stands for a fictitious person insured normally (2401 enrols them).
 */
export function checkEntitlement(ctx: LedgerContext): JsonObject {
  const data = requireNode(ctx.req.input, 'data');
  const psn_no = requireString(data, 'psn_no', 'data.');
  const insutype = requireString(data, 'insutype', 'data.');
  const med_type = requireString(data, 'med_type', 'data.');
  requireString(data, 'begntime', 'data.');
  requireString(data, 'fixmedins_code', 'data.');
  const person = ctx.state.persons.get(psn_no);
  if (!person && !ctx.enrolUnknownPersons) reject(`人员编号[${psn_no}]不存在，请核实参保信息`);
  if (person && person.insutype !== insutype) reject(`该人员无险种类型[${insutype}]的参保信息`);

  const refusal = person && insuranceStatusRefusal(person);
  return {
    trtinfo: fundsOf(insutype).map((fund_pay_type) => {
      const denial = person?.trt_denials?.find(
        (d) => d.fund_pay_type === fund_pay_type && d.med_types.includes(med_type),
      );
      const reason = refusal ?? denial?.trt_chk_rslt;
      return {
        psn_no,
        trt_chk_type: '01',
        fund_pay_type,
        trt_enjymnt_flag: reason === undefined ? '1' : '0',
        begndate: person?.psn_insu_date ?? null,
        enddate: person?.paus_insu_date ?? null,
        trt_chk_rslt: reason ?? null,
      };
    }),
  };
}

/** The funds an insurance type pays from (those the settlement rules split a bill across). */
function fundsOf(insutype: string): string[] {
  const policy = policyFor(insutype);
  if (!policy) return [`${insutype}100`];
  return [policy.poolFund, policy.seriousIllnessFund, ...(policy.accountUsable ? [ACCOUNT_FUND] : [])];
}
