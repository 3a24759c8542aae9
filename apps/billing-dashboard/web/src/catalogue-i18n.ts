// 目录查询's words and the CSV import's reasons, in both languages (spread into i18n.ts's dictionaries).

export const catalogueZh = {
  catalogueLookup: '目录查询',
  lookupKind: '目录种类',
  lookupCode: '编码（前缀）',
  lookupName: '名称（前缀）',
  lookupDate: '有效日期',
  lookupRows: '条',
  lookupNoKinds: '目录服务尚未下载任何目录',
  column: '列',
} as const;

export const catalogueEn: Record<keyof typeof catalogueZh, string> = {
  catalogueLookup: 'Catalogue lookup',
  lookupKind: 'Catalogue',
  lookupCode: 'Code (prefix)',
  lookupName: 'Name (prefix)',
  lookupDate: 'Valid on',
  lookupRows: 'rows',
  lookupNoKinds: 'The catalogue service has downloaded nothing yet',
  column: 'Column',
};

/** Column headers of the lookup tables (the platform's field names; unnamed ones show as they are). */
const COLUMNS: Record<string, [string, string]> = {
  rid: ['唯一记录号', 'Record no.'],
  hilist_code: ['医保目录编码', 'Code'],
  hilist_name: ['医保目录名称', 'Name'],
  list_type: ['目录类别', 'List type'],
  med_chrgitm_type: ['医疗收费项目类别', 'Charge item type'],
  chrgitm_lv: ['收费项目等级', 'Charge level'],
  lmt_used_flag: ['限制使用标志', 'Restricted use'],
  insu_admdvs: ['医保区划', 'Insurance area'],
  memo: ['备注', 'Memo'],
  begndate: ['开始日期', 'Valid from'],
  enddate: ['结束日期', 'Valid until'],
  vali_flag: ['有效标志', 'Valid'],
  updt_time: ['更新时间', 'Updated'],
  hilist_pric_uplmt_amt: ['最高限价', 'Price limit'],
  hilist_lmtpric_type: ['限价类型', 'Limit type'],
  overlmt_dspo_way: ['超限价处理方式', 'Over-limit handling'],
  selfpay_prop: ['先自付比例', 'Self-pay ratio'],
  selfpay_prop_psn_type: ['人员类别', 'Person type'],
  selfpay_prop_type: ['比例类型', 'Ratio type'],
  type: ['字典类型', 'Dictionary'],
  value: ['字典值', 'Value'],
  label: ['字典标签', 'Label'],
  parent_value: ['上级值', 'Parent value'],
  diag_code: ['诊断代码', 'Diagnosis code'],
  diag_name: ['诊断名称', 'Diagnosis'],
  oprn_oprt_code: ['手术操作代码', 'Operation code'],
  oprn_oprt_name: ['手术操作名称', 'Operation'],
  bydise_setl_list_code: ['按病种结算病种目录代码', 'Disease list code'],
  bydise_setl_dise_name: ['病种名称', 'Disease'],
  qlt_oprn_oprt_code: ['限定手术操作代码', 'Required operation code'],
  qlt_oprn_oprt_name: ['限定手术操作名称', 'Required operation'],
  daysrg_dise_list_code: ['日间手术病种目录代码', 'Day-surgery code'],
  daysrg_dise_name: ['日间手术病种名称', 'Day-surgery disease'],
  tumr_cell_type_code: ['肿瘤/细胞类型代码', 'Tumour/cell type code'],
  tumr_cell_type: ['肿瘤/细胞类型', 'Tumour/cell type'],
  morp_clss_code: ['形态学分类代码', 'Morphology code'],
  morp_clss: ['形态学分类', 'Morphology'],
  tcm_dise_code: ['中医疾病代码', 'TCM disease code'],
  tcm_dise_name: ['中医疾病名称', 'TCM disease'],
  dept_cat_code: ['科别类目代码', 'Department category'],
  spclty_sys_cat_code: ['专科系统类目代码', 'Speciality category'],
  tcm_syndrome_code: ['证候代码', 'Syndrome code'],
  tcm_syndrome_name: ['证候名称', 'Syndrome'],
  syndrome_cat_code: ['证候类目代码', 'Syndrome category'],
  syndrome_attr_code: ['证候属性代码', 'Syndrome attribute'],
  ver: ['版本号', 'Version'],
  ver_name: ['版本名称', 'Version name'],
};

/** Why a CSV row is refused (the import's `code`), `{name}` standing for its `params`. */
const IMPORT_ERRORS: Record<string, [string, string]> = {
  empty_file: ['文件为空', 'The file is empty'],
  header_unknown: ['表头有未知的列：{columns}', 'Unknown columns in the header: {columns}'],
  header_missing: ['表头缺少必填列：{columns}', 'Columns missing from the header: {columns}'],
  control_characters: [
    '不能含有控制字符（如换行、制表符）',
    'Must not hold control characters (line breaks, tabs)',
  ],
  cell_count: ['本行有 {cells} 格，表头有 {expected} 列', '{cells} cells, the header has {expected}'],
  required: ['必填，不能为空', 'Required'],
  too_long: ['不能超过 {max} 个字符', 'At most {max} characters'],
  not_in_list: ['须为以下之一：{allowed}', 'Must be one of {allowed}'],
  not_decimal: [
    '须为数字，整数最多 {integer} 位、小数最多 {fraction} 位（如 12.5）',
    'Must be a number with at most {integer} integer and {fraction} decimal digits (e.g. 12.5)',
  ],
  invalid: ['格式不正确（{detail}）', 'Not valid ({detail})'],
  duplicate: ['项目编码与第 {first} 行重复', 'The item code is also on line {first}'],
  no_items: ['文件中没有任何项目', 'No item in the file'],
  too_many_rows: ['超过 {max} 行', 'More than {max} rows'],
};

const labels = (pick: 0 | 1) =>
  Object.fromEntries([
    ...Object.entries(COLUMNS).map(([name, words]) => [`column:${name}`, words[pick]]),
    ...Object.entries(IMPORT_ERRORS).map(([code, words]) => [`importError:${code}`, words[pick]]),
  ]);

export const catalogueZhLabels: Record<string, string> = labels(0);
export const catalogueEnLabels: Record<string, string> = labels(1);

/** A label template with its `{name}` parameters filled in (an absent one left empty). */
export function fill(template: string, params: Record<string, string | number> | undefined): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params?.[name] ?? ''));
}
