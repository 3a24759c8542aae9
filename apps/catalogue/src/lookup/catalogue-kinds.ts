import { type DOWNLOADABLE_CATALOGUES } from '@yb/contracts';

export type CatalogueInfno = (typeof DOWNLOADABLE_CATALOGUES)[number];

/** A column of a lookup table: its SQL type and how a platform row gives it (null: not given). */
export interface LookupColumn {
  readonly name: string;
  readonly sqlType: 'text' | 'numeric';
  /** The row field it is read from (the platform's field name, kept as the column's name where it can be). */
  readonly field: string;
  readonly required?: true;
}

export interface LookupTable {
  readonly name:
    | 'hilist'
    | 'price_limit'
    | 'selfpay_ratio'
    | 'dictionary'
    | 'diagnosis'
    | 'operation'
    | 'disease_payment'
    | 'day_surgery'
    | 'tumour_morphology'
    | 'tcm_disease'
    | 'tcm_syndrome';
  /**
   * The field whose largest value is the catalogue's version (the next download asks for what is newer):
   * updt_time for the paged queries, 版本号 for the files; none for the dictionaries (asked whole).
   */
  readonly cursor?: 'updt_time' | 'ver';
  /** Columns of the primary key (the platform's unique record number, or a dictionary's type + value). */
  readonly key: readonly string[];
  /** Columns with an index for the lookups fee-detail, the mapping screen and 目录查询 make. */
  readonly indexed: readonly string[];
  /** The column a person looks a row up by (目录查询: by code prefix). */
  readonly code: string;
  /** The row's name, looked up by prefix; none where the platform's row has no name (1318, 1319). */
  readonly label?: string;
  /** Whether begndate/enddate say when a row is valid (else only vali_flag does). */
  readonly dated: boolean;
  readonly columns: readonly LookupColumn[];
}

const col = (name: string, sqlType: LookupColumn['sqlType'] = 'text', required = false): LookupColumn => ({
  name,
  sqlType,
  field: name,
  ...(required && { required: true as const }),
});

const validity = [col('begndate'), col('enddate'), col('vali_flag'), col('updt_time')];

export const HILIST: LookupTable = {
  name: 'hilist',
  key: ['rid'],
  cursor: 'updt_time',
  // The name too: the mapping screen's suggestions search it by prefix.
  indexed: ['hilist_code', 'hilist_name'],
  code: 'hilist_code',
  label: 'hilist_name',
  dated: true,
  columns: [
    col('rid', 'text', true),
    col('hilist_code', 'text', true),
    col('hilist_name'),
    col('list_type'),
    col('med_chrgitm_type'),
    col('chrgitm_lv'),
    col('lmt_used_flag'),
    col('insu_admdvs'),
    col('memo'),
    ...validity,
  ],
};

/** A 医保目录 attribute by code (1318 限价, 1319 先自付比例): its amount and its two kinds. */
const attributeTable = (
  name: 'price_limit' | 'selfpay_ratio',
  amount: string,
  kinds: [string, string],
): LookupTable => ({
  name,
  key: ['rid'],
  cursor: 'updt_time',
  indexed: ['hilist_code'],
  code: 'hilist_code',
  dated: true,
  columns: [
    col('rid', 'text', true),
    col('hilist_code', 'text', true),
    col(amount, 'numeric', true),
    ...kinds.map((kind) => col(kind)),
    col('insu_admdvs'),
    ...validity,
  ],
});

export const PRICE_LIMIT = attributeTable('price_limit', 'hilist_pric_uplmt_amt', [
  'hilist_lmtpric_type',
  'overlmt_dspo_way',
]);

export const SELFPAY_RATIO = attributeTable('selfpay_ratio', 'selfpay_prop', [
  'selfpay_prop_psn_type',
  'selfpay_prop_type',
]);

/** 1901's answer comes camelCase or snake_case (spec part 2 §5.4): both read. */
export const DICTIONARY: LookupTable = {
  name: 'dictionary',
  key: ['type', 'value'],
  indexed: [],
  code: 'value',
  label: 'label',
  dated: false,
  columns: [
    col('type', 'text', true),
    col('value', 'text', true),
    col('label'),
    { name: 'parent_value', sqlType: 'text', field: 'parentValue|parent_value' },
    { name: 'vali_flag', sqlType: 'text', field: 'valiFlag|vali_flag' },
  ],
};

