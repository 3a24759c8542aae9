import { type z } from 'zod';
import type * as SignIn from './sign-in';
import type * as Person from './person';
import type * as Eligibility from './eligibility';
import type * as CatalogueQueries from './catalogue-queries';
import type * as Admission from './admission';
import type * as FeeDetail from './fee-detail';
import type * as Settlement from './settlement';
import type * as Reversal from './reversal';
import type * as Audit from './audit';
import type * as SettlementList from './settlement-list';
import type * as MedicalRecord from './medical-record';
import type * as ClinicalReports from './clinical-reports';
import type * as Reconciliation from './reconciliation';
import type * as PeriodSettlements from './period-settlements';
import type * as Files from './files';
import type * as SettlementSlip from './settlement-slip';
import type * as Clearing from './clearing';
import { PERSON_QUERY_SCHEMAS } from './person-queries';
import { VISIT_QUERY_SCHEMAS } from './visit-queries';

/**
 * Each interface module's schemas are built when one of its interfaces is first used, not when the library
 * loads: a service pays for the interfaces it calls (fee-detail: 2301, 2302, 2601 and the sign-in's, ≈ 0.6 MiB
 * of heap), not for the catalogue's (≈ 5.9 MiB built in every service, zod making ≈ 25 bound methods per
 * schema).
 */
function lazily<Module>(load: () => Module): () => Module {
  let loaded: Module | undefined;
  return () => (loaded ??= load());
}
/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, see lazily */
const signIn = lazily(() => require('./sign-in') as typeof SignIn);
const person = lazily(() => require('./person') as typeof Person);
const eligibility = lazily(() => require('./eligibility') as typeof Eligibility);
const catalogueQueries = lazily(() => require('./catalogue-queries') as typeof CatalogueQueries);
const admission = lazily(() => require('./admission') as typeof Admission);
const feeDetail = lazily(() => require('./fee-detail') as typeof FeeDetail);
const settlement = lazily(() => require('./settlement') as typeof Settlement);
const reversal = lazily(() => require('./reversal') as typeof Reversal);
const audit = lazily(() => require('./audit') as typeof Audit);
const settlementList = lazily(() => require('./settlement-list') as typeof SettlementList);
const medicalRecord = lazily(() => require('./medical-record') as typeof MedicalRecord);
const clinicalReports = lazily(() => require('./clinical-reports') as typeof ClinicalReports);
const reconciliation = lazily(() => require('./reconciliation') as typeof Reconciliation);
const periodSettlements = lazily(() => require('./period-settlements') as typeof PeriodSettlements);
const files = lazily(() => require('./files') as typeof Files);
const settlementSlip = lazily(() => require('./settlement-slip') as typeof SettlementSlip);
const clearing = lazily(() => require('./clearing') as typeof Clearing);
/* eslint-enable @typescript-eslint/no-require-imports */

// The typed interfaces: for each infno the `input` node as it goes on the wire (a caller's form is
// normalised first: see validateInput) and the `output` node as we read it (numbers normalised to
// decimal strings, only what the business needs required: see readOutput).

export interface InterfaceSchema {
  /** Chinese name, as in the catalogue. */
  readonly name: string;
  readonly input: z.ZodTypeAny;
  readonly output: z.ZodTypeAny;
  /**
   * The wrapper node(s) of `input` on the wire, e.g. ['mdtrtinfo', 'diseinfo[]']: a `[]` node is sent as a
   * list (a single object becomes a one-element list), any other as an object (a one-element list becomes
   * its object).
   */
  readonly inputNodes: readonly string[];
  /** The node(s) of `output`, read in the same forms; empty when the platform answers without a body. */
  readonly outputNodes: readonly string[];
}

