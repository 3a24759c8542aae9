import { optionalString, requireNode, type JsonObject } from './input-fields';
import { yearsBetween, type InsuredPerson } from './insured-persons';
import type { LedgerContext } from './ledger-context';
import { claimFromCredential, enrol, fictitiousPerson } from './person-enrolment';
import { reject } from './platform-rejection';
import { money } from './wire-amounts';

/**
 * 1101 人员基本信息获取: finds the person by the credential the HIS read (mdtrt_cert_type 01 e-voucher token,
 * 02 ID number, 03 social-security card), or by certno.
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
  const person =
    [...ctx.state.persons.values()].find(matches) ?? enrolled(ctx, certType, certNo, certno, psnName);
  if (!person) reject('未查询到该人员的参保信息，请核实就诊凭证');
  if (psnName !== undefined && psnName !== person.psn_name) reject('传入的人员姓名与参保信息不一致');

  return {
    baseinfo: {
      psn_no: person.psn_no,
      psn_cert_type: person.psn_cert_type,
      certno: person.certno,
      psn_name: person.psn_name,
      gend: person.gend,
      naty: person.naty,
      brdy: person.brdy,
      age: yearsBetween(person.brdy, ctx.dateTime),
    },
    insuinfo: [
      {
        balc: money(ctx.state.balances.get(person.psn_no)!),
        insutype: person.insutype,
        psn_type: person.psn_type,
        psn_insu_stas: '1',
        psn_insu_date: person.psn_insu_date,
        paus_insu_date: null,
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
): InsuredPerson | undefined {
  if (!ctx.enrolUnknownPersons) return undefined;
  const claim = claimFromCredential(ctx, { mdtrt_cert_type, mdtrt_cert_no, certno, psn_name });
  if (!claim) return undefined;
  const person = fictitiousPerson(claim, ctx.dateTime);
  enrol(ctx, person);
  return person;
}
