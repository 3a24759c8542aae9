import { type JsonSchema } from './json-schema';

// The platform dictionaries (1901 字典) behind the HIS fields, as full code lists for the AsyncAPI document
// (from ../shared/spec/nhsa-platform.md §6). A contract enforces a list only where it is closed nationally;
// an open list may be extended by the region's 1901 download, so the HIS edge accepts any code of the
// field's length and the platform (and the platform client's dictionary check) decides.

interface Dictionary {
  /** The platform's dictionary name and label. */
  readonly name: string;
  readonly label: string;
  readonly codes: Readonly<Record<string, string>>;
  /** True when the region may add codes (the document then lists the national ones without an enum). */
  readonly open: boolean;
  readonly note?: string;
}

const YES_NO = { '0': '否', '1': '是' };

const mdtrt_cert_type: Dictionary = {
  name: 'mdtrt_cert_type',
  label: '就诊凭证类型',
  codes: {
    '01': '医保电子凭证 (mdtrt_cert_no is the e-voucher token, fresh for each use)',
    '02': '居民身份证 (mdtrt_cert_no is the ID number)',
    '03': '社会保障卡 (mdtrt_cert_no is the card number)',
  },
  open: false,
};

const diag_type: Dictionary = {
  name: 'diag_type',
  label: '诊断类别',
  codes: {
    '1': '西医诊断 (some regions: 西医主要诊断)',
    '2': '中医主病诊断 (some regions: 西医其他诊断)',
    '3': '中医主证诊断 (some regions: 中医主病诊断)',
    '4': '中医主证诊断 in the regions numbering 1–4; 手术操作 in some others',
    '5': '按病种付费病种 (some regions)',
  },
  open: true,
  note: "Sources disagree on the meaning of 2–4: use the region's 1901 download.",
};

/** Dictionaries by the field names the HIS contracts use. */
export const FIELD_DICTIONARIES: Readonly<Record<string, Dictionary>> = {
  mdtrt_cert_type,
  psn_cert_type: {
    name: 'psn_cert_type',
    label: '人员证件类型',
    codes: {
      '01': '居民身份证（户口簿）',
      '02': '中国人民解放军军官证',
      '03': '中国人民武装警察警官证',
      '04': '香港特区护照/港澳居民来往内地通行证',
      '05': '澳门特区护照/港澳居民来往内地通行证',
      '06': '台湾居民来往大陆通行证',
      '07': '外国人永久居留证',
      '08': '外国人护照',
      '16': '中国护照',
      '17': '港澳台居民居住证',
      '99': '其他身份证件',
    },
    open: true,
  },
  insutype: {
    name: 'insutype',
    label: '险种类型',
    codes: {
      '310': '职工基本医疗保险',
      '320': '公务员医疗补助',
      '330': '大额医疗费用补助',
      '340': '离休人员医疗保障',
      '350': '一至六级残废军人医疗补助',
      '360': '老红军医疗保障',
      '370': '企业补充医疗保险',
      '380': '新型农村合作医疗',
      '390': '城乡居民基本医疗保险',
      '391': '城镇居民基本医疗保险',
      '392': '城乡居民大病医疗保险',
      '399': '其他特殊人员医疗保障',
      '410': '长期照护保险',
      '510': '生育保险',
    },
    open: true,
  },
  med_type: {
    name: 'med_type',
    label: '医疗类别',
    codes: {
      '21': '普通住院',
      '23': '转外诊治住院',
      '24': '急诊转住院',
      '26': '单病种住院',
      '52': '生育住院',
      '53': '计划生育手术费',
      '9902': '重大疾病住院 (local)',
      '9904': '儿童两病住院 (local)',
      '9907': '耐多药结核住院 (local)',
      '9921': '新生儿随母住院 (local)',
      '9922': '家庭病床 (local)',
      '9925': '转入住院 (local)',
    },
    open: true,
    note: 'Inpatient codes only: the outpatient ones (11–19, 41, 51, 9901, 9903, 9906) do not apply to 2401.',
  },
  psn_setlway: {
    name: 'psn_setlway',
    label: '个人结算方式',
    codes: {
      '01': '按项目结算',
      '02': '按定额结算',
      '0201': '按单病种 (local)',
      '0202': '按日间手术 (local)',
    },
    open: true,
  },
  diag_type,
  ipt_patn_disediag_type_code: diag_type,
  dscg_way: {
    name: 'dscg_way',
    label: '离院方式',
    codes: {
      '1': '医嘱离院',
      '2': '医嘱转院',
      '3': '医嘱转社区卫生服务机构/乡镇卫生院',
      '4': '非医嘱离院',
      '5': '死亡 (give die_date)',
      '9': '其他',
    },
    open: false,
  },
  hosp_appr_flag: {
    name: 'hosp_appr_flag',
    label: '医院审批标志',
    codes: { '0': '无须审批', '1': '审批通过', '2': '审批不通过' },
    open: false,
  },
  adm_cond_code: {
    name: 'adm_cond_type',
    label: '入院病情类型',
    codes: { '1': '有', '2': '临床未确定', '3': '情况不明', '4': '无' },
    open: true,
  },
  matn_type: {
    name: 'matn_type',
    label: '生育类别',
    codes: {
      '1': '正常产',
      '2': '助娩产',
      '3': '剖宫产',
      '4': '难产',
      '5': '流产',
      '6': '引产',
      '7': '产前检查',
      '9': '其他',
      '10': '宫外孕',
    },
    open: true,
  },
  nwb_adm_type: {
    name: 'nwb_adm_type',
    label: '新生儿入院类型',
    codes: { '1': '正常新生儿', '2': '早产儿', '3': '有疾病新生儿', '4': '非无菌分娩', '9': '其他' },
    open: true,
  },
  adm_way_code: {
    name: 'adm_way',
    label: '入院途径',
    codes: { '1': '急诊', '2': '门诊', '3': '其他医疗机构转入', '9': '其他' },
    open: true,
  },
  trt_type: {
    name: 'trt_type',
    label: '治疗类别',
    codes: { '1': '西医', '2.1': '中医', '2.2': '民族医', '3': '中西医' },
    open: true,
    note: "From the settlement list's filling rules (医疗保障基金结算清单填写规范); not in the interface reference.",
  },
  gend: {
    name: 'gend',
    label: '性别',
    codes: { '0': '未知的性别', '1': '男', '2': '女', '9': '未说明的性别' },
    open: false,
  },
};