export const INTERFACE_SCHEMAS = {
  '9001': {
    name: '签到',
    get input() {
      return signIn().input9001;
    },
    get output() {
      return signIn().output9001;
    },
    inputNodes: ['signIn'],
    outputNodes: ['signinoutb'],
  },
  '9002': {
    name: '签退',
    get input() {
      return signIn().input9002;
    },
    get output() {
      return signIn().output9002;
    },
    inputNodes: ['signOut'],
    outputNodes: ['signoutoutb'],
  },
  '1101': {
    name: '人员信息获取',
    get input() {
      return person().input1101;
    },
    get output() {
      return person().output1101;
    },
    inputNodes: ['data'],
    outputNodes: ['baseinfo', 'insuinfo[]', 'idetinfo[]'],
  },
  '1307': {
    name: '疾病与诊断目录下载',
    get input() {
      return catalogueQueries().inputFileCatalogue;
    },
    get output() {
      return catalogueQueries().outputFileCatalogue;
    },
    inputNodes: ['data'],
    outputNodes: [],
  },
  '1308': {
    name: '手术操作目录下载',
    get input() {
      return catalogueQueries().inputFileCatalogue;
    },
    get output() {
      return catalogueQueries().outputFileCatalogue;
    },
    inputNodes: ['data'],
    outputNodes: [],
  },
  '1310': {
    name: '按病种付费病种目录下载',
    get input() {
      return catalogueQueries().inputFileCatalogue;
    },
    get output() {
      return catalogueQueries().outputFileCatalogue;
    },
    inputNodes: ['data'],
    outputNodes: [],
  },
  '1311': {
    name: '日间手术治疗病种目录下载',
    get input() {
      return catalogueQueries().inputFileCatalogue;
    },
    get output() {
      return catalogueQueries().outputFileCatalogue;
    },
    inputNodes: ['data'],
    outputNodes: [],
  },
  '1313': {
    name: '肿瘤形态学目录下载',
    get input() {
      return catalogueQueries().inputFileCatalogue;
    },
    get output() {
      return catalogueQueries().outputFileCatalogue;
    },
    inputNodes: ['data'],
    outputNodes: [],
  },
  '1314': {
    name: '中医疾病目录下载',
    get input() {
      return catalogueQueries().inputFileCatalogue;
    },
    get output() {
      return catalogueQueries().outputFileCatalogue;
    },
    inputNodes: ['data'],
    outputNodes: [],
  },
  '1315': {
    name: '中医证候目录下载',
    get input() {
      return catalogueQueries().inputFileCatalogue;
    },
    get output() {
      return catalogueQueries().outputFileCatalogue;
    },
    inputNodes: ['data'],
    outputNodes: [],
  },
  '9102': {
    name: '文件下载',
    get input() {
      return catalogueQueries().input9102;
    },
    get output() {
      return catalogueQueries().output9102;
    },
    inputNodes: ['fsDownloadIn'],
    outputNodes: [],
  },
  '1312': {
    name: '医保目录信息查询',
    get input() {
      return catalogueQueries().input1312;
    },
    get output() {
      return catalogueQueries().output1312;
    },
    inputNodes: ['data'],
    outputNodes: ['data[]'],
  },
  // Hubei's item masters instead of 1301–1306: 1312's paged query as far as anything public shows (§5.5).
  '1312A': {
    name: '医保目录信息查询',
    get input() {
      return catalogueQueries().input1312;
    },
    get output() {
      return catalogueQueries().output1312;
    },
    inputNodes: ['data'],
    outputNodes: ['data[]'],
  },
  '1318': {
    name: '医保目录限价信息查询',
    get input() {
      return catalogueQueries().input1318;
    },
    get output() {
      return catalogueQueries().output1318;
    },
    inputNodes: ['data'],
    outputNodes: ['data[]'],
  },
  '1319': {
    name: '医保目录先自付比例信息查询',
    get input() {
      return catalogueQueries().input1319;
    },
    get output() {
      return catalogueQueries().output1319;
    },
    inputNodes: ['data'],
    outputNodes: ['data[]'],
  },
  '1901': {
    name: '字典表查询',
    get input() {
      return catalogueQueries().input1901;
    },
    get output() {
      return catalogueQueries().output1901;
    },
    inputNodes: ['data'],
    outputNodes: ['list[]'],
  },
  '3301': {
    name: '目录对照上传',
    get input() {
      return catalogueQueries().input3301;
    },
    get output() {
      return catalogueQueries().output3301;
    },
    inputNodes: ['data[]'],
    outputNodes: [],
  },
  '3302': {
    name: '目录对照撤销',
    get input() {
      return catalogueQueries().input3302;
    },
    get output() {
      return catalogueQueries().output3302;
    },
    inputNodes: ['data'],
    outputNodes: [],
  },
  '2001': {
    name: '人员待遇享受检查',
    get input() {
      return eligibility().input2001;
    },
    get output() {
      return eligibility().output2001;
    },
    inputNodes: ['data'],
    outputNodes: ['trtinfo[]'],
  },
  '2401': {
    name: '入院办理',
    get input() {
      return admission().input2401;
    },
    get output() {
      return admission().output2401;
    },
    inputNodes: ['mdtrtinfo', 'diseinfo[]'],
    outputNodes: ['result'],
  },
  '2402': {
    name: '出院办理',
    get input() {
      return admission().input2402;
    },
    get output() {
      return admission().output2402;
    },
    inputNodes: ['dscginfo', 'diseinfo[]'],
    outputNodes: [],
  },
  '2403': {
    name: '入院信息变更',
    get input() {
      return admission().input2403;
    },
    get output() {
      return admission().output2403;
    },
    inputNodes: ['adminfo', 'diseinfo[]'],
    outputNodes: [],
  },
  '2404': {
    name: '入院撤销',
    get input() {
      return admission().input2404;
    },
    get output() {
      return admission().output2404;
    },
    inputNodes: ['data'],
    outputNodes: [],
  },
  '2405': {
    name: '出院撤销',
    get input() {
      return admission().input2405;
    },
    get output() {
      return admission().output2405;
    },
    inputNodes: ['data'],
    outputNodes: [],
  },
  '2406': {
    name: '就医特殊属性上传',
    get input() {
      return admission().input2406;
    },
    get output() {
      return admission().output2406;
    },
    inputNodes: ['data'],
    outputNodes: ['data'],
  },
  '2407': {
    name: '就医特殊属性查询',
    get input() {
      return admission().input2407;
    },
    get output() {
      return admission().output2407;
    },
    inputNodes: ['data'],
    outputNodes: ['data[] | IptPsnSpFlagReg.data[]'],
  },
  '2301': {
    name: '住院费用明细上传',
    get input() {
      return feeDetail().input2301;
    },
    get output() {
      return feeDetail().output2301;
    },
    inputNodes: ['feedetail[]'],
    outputNodes: ['result[]'],
  },
  '2302': {
    name: '住院费用明细撤销',
    get input() {
      return feeDetail().input2302;
    },
    get output() {
      return feeDetail().output2302;
    },
    inputNodes: ['data[]'],
    outputNodes: [],
  },
  '2303': {
    name: '住院预结算',
    get input() {
      return settlement().input2303;
    },
    get output() {
      return settlement().output2303;
    },
    inputNodes: ['data'],
    outputNodes: ['setlinfo', 'setldetail[]'],
  },
  '2304': {
    name: '住院结算',
    get input() {
      return settlement().input2304;
    },
    get output() {
      return settlement().output2304;
    },
    inputNodes: ['data'],
    outputNodes: ['setlinfo', 'setldetail[]'],
  },
  '2305': {
    name: '住院结算撤销',
    get input() {
      return settlement().input2305;
    },
    get output() {
      return settlement().output2305;
    },
    inputNodes: ['data'],
    outputNodes: ['setlinfo', 'setldetail[]'],
  },
  '2601': {
    name: '冲正交易',
    get input() {
      return reversal().input2601;
    },
    get output() {
      return reversal().output2601;
    },
    inputNodes: ['data'],
    outputNodes: [],
  },
  '3101': {
    name: '明细审核事前分析服务',
    get input() {
      return audit().input3101;
    },
    get output() {
      return audit().output3101;
    },
    inputNodes: ['data'],
    outputNodes: ['result[]'],
  },
  '3102': {
    name: '明细审核事中分析服务',
    get input() {
      return audit().input3102;
    },
    get output() {
      return audit().output3102;
    },
    inputNodes: ['data'],
    outputNodes: ['result[]'],
  },
  '4101A': {
    name: '医疗保障基金结算清单信息上传',
    get input() {
      return settlementList().input4101A;
    },
    get output() {
      return settlementList().output4101A;
    },
    inputNodes: ['setlinfo', 'opspdiseinfo[]', 'diseinfo[]', 'oprninfo[]', 'icuinfo[]', 'bldinfo[]'],
    outputNodes: ['setl_list_id'],
  },
  '4102': {
    name: '医疗保障基金结算清单状态修改',
    get input() {
      return settlementList().input4102;
    },
    get output() {
      return settlementList().output4102;
    },
    inputNodes: ['data'],
    outputNodes: [],
  },
  '4401': {
    name: '住院病案首页信息',
    get input() {
      return medicalRecord().input4401;
    },
    get output() {
      return medicalRecord().output4401;
    },
    inputNodes: ['baseinfo', 'diseinfo[]', 'oprninfo[]', 'icuinfo[]'],
    outputNodes: [],
  },
  '4402': {
    name: '住院医嘱记录',
    get input() {
      return medicalRecord().input4402;
    },
    get output() {
      return medicalRecord().output4402;
    },
    inputNodes: ['data[]'],
    outputNodes: [],
  },
  '4501': {
    name: '临床检查报告记录',
    get input() {
      return clinicalReports().input4501;
    },
    get output() {
      return clinicalReports().output4501;
    },
    inputNodes: ['examinfo', 'iteminfo[]', 'sampleinfo[]', 'imageinfo[]'],
    outputNodes: [],
  },
  '4502': {
    name: '临床检验报告记录',
    get input() {
      return clinicalReports().input4502;
    },
    get output() {
      return clinicalReports().output4502;
    },
    inputNodes: ['labinfo', 'iteminfo[]', 'sampleinfo[]'],
    outputNodes: [],
  },
  '4503': {
    name: '细菌培养报告记录',
    get input() {
      return clinicalReports().input4503;
    },
    get output() {
      return clinicalReports().output4503;
    },
    inputNodes: ['data[]'],
    outputNodes: [],
  },
  '4504': {
    name: '药敏记录报告记录',
    get input() {
      return clinicalReports().input4504;
    },
    get output() {
      return clinicalReports().output4504;
    },
    inputNodes: ['data[]'],
    outputNodes: [],
  },
  '4505': {
    name: '病理检查报告记录',
    get input() {
      return clinicalReports().input4505;
    },
    get output() {
      return clinicalReports().output4505;
    },
    inputNodes: ['data'],
    outputNodes: [],
  },
  '4506': {
    name: '非结构化报告记录',
    get input() {
      return clinicalReports().input4506;
    },
    get output() {
      return clinicalReports().output4506;
    },
    inputNodes: ['data'],
    outputNodes: [],
  },
  '3201': {
    name: '医药机构费用结算对总账',
    get input() {
      return reconciliation().input3201;
    },
    get output() {
      return reconciliation().output3201;
    },
    inputNodes: ['data'],
    outputNodes: ['stmtinfo'],
  },
  '3202': {
    name: '医药机构费用结算对明细账',
    get input() {
      return reconciliation().input3202;
    },
    get output() {
      return reconciliation().output3202;
    },
    inputNodes: ['data'],
    outputNodes: ['fileinfo'],
  },
  '3203': {
    name: '清算申请',
    get input() {
      return clearing().input3203;
    },
    get output() {
      return clearing().output3203;
    },
    inputNodes: ['data'],
    outputNodes: ['result'],
  },
  '3204': {
    name: '清算申请撤销',
    get input() {
      return clearing().input3204;
    },
    get output() {
      return clearing().output3204;
    },
    inputNodes: ['data'],
    outputNodes: [],
  },
  // Hubei's clearing by agency (local insured) and its 异地 twin: 3203's fields plus clr_optins (§3.4, unverified).
  '3202A': {
    name: '医药机构费用结算申请',
    get input() {
      return clearing().input3202A;
    },
    get output() {
      return clearing().output3202A;
    },
    inputNodes: ['data'],
    outputNodes: ['result'],
  },
  '3204A': {
    name: '医药机构费用结算申请撤销',
    get input() {
      return clearing().input3204A;
    },
    get output() {
      return clearing().output3204A;
    },
    inputNodes: ['data'],
    outputNodes: [],
  },
  '1608': {
    name: '医药机构费用结算异地申请',
    get input() {
      return clearing().input3202A;
    },
    get output() {
      return clearing().output3202A;
    },
    inputNodes: ['data'],
    outputNodes: ['result'],
  },
  '1618': {
    name: '医药机构费用结算异地申请撤销',
    get input() {
      return clearing().input3204A;
    },
    get output() {
      return clearing().output3204A;
    },
    inputNodes: ['data'],
    outputNodes: [],
  },
  // Hubei's 申请单打印, read as Jilin's status query (the application as the agency holds it; §3.3, unverified).
  '3205A': {
    name: '医药机构费用结算申请单打印',
    get input() {
      return clearing().input3205A;
    },
    get output() {
      return clearing().output3205A;
    },
    inputNodes: ['data'],
    outputNodes: ['clr_appys[]'],
  },
  '5203': {
    name: '结算信息查询',
    get input() {
      return reconciliation().input5203;
    },
    get output() {
      return reconciliation().output5203;
    },
    inputNodes: ['data'],
    outputNodes: ['setlinfo', 'setldetail[]'],
  },
  // Hubei's period checks (HIS–MIS 对账 by time window), after Dongguan's 90502 (spec part 2 §2.6, unverified).
  '5262': {
    name: '结算信息按时间段查询',
    get input() {
      return periodSettlements().inputSettlementWindow;
    },
    get output() {
      return periodSettlements().outputSettlementWindow;
    },
    inputNodes: ['data'],
    outputNodes: ['setlinfo[]'],
  },
  '5267': {
    name: '异地结算信息时间段查询',
    get input() {
      return periodSettlements().inputSettlementWindow;
    },
    get output() {
      return periodSettlements().outputSettlementWindow;
    },
    inputNodes: ['data'],
    outputNodes: ['setlinfo[]'],
  },
  '9101': {
    name: '文件上传',
    get input() {
      return files().input9101;
    },
    get output() {
      return files().output9101;
    },
    inputNodes: ['fsUploadIn'],
    outputNodes: [],
  },
  YH03: {
    name: '结算单据打印',
    get input() {
      return settlementSlip().inputYH03;
    },
    get output() {
      return settlementSlip().outputYH03;
    },
    inputNodes: ['data'],
    outputNodes: [],
  },
  ...VISIT_QUERY_SCHEMAS,
  ...PERSON_QUERY_SCHEMAS,
} as const satisfies Record<string, InterfaceSchema>;

