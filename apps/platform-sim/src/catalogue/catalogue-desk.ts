import { isObject, type JsonObject } from '../ledger/input-fields';
import { FILE_CATALOGUE_INFNOS, type FileCatalogues } from './catalogue-files';
import { type CatalogueItem, type GeneratedCatalogue } from './generated-catalogue';

/** The catalogue queries the desk answers: reads that change nothing on the platform. */
export const CATALOGUE_QUERIES: readonly string[] = [
  ...FILE_CATALOGUE_INFNOS,
  '1312',
  '1312A',
  '1318',
  '1319',
  '1901',
];

/** 1901's lists as the part-2 spec (§10) and part 1 give them; the platform's own are longer. */
const DICTIONARIES: Readonly<Record<string, readonly [string, string][]>> = {
  list_type: [
    ['101', '西药中成药'],
    ['102', '中药饮片'],
    ['103', '自制剂'],
    ['104', '民族药'],
    ['201', '医疗服务项目'],
    ['301', '医用耗材'],
  ],
  chrgitm_lv: [
    ['01', '甲类'],
    ['02', '乙类'],
    ['03', '丙类'],
  ],
  med_chrgitm_type: [
    ['01', '床位费'],
    ['02', '诊察费'],
    ['03', '检查费'],
    ['04', '化验费'],
    ['05', '治疗费'],
    ['06', '手术费'],
    ['07', '护理费'],
    ['08', '卫生材料费'],
    ['09', '西药费'],
    ['10', '中药饮片费'],
    ['11', '中成药费'],
    ['12', '一般诊疗费'],
    ['13', '挂号费'],
    ['14', '其他费'],
  ],
  med_type: [
    ['21', '普通住院'],
    ['22', '外伤住院'],
    ['52', '生育住院'],
  ],
};

/**
 * The platform's catalogue desk (spec part 2 §5.1–§5.4, §4.2): 1307–1315 (but 1312) as files (9102), 1312 / 1312A 医保目录, 1318 限价 and 1319 先自付比例
 * as paged queries of the rows updated after `updt_time`, oldest first, and 1901 dictionaries. The answers
 * are a function of the generated catalogue and the input, so they are not kept in the books.
 */
export class CatalogueDesk {
  constructor(
    private readonly catalogue: GeneratedCatalogue,
    private readonly admdvs: string,
    private readonly files: FileCatalogues,
  ) {}

  serves(infno: string): boolean {
    return CATALOGUE_QUERIES.includes(infno);
  }

  answer(infno: string, input: JsonObject, today: string): unknown {
    const data = isObject(input['data']) ? input['data'] : {};
    if (this.files.serves(infno)) return this.files.answer(infno, String(data['ver'] ?? '0'), today);
    if (infno === '1901') return { list: this.dictionary(String(data['type'] ?? '')) };
    const pageNum = Math.max(1, Number(data['page_num']) || 1);
    const pageSize = Math.max(1, Number(data['page_size']) || 1);
    const first = this.catalogue.firstAfter(String(data['updt_time'] ?? ''));
    const total = this.catalogue.size - first;
    const start = first + (pageNum - 1) * pageSize;
    const end = Math.min(this.catalogue.size, start + pageSize);
    const rows: JsonObject[] = [];
    for (let i = start; i < end; i += 1) rows.push(this.row(infno, i, this.catalogue.item(i)));
    const pages = Math.ceil(total / pageSize);
    return {
      pageNum,
      pageSize,
      size: rows.length,
      startRow: rows.length > 0 ? start - first + 1 : 0,
      endRow: end > start ? end - first : 0,
      pages,
      recordCounts: total,
      firstPage: pageNum === 1,
      lastPage: pageNum >= pages,
      data: rows,
    };
  }

  private row(infno: string, i: number, item: CatalogueItem): JsonObject {
    const audit = {
      insu_admdvs: this.admdvs,
      begndate: item.begndate,
      enddate: '',
      vali_flag: '1',
      updt_time: item.updt_time,
      crte_time: item.updt_time,
    };
    switch (infno) {
      case '1318':
        return {
          hilist_code: item.hilist_code,
          hilist_lmtpric_type: '1',
          overlmt_dspo_way: '1',
          hilist_pric_uplmt_amt: item.pric_uplmt_amt,
          rid: `L${this.admdvs}${String(i).padStart(12, '0')}`,
          ...audit,
        };
      case '1319':
        return {
          hilist_code: item.hilist_code,
          selfpay_prop_psn_type: '1',
          selfpay_prop_type: '1',
          selfpay_prop: item.selfpay_prop,
          rid: `S${this.admdvs}${String(i).padStart(12, '0')}`,
          ...audit,
        };
      default:
        return {
          hilist_code: item.hilist_code,
          hilist_name: item.hilist_name,
          med_chrgitm_type: item.med_chrgitm_type,
          chrgitm_lv: item.chrgitm_lv,
          lmt_used_flag: item.lmt_used_flag,
          list_type: item.list_type,
          med_use_flag: '1',
          matn_used_flag: '0',
          hilist_use_type: '1',
          lmt_cpnd_type: '0',
          wubi: '',
          pinyin: '',
          memo: [item.spec, item.prdr_name].filter(Boolean).join(' '),
          rid: `H${this.admdvs}${String(i).padStart(12, '0')}`,
          ...audit,
        };
    }
  }

  private dictionary(type: string): JsonObject[] {
    return (DICTIONARIES[type] ?? []).map(([value, label], sort) => ({
      type,
      label,
      value,
      parentValue: '',
      sort: sort + 1,
      valiFlag: '1',
      version: 1,
    }));
  }

  /** 9102 of a file this desk named (fixmedins_code `plc`, §4.2); undefined for any other. */
  file(input: JsonObject): Buffer | undefined {
    const node = isObject(input['fsDownloadIn']) ? input['fsDownloadIn'] : {};
    if (node['fixmedins_code'] !== 'plc') return undefined;
    return this.files.file(String(node['file_qury_no'] ?? ''));
  }
}
