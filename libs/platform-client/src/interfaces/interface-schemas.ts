import { type z } from 'zod';
import { input9001, input9002, output9001, output9002 } from './sign-in';
import { input1101, output1101 } from './person';
import { input2001, output2001 } from './eligibility';
import {
  input1312,
  input1318,
  input1319,
  input1901,
  input3301,
  input3302,
  input9102,
  inputFileCatalogue,
  output1312,
  output1318,
  output1319,
  output1901,
  output3301,
  output3302,
  output9102,
  outputFileCatalogue,
} from './catalogue-queries';
import {
  input2401,
  input2402,
  input2403,
  input2404,
  input2405,
  input2406,
  input2407,
  output2401,
  output2402,
  output2403,
  output2404,
  output2405,
  output2406,
  output2407,
} from './admission';
import { input2301, input2302, output2301, output2302 } from './fee-detail';
import { input2303, input2304, input2305, output2303, output2304, output2305 } from './settlement';
import { input2601, output2601 } from './reversal';
import { input3101, input3102, output3101, output3102 } from './audit';
import { input4101A, input4102, output4101A, output4102 } from './settlement-list';
import { input4401, input4402, output4401, output4402 } from './medical-record';
import {
  input4501,
  input4502,
  input4503,
  input4504,
  input4505,
  input4506,
  output4501,
  output4502,
  output4503,
  output4504,
  output4505,
  output4506,
} from './clinical-reports';
import { input3201, input3202, input5203, output3201, output3202, output5203 } from './reconciliation';
import { inputSettlementWindow, outputSettlementWindow } from './period-settlements';
import { input9101, output9101 } from './files';
import { PERSON_QUERY_SCHEMAS } from './person-queries';
import { VISIT_QUERY_SCHEMAS } from './visit-queries';
import { inputYH03, outputYH03 } from './settlement-slip';
import {
  input3202A,
  input3203,
  input3204,
  input3204A,
  input3205A,
  output3202A,
  output3203,
  output3204,
  output3204A,
  output3205A,
} from './clearing';

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
    input: input9001,
    output: output9001,
    inputNodes: ['signIn'],
    outputNodes: ['signinoutb'],
  },
  '9002': {
    name: '签退',
    input: input9002,
    output: output9002,
    inputNodes: ['signOut'],
    outputNodes: ['signoutoutb'],
  },
  '1101': {
    name: '人员信息获取',
    input: input1101,
    output: output1101,
    inputNodes: ['data'],
    outputNodes: ['baseinfo', 'insuinfo[]', 'idetinfo[]'],
  },
  '1307': {
    name: '疾病与诊断目录下载',
    input: inputFileCatalogue,
    output: outputFileCatalogue,
    inputNodes: ['data'],
    outputNodes: [],
  },
  '1308': {
    name: '手术操作目录下载',
    input: inputFileCatalogue,
    output: outputFileCatalogue,
    inputNodes: ['data'],
    outputNodes: [],
  },
  '1310': {
    name: '按病种付费病种目录下载',
    input: inputFileCatalogue,
    output: outputFileCatalogue,
    inputNodes: ['data'],
    outputNodes: [],
  },
  '1311': {
    name: '日间手术治疗病种目录下载',
    input: inputFileCatalogue,
    output: outputFileCatalogue,
    inputNodes: ['data'],
    outputNodes: [],
  },
  '1313': {
    name: '肿瘤形态学目录下载',
    input: inputFileCatalogue,
    output: outputFileCatalogue,
    inputNodes: ['data'],
    outputNodes: [],
  },
  '1314': {
    name: '中医疾病目录下载',
    input: inputFileCatalogue,
    output: outputFileCatalogue,
    inputNodes: ['data'],
    outputNodes: [],
  },
  '1315': {
    name: '中医证候目录下载',
    input: inputFileCatalogue,
    output: outputFileCatalogue,
    inputNodes: ['data'],
    outputNodes: [],
  },
  '9102': {
    name: '文件下载',
    input: input9102,
    output: output9102,
    inputNodes: ['fsDownloadIn'],
    outputNodes: [],
  },
  '1312': {
    name: '医保目录信息查询',
    input: input1312,
    output: output1312,
    inputNodes: ['data'],
    outputNodes: ['data[]'],
  },
  // Hubei's item masters instead of 1301–1306: 1312's paged query as far as anything public shows (§5.5).
  '1312A': {
    name: '医保目录信息查询',
    input: input1312,
    output: output1312,
    inputNodes: ['data'],
    outputNodes: ['data[]'],
  },
  '1318': {
    name: '医保目录限价信息查询',
    input: input1318,
    output: output1318,
    inputNodes: ['data'],
    outputNodes: ['data[]'],
  },
  '1319': {
    name: '医保目录先自付比例信息查询',
    input: input1319,
    output: output1319,
    inputNodes: ['data'],
    outputNodes: ['data[]'],
  },
  '1901': {
    name: '字典表查询',
    input: input1901,
    output: output1901,
    inputNodes: ['data'],
    outputNodes: ['list[]'],
  },
  '3301': {
    name: '目录对照上传',
    input: input3301,
    output: output3301,
    inputNodes: ['data[]'],
    outputNodes: [],
  },
  '3302': {
    name: '目录对照撤销',
    input: input3302,
    output: output3302,
    inputNodes: ['data'],
    outputNodes: [],
  },
  '2001': {
    name: '人员待遇享受检查',
    input: input2001,
    output: output2001,
    inputNodes: ['data'],
    outputNodes: ['trtinfo[]'],
  },
  '2401': {
    name: '入院办理',
    input: input2401,
    output: output2401,
    inputNodes: ['mdtrtinfo', 'diseinfo[]'],
    outputNodes: ['result'],
  },
  '2402': {
    name: '出院办理',
    input: input2402,
    output: output2402,
    inputNodes: ['dscginfo', 'diseinfo[]'],
    outputNodes: [],
  },
  '2403': {
    name: '入院信息变更',
    input: input2403,
    output: output2403,
    inputNodes: ['adminfo', 'diseinfo[]'],
    outputNodes: [],
  },
  '2404': {
    name: '入院撤销',
    input: input2404,
    output: output2404,
    inputNodes: ['data'],
    outputNodes: [],
  },
  '2405': {
    name: '出院撤销',
    input: input2405,
    output: output2405,
    inputNodes: ['data'],
    outputNodes: [],
  },
  '2406': {
    name: '就医特殊属性上传',
    input: input2406,
    output: output2406,
    inputNodes: ['data'],
    outputNodes: ['data'],
  },
  '2407': {
    name: '就医特殊属性查询',
    input: input2407,
    output: output2407,
    inputNodes: ['data'],
    outputNodes: ['data[] | IptPsnSpFlagReg.data[]'],
  },
  '2301': {
    name: '住院费用明细上传',
    input: input2301,
    output: output2301,
    inputNodes: ['feedetail[]'],
    outputNodes: ['result[]'],
  },
  '2302': {
    name: '住院费用明细撤销',
    input: input2302,
    output: output2302,
    inputNodes: ['data[]'],
    outputNodes: [],
  },
  '2303': {
    name: '住院预结算',
    input: input2303,
    output: output2303,
    inputNodes: ['data'],
    outputNodes: ['setlinfo', 'setldetail[]'],
  },
  '2304': {
    name: '住院结算',
    input: input2304,
    output: output2304,
    inputNodes: ['data'],
    outputNodes: ['setlinfo', 'setldetail[]'],
  },
  '2305': {
    name: '住院结算撤销',
    input: input2305,
    output: output2305,
    inputNodes: ['data'],
    outputNodes: ['setlinfo', 'setldetail[]'],
  },
  '2601': {
    name: '冲正交易',
    input: input2601,
    output: output2601,
    inputNodes: ['data'],
    outputNodes: [],
  },
  '3101': {
    name: '明细审核事前分析服务',
    input: input3101,
    output: output3101,
    inputNodes: ['data'],
    outputNodes: ['result[]'],
  },
  '3102': {
    name: '明细审核事中分析服务',
    input: input3102,
    output: output3102,
    inputNodes: ['data'],
    outputNodes: ['result[]'],
  },
  '4101A': {
    name: '医疗保障基金结算清单信息上传',
    input: input4101A,
    output: output4101A,
    inputNodes: ['setlinfo', 'opspdiseinfo[]', 'diseinfo[]', 'oprninfo[]', 'icuinfo[]', 'bldinfo[]'],
    outputNodes: ['setl_list_id'],
  },
  '4102': {
    name: '医疗保障基金结算清单状态修改',
    input: input4102,
    output: output4102,
    inputNodes: ['data'],
    outputNodes: [],
  },
  '4401': {
    name: '住院病案首页信息',
    input: input4401,
    output: output4401,
    inputNodes: ['baseinfo', 'diseinfo[]', 'oprninfo[]', 'icuinfo[]'],
    outputNodes: [],
  },
  '4402': {
    name: '住院医嘱记录',
    input: input4402,
    output: output4402,
    inputNodes: ['data[]'],
    outputNodes: [],
  },
  '4501': {
    name: '临床检查报告记录',
    input: input4501,
    output: output4501,
    inputNodes: ['examinfo', 'iteminfo[]', 'sampleinfo[]', 'imageinfo[]'],
    outputNodes: [],
  },
  '4502': {
    name: '临床检验报告记录',
    input: input4502,
    output: output4502,
    inputNodes: ['labinfo', 'iteminfo[]', 'sampleinfo[]'],
    outputNodes: [],
  },
  '4503': {
    name: '细菌培养报告记录',
    input: input4503,
    output: output4503,
    inputNodes: ['data[]'],
    outputNodes: [],
  },
  '4504': {
    name: '药敏记录报告记录',
    input: input4504,
    output: output4504,
    inputNodes: ['data[]'],
    outputNodes: [],
  },
  '4505': {
    name: '病理检查报告记录',
    input: input4505,
    output: output4505,
    inputNodes: ['data'],
    outputNodes: [],
  },
  '4506': {
    name: '非结构化报告记录',
    input: input4506,
    output: output4506,
    inputNodes: ['data'],
    outputNodes: [],
  },
  '3201': {
    name: '医药机构费用结算对总账',
    input: input3201,
    output: output3201,
    inputNodes: ['data'],
    outputNodes: ['stmtinfo'],
  },
  '3202': {
    name: '医药机构费用结算对明细账',
    input: input3202,
    output: output3202,
    inputNodes: ['data'],
    outputNodes: ['fileinfo'],
  },
  '3203': {
    name: '清算申请',
    input: input3203,
    output: output3203,
    inputNodes: ['data'],
    outputNodes: ['result'],
  },
  '3204': {
    name: '清算申请撤销',
    input: input3204,
    output: output3204,
    inputNodes: ['data'],
    outputNodes: [],
  },
  // Hubei's clearing by agency (local insured) and its 异地 twin: 3203's fields plus clr_optins (§3.4, unverified).
  '3202A': {
    name: '医药机构费用结算申请',
    input: input3202A,
    output: output3202A,
    inputNodes: ['data'],
    outputNodes: ['result'],
  },
  '3204A': {
    name: '医药机构费用结算申请撤销',
    input: input3204A,
    output: output3204A,
    inputNodes: ['data'],
    outputNodes: [],
  },
  '1608': {
    name: '医药机构费用结算异地申请',
    input: input3202A,
    output: output3202A,
    inputNodes: ['data'],
    outputNodes: ['result'],
  },
  '1618': {
    name: '医药机构费用结算异地申请撤销',
    input: input3204A,
    output: output3204A,
    inputNodes: ['data'],
    outputNodes: [],
  },
  // Hubei's 申请单打印, read as Jilin's status query (the application as the agency holds it; §3.3, unverified).
  '3205A': {
    name: '医药机构费用结算申请单打印',
    input: input3205A,
    output: output3205A,
    inputNodes: ['data'],
    outputNodes: ['clr_appys[]'],
  },
  '5203': {
    name: '结算信息查询',
    input: input5203,
    output: output5203,
    inputNodes: ['data'],
    outputNodes: ['setlinfo', 'setldetail[]'],
  },
  // Hubei's period checks (HIS–MIS 对账 by time window), after Dongguan's 90502 (spec part 2 §2.6, unverified).
  '5262': {
    name: '结算信息按时间段查询',
    input: inputSettlementWindow,
    output: outputSettlementWindow,
    inputNodes: ['data'],
    outputNodes: ['setlinfo[]'],
  },
  '5267': {
    name: '异地结算信息时间段查询',
    input: inputSettlementWindow,
    output: outputSettlementWindow,
    inputNodes: ['data'],
    outputNodes: ['setlinfo[]'],
  },
  '9101': {
    name: '文件上传',
    input: input9101,
    output: output9101,
    inputNodes: ['fsUploadIn'],
    outputNodes: [],
  },
  YH03: {
    name: '结算单据打印',
    input: inputYH03,
    output: outputYH03,
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
