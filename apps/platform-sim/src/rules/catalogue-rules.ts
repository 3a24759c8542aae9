import { date, num, requiredNode, str, Y, type InterfaceRules, type NodeRule } from './rule-engine';

/** The paged queries' common input (spec part 2 §5.3): the cursor and the page are required. */
const pagedQuery = (filters: NodeRule['fields']): InterfaceRules => ({
  data: requiredNode({
    updt_time: Y(str(19)),
    page_num: Y(num(4)),
    page_size: Y(num(4)),
    query_date: date(),
    insu_admdvs: str(6),
    begndate: date(),
    vali_flag: str(3),
    ...filters,
  }),
});

/** HN's list_type (part 2 §10) with JX's 105: the two prints disagree on 102–105. */
const LIST_TYPE = ['101', '102', '103', '104', '105', '201', '301'];

/**
 * 1307–1315 but 1312 (a version as a file, §5.1) and 9102 (§4.2), 1312 / 1312A 医保目录, 1318 限价, 1319 先自付比例 (paged, §5.3), 1901 字典 (§5.4), 3301 目录对照上传 and 3302 撤销
 * (§6): the fields and lengths the spec tables give.
 */
export const CATALOGUE_RULES: Readonly<Record<string, InterfaceRules>> = {
  ...Object.fromEntries(
    ['1307', '1308', '1310', '1311', '1313', '1314', '1315'].map((infno) => [
      infno,
      { data: requiredNode({ ver: Y(str(20)) }) },
    ]),
  ),
  '9102': {
    fsDownloadIn: requiredNode({
      file_qury_no: Y(str(40)),
      filename: Y(str(200)),
      fixmedins_code: Y(str(30)),
    }),
  },
  '1312': pagedQuery({ hilist_code: str(30), hilist_name: str(200), list_type: str(3) }),
  '1312A': pagedQuery({ hilist_code: str(30), hilist_name: str(200), list_type: str(3) }),
  '1318': pagedQuery({ hilist_code: str(30), hilist_lmtpric_type: str(6), overlmt_dspo_way: str(6) }),
  '1319': pagedQuery({ hilist_code: str(30), selfpay_prop_psn_type: str(6), selfpay_prop_type: str(6) }),
  '1901': {
    data: requiredNode({
      type: Y(str(30)),
      parentValue: str(10),
      admdvs: Y(str(6)),
      date: Y(date()),
      valiFlag: Y(str(3)),
    }),
  },
  '3301': {
    data: requiredNode({
      fixmedins_hilist_id: Y(str(30)),
      fixmedins_hilist_name: Y(str(200)),
      list_type: Y(str(30, LIST_TYPE)),
      med_list_codg: Y(str(30)),
      begndate: Y(date()),
      enddate: Y(date()),
      aprvno: str(30),
      dosform: str(200),
      exct_cont: str(2000),
      item_cont: str(2000),
      prcunt: str(100),
      spec: str(200),
      pacspec: str(100),
      memo: str(500),
    }),
  },
  '3302': {
    data: requiredNode({
      fixmedins_code: Y(str(30)),
      fixmedins_hilist_id: Y(str(30)),
      list_type: Y(str(30, LIST_TYPE)),
      med_list_codg: Y(str(30)),
    }),
  },
};