const fileVersion = [col('vali_flag'), col('ver'), col('ver_name')];

/**
 * A catalogue that comes as files by 版本号 (§5.1): its rid, its code, its name (the first of the others; both
 * indexed) and other columns. The files carry 有效标志 but no validity dates.
 */
const fileTable = (
  name: LookupTable['name'],
  code: string,
  others: readonly [string, ...string[]],
): LookupTable => ({
  name,
  key: ['rid'],
  cursor: 'ver',
  indexed: [code, others[0]],
  code,
  label: others[0],
  dated: false,
  columns: [col('rid', 'text', true), col(code, 'text', true), ...others.map((c) => col(c)), ...fileVersion],
});

/** 1307 疾病与诊断 (its TXT columns: platform/catalogue-files.ts). */
export const DIAGNOSIS = fileTable('diagnosis', 'diag_code', ['diag_name']);
/** 1308 手术操作. */
export const OPERATION = fileTable('operation', 'oprn_oprt_code', ['oprn_oprt_name']);
/** 1310 按病种付费病种, with the operation it is limited to. */
export const DISEASE_PAYMENT = fileTable('disease_payment', 'bydise_setl_list_code', [
  'bydise_setl_dise_name',
  'qlt_oprn_oprt_code',
  'qlt_oprn_oprt_name',
]);
/** 1311 日间手术治疗病种, with its operation. */
export const DAY_SURGERY = fileTable('day_surgery', 'daysrg_dise_list_code', [
  'daysrg_dise_name',
  'oprn_oprt_code',
  'oprn_oprt_name',
]);
/** 1313 肿瘤形态学: the tumour/cell type and its morphology class. */
export const TUMOUR_MORPHOLOGY = fileTable('tumour_morphology', 'tumr_cell_type_code', [
  'tumr_cell_type',
  'morp_clss_code',
  'morp_clss',
]);
/** 1314 中医疾病: the disease (疾病分类) with its department and speciality categories. */
export const TCM_DISEASE = fileTable('tcm_disease', 'tcm_dise_code', [
  'tcm_dise_name',
  'dept_cat_code',
  'spclty_sys_cat_code',
]);
/** 1315 中医证候: the syndrome (证候分类) with its category and attribute. */
export const TCM_SYNDROME = fileTable('tcm_syndrome', 'tcm_syndrome_code', [
  'tcm_syndrome_name',
  'syndrome_cat_code',
  'syndrome_attr_code',
]);

export const LOOKUP_TABLES: readonly LookupTable[] = [
  HILIST,
  PRICE_LIMIT,
  SELFPAY_RATIO,
  DICTIONARY,
  DIAGNOSIS,
  OPERATION,
  DISEASE_PAYMENT,
  DAY_SURGERY,
  TUMOUR_MORPHOLOGY,
  TCM_DISEASE,
  TCM_SYNDROME,
];

/** The catalogues that come as files, a version at a time (spec part 2 §5.1): 13xx names the file, 9102 brings it. */
export const FILE_CATALOGUES = ['1307', '1308', '1310', '1311', '1313', '1314', '1315'] as const;
export type FileCatalogueInfno = (typeof FILE_CATALOGUES)[number];
export const isFileCatalogue = (infno: CatalogueInfno): infno is FileCatalogueInfno =>
  (FILE_CATALOGUES as readonly string[]).includes(infno);

/**
 * Each download: where its rows go. 1307–1315 (but 1312) come as files by 版本号; 1312 and Hubei's 1312A both fill the 医保目录 (one is open per region);
 * 1901 is asked per dictionary type (a "page" per type), the others page by updt_time.
 */
export const CATALOGUE_KINDS: Readonly<Record<CatalogueInfno, LookupTable>> = {
  '1307': DIAGNOSIS,
  '1308': OPERATION,
  '1310': DISEASE_PAYMENT,
  '1311': DAY_SURGERY,
  '1312': HILIST,
  '1312A': HILIST,
  '1313': TUMOUR_MORPHOLOGY,
  '1314': TCM_DISEASE,
  '1315': TCM_SYNDROME,
  '1318': PRICE_LIMIT,
  '1319': SELFPAY_RATIO,
  '1901': DICTIONARY,
};
