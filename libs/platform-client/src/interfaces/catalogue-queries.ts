import { z } from 'zod';
import { date, dateOrDatetime, dict, int, noBody, outStr, str } from './fields';

// The catalogue downloads (spec part 2 §5): the paged queries 1312 / 1312A (Hubei's item masters instead of
// 1301–1306), 1318 price limits and 1319 self-pay ratios, asked for rows updated after the local cursor
// (updt_time) page by page; 1901 dictionaries; and the item mapping 3301 / 3302 (§6).
//
// Answers are read leniently: a page is a list of rows the catalogue service checks one by one, so a row the
// platform sends without a field never makes the whole page unreadable. The wrapper keys (pageNum, pages,
// recordCounts …) are what one captured answer shows (§1): all optional, numbers as strings.

const pagedQuery = {
  updt_time: dateOrDatetime(),
  page_num: int(4),
  page_size: int(4),
  query_date: date().optional(),
  insu_admdvs: str(6).optional(),
  begndate: date().optional(),
  vali_flag: str(3).optional(),
};

const cell = () => outStr().nullish();

/** One row of a page, kept as given (numbers may come as strings or numbers): the catalogue service reads it. */
const row = z.record(z.unknown());

const rows = z
  .union([z.array(row), row.transform((one) => [one])])
  .nullish()
  .transform((list) => list ?? []);

/** The paged wrapper: `data[]` and whatever paging keys the platform gives (strings, optional). */
const page = z
  .object({
    data: rows,
    pageNum: cell(),
    pageSize: cell(),
    pages: cell(),
    recordCounts: cell(),
    size: cell(),
    lastPage: z.union([z.boolean(), z.string(), z.number()]).nullish(),
  })
  .passthrough();

/** A paged query's input: the cursor and page, and its own optional filters (all strings). */
const pagedInput = (filters: Record<string, number>) =>
  z
    .object({
      data: z
        .object({
          ...pagedQuery,
          ...Object.fromEntries(Object.entries(filters).map(([name, max]) => [name, str(max).optional()])),
        })
        .strict(),
    })
    .strict();

export const input1312 = pagedInput({
  hilist_code: 30,
  hilist_name: 200,
  med_chrgitm_type: 6,
  chrgitm_lv: 3,
  list_type: 3,
});
export const output1312 = page;

export const input1318 = pagedInput({ hilist_code: 30, hilist_lmtpric_type: 6, overlmt_dspo_way: 6 });
export const output1318 = page;

export const input1319 = pagedInput({ hilist_code: 30, selfpay_prop_psn_type: 6, selfpay_prop_type: 6 });
export const output1319 = page;

// 1901 字典表查询 (§5.4): parentValue is required by HN's print (sent "" when none, which the wire edge drops:
// the platform reads a missing one as empty); the answer's fields come camelCase or snake_case.
export const input1901 = z
  .object({
    data: z
      .object({
        type: str(30),
        parentValue: str(10).optional(),
        admdvs: str(6),
        date: date(),
        valiFlag: str(3),
      })
      .strict(),
  })
  .strict();
export const output1901 = z.object({ list: rows }).passthrough();

// 3301 目录对照上传 (§6.1): up to 100 rows per call, sent as `data: [ … ]`; no answer body.
const mappingRow = z
  .object({
    fixmedins_hilist_id: str(30),
    fixmedins_hilist_name: str(200),
    list_type: dict('list_type'),
    med_list_codg: str(30),
    begndate: date(),
    enddate: date(),
    aprvno: str(30).optional(),
    dosform: str(200).optional(),
    exct_cont: str(2000).optional(),
    item_cont: str(2000).optional(),
    prcunt: str(100).optional(),
    spec: str(200).optional(),
    pacspec: str(100).optional(),
    memo: str(500).optional(),
  })
  .strict();
export const input3301 = z
  .object({
    data: z.array(mappingRow).min(1, { message: 'needs at least one row' }).max(100, {
      message: 'takes at most 100 rows per call',
    }),
  })
  .strict();
export const output3301 = noBody();

// 3302 目录对照撤销 (§6.2): one mapping per call; the spec prints no node name, `data` is what two sources send.
export const input3302 = z
  .object({
    data: z
      .object({
        fixmedins_code: str(30),
        fixmedins_hilist_id: str(30),
        list_type: dict('list_type'),
        med_list_codg: str(30),
      })
      .strict(),
  })
  .strict();
export const output3302 = noBody();

// 1307 疾病与诊断 / 1308 手术操作, 1310/1311 按病种/日间手术病种, 1313 肿瘤形态学, 1314/1315 中医疾病/证候 (§5.1): "the rows newer than my largest 版本号" as a file; the answer names it for
// 9102. Output "无节点": the fields sit directly under `output`; OH's DTO spells data_cnt `data_cn`.
export const inputFileCatalogue = z.object({ data: z.object({ ver: str(20) }).strict() }).strict();
export const outputFileCatalogue = z
  .object({
    file_qury_no: outStr(),
    filename: outStr(),
    dld_end_time: cell(),
    data_cnt: cell(),
    data_cn: cell(),
  })
  .passthrough();

// 9102 文件下载 (§4.2): the file itself comes back, not an envelope (PlatformClient.downloadFile). Catalogue files'
// file_qury_no looks like a path (`fsi/plc/<hex>`): 13xx prints it str 40, 9102 str 30: the longer is accepted.
export const input9102 = z
  .object({
    fsDownloadIn: z.object({ file_qury_no: str(40), filename: str(200), fixmedins_code: str(30) }).strict(),
  })
  .strict();
export const output9102 = noBody();
