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
  readonly name: 'hilist' | 'price_limit' | 'selfpay_ratio' | 'dictionary' | 'diagnosis' | 'operation';
  /**
   * The field whose largest value is the catalogue's version (the next download asks for what is newer):
   * updt_time for the paged queries, 版本号 for the files; none for the dictionaries (asked whole).
   */
  readonly cursor?: 'updt_time' | 'ver';
  /** Columns of the primary key (the platform's unique record number, or a dictionary's type + value). */
  readonly key: readonly string[];
  /** Columns with an index for the lookups fee-detail and the mapping screen make. */
  readonly indexed: readonly string[];
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
  columns: [
    col('type', 'text', true),
    col('value', 'text', true),
    col('label'),
    { name: 'parent_value', sqlType: 'text', field: 'parentValue|parent_value' },
    { name: 'vali_flag', sqlType: 'text', field: 'valiFlag|vali_flag' },
  ],
};

const fileVersion = [col('vali_flag'), col('ver'), col('ver_name')];

/** 1307 疾病与诊断 (its TXT columns: platform/catalogue-files.ts). */
export const DIAGNOSIS: LookupTable = {
  name: 'diagnosis',
  key: ['rid'],
  cursor: 'ver',
  indexed: ['diag_code'],
  columns: [col('rid', 'text', true), col('diag_code', 'text', true), col('diag_name'), ...fileVersion],
};

/** 1308 手术操作. */
export const OPERATION: LookupTable = {
  name: 'operation',
  key: ['rid'],
  cursor: 'ver',
  indexed: ['oprn_oprt_code'],
  columns: [
    col('rid', 'text', true),
    col('oprn_oprt_code', 'text', true),
    col('oprn_oprt_name'),
    ...fileVersion,
  ],
};

export const LOOKUP_TABLES: readonly LookupTable[] = [
  HILIST,
  PRICE_LIMIT,
  SELFPAY_RATIO,
  DICTIONARY,
  DIAGNOSIS,
  OPERATION,
];

/** The catalogues that come as files, a version at a time (spec part 2 §5.1): 13xx names the file, 9102 brings it. */
export const FILE_CATALOGUES = ['1307', '1308'] as const;
export type FileCatalogueInfno = (typeof FILE_CATALOGUES)[number];
export const isFileCatalogue = (infno: CatalogueInfno): infno is FileCatalogueInfno =>
  (FILE_CATALOGUES as readonly string[]).includes(infno);

/**
 * Each download: where its rows go. 1307/1308 come as files by 版本号; 1312 and Hubei's 1312A both fill the 医保目录 (one is open per region);
 * 1901 is asked per dictionary type (a "page" per type), the others page by updt_time.
 */
export const CATALOGUE_KINDS: Readonly<Record<CatalogueInfno, LookupTable>> = {
  '1307': DIAGNOSIS,
  '1308': OPERATION,
  '1312': HILIST,
  '1312A': HILIST,
  '1318': PRICE_LIMIT,
  '1319': SELFPAY_RATIO,
  '1901': DICTIONARY,
};