/** Fields whose codes come from a regional 1901 dictionary of which our reference holds no national list. */
const REGIONAL_ONLY: Readonly<Record<string, string>> = {
  ipt_psn_sp_flag_type: 'ipt_psn_sp_flag_type 就医人员特殊标识类型',
  ipt_psn_sp_flag: 'ipt_psn_sp_flag 就医人员特殊标识',
  tcmdrug_used_way: 'tcmdrug_used_way 中药使用方式',
  matn_fee_flag: 'matn_fee_flag 生育费用标志',
  drord_type: 'drord_type 医嘱类别',
  drug_used_way_code: 'drug_used_way_code 用药途径',
  oprn_lv_code: 'oprn_lv_code 手术级别',
  anst_mtd_code: 'anst_mtd_code 麻醉方式',
  nurscare_lv_code: 'nurscare_lv_code 护理等级',
  icu_codeid: 'icu_codeid 重症监护病房类型',
  birctrl_type: 'birctrl_type 计划生育手术类别',
};

function withDictionary(name: string, schema: JsonSchema): JsonSchema {
  const dictionary = FIELD_DICTIONARIES[name];
  if (dictionary) {
    const list = Object.entries(dictionary.codes)
      .map(([code, label]) => `${code} ${label}`)
      .join('; ');
    const scope = dictionary.open
      ? "National codes; the region's 1901 download may add codes, which are accepted here and checked by the platform"
      : 'Closed list';
    return {
      ...schema,
      description: `${dictionary.label} (platform dictionary ${dictionary.name}): ${list}. ${scope}.${
        dictionary.note ? ` ${dictionary.note}` : ''
      }`,
      ...(dictionary.open && { examples: Object.keys(dictionary.codes) }),
      'x-enumDescriptions': dictionary.codes,
    };
  }
  if (schema.type === 'string' && Array.isArray(schema.enum) && schema.enum.join() === '0,1') {
    return { ...schema, 'x-enumDescriptions': YES_NO };
  }
  const regional = REGIONAL_ONLY[name];
  if (regional) {
    return {
      ...schema,
      description: `${String(schema.description ?? '').replace(/\s*\(.*\)$/, '')}: a code of the region's 1901 dictionary ${regional}`,
    };
  }
  return schema;
}

/** The JSON Schema of a HIS contract's data with every dictionary field's full code list. */
export function describeDictionaries(schema: JsonSchema, name = ''): JsonSchema {
  const described: JsonSchema = { ...schema };
  if (schema.properties) {
    described.properties = Object.fromEntries(
      Object.entries(schema.properties as Record<string, JsonSchema>).map(([field, property]) => [
        field,
        describeDictionaries(property, field),
      ]),
    );
  }
  if (schema.items) described.items = describeDictionaries(schema.items as JsonSchema);
  return name ? withDictionary(name, described) : described;
}