export type TypedInfno = keyof typeof INTERFACE_SCHEMAS;

/** An interface's `input` as it is sent: what validateInput returns. */
export type InterfaceInput<I extends TypedInfno> = z.output<(typeof INTERFACE_SCHEMAS)[I]['input']>;
/**
 * What a caller may pass as `input`: numbers as JSON numbers or numeric strings (`""` or null for a field not
 * given is accepted at run time too); validateInput makes it an InterfaceInput.
 */
export type InterfaceRequest<I extends TypedInfno> = z.input<(typeof INTERFACE_SCHEMAS)[I]['input']>;
/** The platform's `output` for an interface once parsed: numeric fields are decimal strings. */
export type InterfaceOutput<I extends TypedInfno> = z.output<(typeof INTERFACE_SCHEMAS)[I]['output']>;

/** A typed interface's parsed output paired with its infno: a switch on `infno` narrows `output`. */
export type TypedOutput<I extends TypedInfno = TypedInfno> = {
  [K in I]: { readonly infno: K; readonly output: InterfaceOutput<K> };
}[I];

export type TypedInterfaces = {
  [I in TypedInfno]: { input: InterfaceRequest<I>; output: InterfaceOutput<I> };
};

export const TYPED_INFNOS = Object.keys(INTERFACE_SCHEMAS) as TypedInfno[];

