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

/** A catalogue that comes as files: its table and the TXT's columns it is read by. */
export interface FileLookupTable extends LookupTable {
  /**
   * The TXT's columns by position (1-based, spec part 2 §5.1; TAB-separated, no header): the code, the name and
   * what else the table keeps, 有效标志, 唯一记录号, 版本号 and 版本名称. Other positions are ignored.
   */
  readonly txt: Readonly<Record<string, number>>;
}

/** What every file catalogue's TXT carries besides its own columns. */
type FileVersionColumns = 'vali_flag' | 'rid' | 'ver' | 'ver_name';
const FILE_VERSION_COLUMNS: readonly FileVersionColumns[] = ['vali_flag', 'rid', 'ver', 'ver_name'];

/**
 * A catalogue that comes as files by 版本号 (§5.1), from its TXT layout: its rid, its code and its name (both
 * indexed), the other columns in the layout's order, then 有效标志, 版本号 and 版本名称. The files carry 有效标志 but
 * no validity dates.
 */
function fileTable<C extends string, L extends string>(
  name: LookupTable['name'],
  code: C,
  label: L,
  txt: Readonly<Record<C | L | FileVersionColumns, number> & Record<string, number>>,
): FileLookupTable {
  const others = Object.keys(txt).filter(
    (c) => c !== code && c !== label && !(FILE_VERSION_COLUMNS as readonly string[]).includes(c),
  );
  return {
    name,
    key: ['rid'],
    cursor: 'ver',
    indexed: [code, label],
    code,
    label,
    dated: false,
    txt,
    columns: [
      col('rid', 'text', true),
      col(code, 'text', true),
      col(label),
      ...others.map((c) => col(c)),
      col('vali_flag'),
      col('ver'),
      col('ver_name'),
    ],
  };
}

const ICD_VERSION = { vali_flag: 19, rid: 20, ver: 23, ver_name: 24 };

/** 1307 疾病与诊断: 24 columns, the code and name in 11/12. */
export const DIAGNOSIS = fileTable('diagnosis', 'diag_code', 'diag_name', {
  diag_code: 11,
  diag_name: 12,
  ...ICD_VERSION,
});
/** 1308 手术操作, laid out as 1307. */
export const OPERATION = fileTable('operation', 'oprn_oprt_code', 'oprn_oprt_name', {
  oprn_oprt_code: 11,
  oprn_oprt_name: 12,
  ...ICD_VERSION,
});
/** 1310 按病种付费病种, with the operation it is limited to. */
export const DISEASE_PAYMENT = fileTable(
  'disease_payment',
  'bydise_setl_list_code',
  'bydise_setl_dise_name',
  {
    bydise_setl_list_code: 2,
    bydise_setl_dise_name: 3,
    qlt_oprn_oprt_code: 4,
    qlt_oprn_oprt_name: 5,
    vali_flag: 6,
    rid: 7,
    ver: 10,
    ver_name: 13,
  },
);
/** 1311 日间手术治疗病种, with its operation (after the version columns). */
export const DAY_SURGERY = fileTable('day_surgery', 'daysrg_dise_list_code', 'daysrg_dise_name', {
  daysrg_dise_list_code: 2,
  daysrg_dise_name: 3,
  oprn_oprt_code: 15,
  oprn_oprt_name: 14,
  vali_flag: 4,
  rid: 5,
  ver: 8,
  ver_name: 11,
});
/** 1313 肿瘤形态学: the tumour/cell type and its morphology class. */
export const TUMOUR_MORPHOLOGY = fileTable('tumour_morphology', 'tumr_cell_type_code', 'tumr_cell_type', {
  tumr_cell_type_code: 2,
  tumr_cell_type: 3,
  morp_clss_code: 4,
  morp_clss: 5,
  vali_flag: 6,
  rid: 7,
  ver: 10,
  ver_name: 11,
});
/** 1314 中医疾病: the disease (疾病分类代码, column 6) with its department and speciality categories. */
export const TCM_DISEASE = fileTable('tcm_disease', 'tcm_dise_code', 'tcm_dise_name', {
  tcm_dise_code: 6,
  tcm_dise_name: 7,
  dept_cat_code: 2,
  spclty_sys_cat_code: 4,
  vali_flag: 9,
  rid: 10,
  ver: 13,
  ver_name: 14,
});
/** 1315 中医证候: the syndrome (证候分类代码, column 6) with its category and attribute. */
export const TCM_SYNDROME = fileTable('tcm_syndrome', 'tcm_syndrome_code', 'tcm_syndrome_name', {
  tcm_syndrome_code: 6,
  tcm_syndrome_name: 7,
  syndrome_cat_code: 2,
  syndrome_attr_code: 4,
  vali_flag: 9,
  rid: 10,
  ver: 13,
  ver_name: 14,
});

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

/** The file catalogues' tables, each with its TXT layout. */
export const FILE_KINDS: Readonly<Record<FileCatalogueInfno, FileLookupTable>> = {
  '1307': DIAGNOSIS,
  '1308': OPERATION,
  '1310': DISEASE_PAYMENT,
  '1311': DAY_SURGERY,
  '1313': TUMOUR_MORPHOLOGY,
  '1314': TCM_DISEASE,
  '1315': TCM_SYNDROME,
};

/**
 * Each download: where its rows go. 1307–1315 (but 1312) come as files by 版本号; 1312 and Hubei's 1312A both fill the 医保目录 (one is open per region);
 * 1901 is asked per dictionary type (a "page" per type), the others page by updt_time.
 */
export const CATALOGUE_KINDS: Readonly<Record<CatalogueInfno, LookupTable>> = {
  ...FILE_KINDS,
  '1312': HILIST,
  '1312A': HILIST,
  '1318': PRICE_LIMIT,
  '1319': SELFPAY_RATIO,
  '1901': DICTIONARY,
};
