import { type PlatformClient } from '@yb/platform-client';
import { type FileCatalogueInfno } from '../lookup/catalogue-kinds';
import { type PageAnswer } from './catalogue-pages';
import { UnreadableZip, zipEntries } from './zip-entries';

/**
 * The TXT columns (1-based, spec part 2 §5.1) a file catalogue's rows are read by: the code, the name and what
 * else the lookup table keeps, 有效标志, 唯一记录号, 版本号 and 版本名称. Extra columns are ignored.
 */
export const FILE_COLUMNS: Readonly<Record<FileCatalogueInfno, Readonly<Record<string, number>>>> = {
  '1307': { diag_code: 11, diag_name: 12, vali_flag: 19, rid: 20, ver: 23, ver_name: 24 },
  '1308': { oprn_oprt_code: 11, oprn_oprt_name: 12, vali_flag: 19, rid: 20, ver: 23, ver_name: 24 },
  '1310': {
    bydise_setl_list_code: 2,
    bydise_setl_dise_name: 3,
    qlt_oprn_oprt_code: 4,
    qlt_oprn_oprt_name: 5,
    vali_flag: 6,
    rid: 7,
    ver: 10,
    ver_name: 13,
  },
  '1311': {
    daysrg_dise_list_code: 2,
    daysrg_dise_name: 3,
    vali_flag: 4,
    rid: 5,
    ver: 8,
    ver_name: 11,
    oprn_oprt_name: 14,
    oprn_oprt_code: 15,
  },
  '1313': {
    tumr_cell_type_code: 2,
    tumr_cell_type: 3,
    morp_clss_code: 4,
    morp_clss: 5,
    vali_flag: 6,
    rid: 7,
    ver: 10,
    ver_name: 11,
  },
  '1314': {
    dept_cat_code: 2,
    spclty_sys_cat_code: 4,
    tcm_dise_code: 6,
    tcm_dise_name: 7,
    vali_flag: 9,
    rid: 10,
    ver: 13,
    ver_name: 14,
  },
  '1315': {
    syndrome_cat_code: 2,
    syndrome_attr_code: 4,
    tcm_syndrome_code: 6,
    tcm_syndrome_name: 7,
    vali_flag: 9,
    rid: 10,
    ver: 13,
    ver_name: 14,
  },
};

/** The TXT's rows as records of the named columns: TAB-separated, no header, `null` for empty (§1). */
export function readCatalogueTxt(
  text: string,
  columns: Readonly<Record<string, number>>,
): Record<string, string>[] {
  return text
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line !== '')
    .map((line) => {
      const cells = line.split('\t');
      const row: Record<string, string> = {};
      for (const [name, position] of Object.entries(columns)) {
        const cell = cells[position - 1];
        if (cell !== undefined && cell !== 'null') row[name] = cell;
      }
      return row;
    });
}

/**
 * One version of a file catalogue (§5.2): 13xx with the largest 版本号 held names a file of the rows newer
 * than it, 9102 brings it (fixmedins_code `plc` for catalogue files, §4.2), and its TXT is read. No file
 * (data_cnt 0) is an empty page: the download is complete.
 */
export async function fetchCatalogueFile(
  client: PlatformClient,
  infno: FileCatalogueInfno,
  ver: string,
): Promise<PageAnswer> {
  const options = { visitKey: `catalogue-${infno}` };
  const named = await client.call(infno, { data: { ver } }, options);
  if (named.status === 'REJECTED') return { status: 'refused', err_msg: `${named.infcode} ${named.err_msg}` };
  if (named.status !== 'SUCCEEDED')
    return { status: 'unanswered', reason: `${named.status} (msgid ${named.msgid})` };
  const { file_qury_no, filename, data_cnt, data_cn } = named.output;
  if (Number(data_cnt ?? data_cn ?? '0') === 0) return { status: 'page', rows: [] };
  const download = await client.downloadFile({ file_qury_no, filename, fixmedins_code: 'plc' }, options);
  if (download.status === 'REJECTED')
    return { status: 'refused', err_msg: `9102 ${download.infcode} ${download.err_msg}` };
  if (download.status === 'UNKNOWN') return { status: 'unanswered', reason: `9102 ${download.reason}` };
  try {
    const [txt] = zipEntries(download.bytes).values();
    return { status: 'page', rows: txt ? readCatalogueTxt(txt.toString('utf8'), FILE_COLUMNS[infno]) : [] };
  } catch (err) {
    if (err instanceof UnreadableZip)
      return { status: 'unanswered', reason: `9102 ${filename}: ${err.message}` };
    throw err;
  }
}