export function isTypedInfno(infno: string): infno is TypedInfno {
  return Object.prototype.hasOwnProperty.call(INTERFACE_SCHEMAS, infno);
}

export type Input9001 = InterfaceInput<'9001'>;
export type Output9001 = InterfaceOutput<'9001'>;
export type Input9002 = InterfaceInput<'9002'>;
export type Output9002 = InterfaceOutput<'9002'>;
export type Input1101 = InterfaceInput<'1101'>;
export type Output1101 = InterfaceOutput<'1101'>;
export type Input2001 = InterfaceInput<'2001'>;
export type Output2001 = InterfaceOutput<'2001'>;
export type Output1312 = InterfaceOutput<'1312'>;
export type Output1318 = InterfaceOutput<'1318'>;
export type Output1319 = InterfaceOutput<'1319'>;
export type Output1901 = InterfaceOutput<'1901'>;
export type Input3301 = InterfaceInput<'3301'>;
export type Input3302 = InterfaceInput<'3302'>;
export type Input2401 = InterfaceInput<'2401'>;
export type Output2401 = InterfaceOutput<'2401'>;
export type Input2402 = InterfaceInput<'2402'>;
export type Output2402 = InterfaceOutput<'2402'>;
export type Input2403 = InterfaceInput<'2403'>;
export type Output2403 = InterfaceOutput<'2403'>;
export type Input2404 = InterfaceInput<'2404'>;
export type Output2404 = InterfaceOutput<'2404'>;
export type Input2405 = InterfaceInput<'2405'>;
export type Output2405 = InterfaceOutput<'2405'>;
export type Input2406 = InterfaceInput<'2406'>;
export type Output2406 = InterfaceOutput<'2406'>;
export type Input2407 = InterfaceInput<'2407'>;
export type Output2407 = InterfaceOutput<'2407'>;
export type Input2301 = InterfaceInput<'2301'>;
export type Output2301 = InterfaceOutput<'2301'>;
export type Input2302 = InterfaceInput<'2302'>;
export type Output2302 = InterfaceOutput<'2302'>;
export type Input2303 = InterfaceInput<'2303'>;
export type Output2303 = InterfaceOutput<'2303'>;
export type Input2304 = InterfaceInput<'2304'>;
export type Output2304 = InterfaceOutput<'2304'>;
export type Input2305 = InterfaceInput<'2305'>;
export type Output2305 = InterfaceOutput<'2305'>;
export type Input2601 = InterfaceInput<'2601'>;
export type Output2601 = InterfaceOutput<'2601'>;
export type Input3101 = InterfaceInput<'3101'>;
export type Output3101 = InterfaceOutput<'3101'>;
export type Input3102 = InterfaceInput<'3102'>;
export type Output3102 = InterfaceOutput<'3102'>;
export type Input4101A = InterfaceInput<'4101A'>;
export type Output4101A = InterfaceOutput<'4101A'>;
export type Input4102 = InterfaceInput<'4102'>;
export type Output4102 = InterfaceOutput<'4102'>;
export type Input4401 = InterfaceInput<'4401'>;
export type Output4401 = InterfaceOutput<'4401'>;
export type Input4402 = InterfaceInput<'4402'>;
export type Output4402 = InterfaceOutput<'4402'>;
export type Input4501 = InterfaceInput<'4501'>;
export type Output4501 = InterfaceOutput<'4501'>;
export type Input4502 = InterfaceInput<'4502'>;
export type Output4502 = InterfaceOutput<'4502'>;
export type Input4503 = InterfaceInput<'4503'>;
export type Output4503 = InterfaceOutput<'4503'>;
export type Input4504 = InterfaceInput<'4504'>;
export type Output4504 = InterfaceOutput<'4504'>;
export type Input4505 = InterfaceInput<'4505'>;
export type Output4505 = InterfaceOutput<'4505'>;
export type Input4506 = InterfaceInput<'4506'>;
export type Output4506 = InterfaceOutput<'4506'>;
export type Input3201 = InterfaceInput<'3201'>;
export type Output3201 = InterfaceOutput<'3201'>;
export type Input3202 = InterfaceInput<'3202'>;
export type Output3202 = InterfaceOutput<'3202'>;
export type Input5203 = InterfaceInput<'5203'>;
export type Output5203 = InterfaceOutput<'5203'>;
export type Input5262 = InterfaceInput<'5262'>;
export type Output5262 = InterfaceOutput<'5262'>;
export type Input9101 = InterfaceInput<'9101'>;
export type Output9101 = InterfaceOutput<'9101'>;
export type Input9102 = InterfaceInput<'9102'>;
export type InputYH03 = InterfaceInput<'YH03'>;
export type Output9102 = InterfaceOutput<'9102'>;
export type Input3203 = InterfaceInput<'3203'>;
export type Output3203 = InterfaceOutput<'3203'>;
export type Input3204 = InterfaceInput<'3204'>;
export type Output3204 = InterfaceOutput<'3204'>;
export type Input3202A = InterfaceInput<'3202A'>;
export type Output3202A = InterfaceOutput<'3202A'>;
export type Input3204A = InterfaceInput<'3204A'>;
export type Output3204A = InterfaceOutput<'3204A'>;
export type Input3205A = InterfaceInput<'3205A'>;
export type Output3205A = InterfaceOutput<'3205A'>;
