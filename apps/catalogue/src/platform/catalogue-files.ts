import { type PlatformClient } from '@yb/platform-client';
import { FILE_KINDS, type FileCatalogueInfno } from '../lookup/catalogue-kinds';
import { type PageAnswer } from './catalogue-pages';
import { UnreadableZip, zipEntries } from './zip-entries';

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
    return { status: 'page', rows: txt ? readCatalogueTxt(txt.toString('utf8'), FILE_KINDS[infno].txt) : [] };
  } catch (err) {
    if (err instanceof UnreadableZip)
      return { status: 'unanswered', reason: `9102 ${filename}: ${err.message}` };
    throw err;
  }
}
