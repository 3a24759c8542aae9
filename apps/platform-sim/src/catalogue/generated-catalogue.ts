import { FEE_CATALOGUE, type FeeItem, type FeeItemKind } from '@yb/reference-charges';
import Decimal from 'decimal.js';
import { MED_LIST, type MedListItem } from '../ledger/fee-catalogue';

/** How big the sandbox's national catalogue is, and which one (the same seed gives the same rows). */
export interface GeneratedCatalogueOptions {
  /** Items of the 医保目录 (1312/1312A); each has one 1318 price limit and one 1319 self-pay ratio. */
  readonly items: number;
  readonly seed: number;
}

export const DEFAULT_CATALOGUE_OPTIONS: GeneratedCatalogueOptions = { items: 100_000, seed: 1 };

/** The instant of item 0's last update (2024-01-01 08:00:00 Beijing); item i was updated `i` minutes later. */
const FIRST_UPDATE_MS = Date.UTC(2024, 0, 1, 0, 0, 0);
const UPDATE_STEP_MS = 60_000;
const BEIJING_OFFSET_MS = 8 * 3_600_000;

export interface CatalogueItem {
  readonly hilist_code: string;
  readonly hilist_name: string;
  /** 101 西药中成药, 201 医疗服务项目, 301 医用耗材 (part 2 §10, HN's list). */
  readonly list_type: string;
  readonly med_chrgitm_type: string;
  readonly chrgitm_lv: string;
  readonly spec: string;
  readonly prdr_name: string;
  readonly pric_uplmt_amt: string;
  readonly selfpay_prop: string;
  readonly lmt_used_flag: string;
  readonly begndate: string;
  readonly updt_time: string;
}

const DRUGS = [
  '阿莫西林',
  '头孢呋辛',
  '布洛芬',
  '奥美拉唑',
  '二甲双胍',
  '氨氯地平',
  '阿托伐他汀',
  '甲硝唑',
  '左氧氟沙星',
  '对乙酰氨基酚',
  '氯化钠',
  '葡萄糖',
  '胰岛素',
  '硝苯地平',
  '克拉霉素',
];
const FORMS = [
  ['片', '0.25g'],
  ['胶囊', '0.5g'],
  ['注射液', '10ml:0.1g'],
  ['颗粒', '5g'],
  ['缓释片', '30mg'],
  ['注射用粉针', '1g'],
] as const;
const SERVICES = [
  '静脉输液',
  '肌肉注射',
  '血常规检查',
  '尿常规检查',
  'CT平扫',
  '彩色多普勒超声',
  '常规心电图',
  '大换药',
  '导尿',
  '氧气吸入',
  '动态血压监测',
  '血气分析',
];
const MATERIALS = [
  '一次性使用输液器',
  '医用棉签',
  '一次性导尿管',
  '静脉留置针',
  '无菌纱布敷料',
  '一次性注射器',
  '医用胶带',
];
const MAKERS = [
  '华中药业',
  '武汉制药厂',
  '湖北康源',
  '楚天医疗',
  '江汉生物',
  '长江制药',
  '荆楚医械',
  '汉正医药',
];
const SELFPAY = ['0', '0.05', '0.1', '0.2'];

/**
 * The reference hospital's charges (@yb/reference-charges, what tools/his-sim bills) whose codes the fee rules do
 * not price themselves: listed right after MED_LIST, so that a sandbox refusing codes outside its catalogue accepts
 * every simulated line. Their class by kind (drugs and materials 乙类 with a 10 % self-pay share, services 甲类)
 * and their ceiling the hospital's price (the platform's published limit: no 超限价 on a simulated line).
 */
const REFERENCE_ITEMS: readonly FeeItem[] = FEE_CATALOGUE.filter(
  (charge) => !MED_LIST.some((known) => known.med_list_codg === charge.med_list_codg),
);
const FIRST_GENERATED = MED_LIST.length + REFERENCE_ITEMS.length;

/** med_chrgitm_type (part 2 §10) and list_type of each kind of charge. */
const KIND_TYPES: Readonly<Record<FeeItemKind, readonly [string, string]>> = {
  western_drug: ['09', '101'],
  chinese_patent_drug: ['11', '101'],
  bed: ['01', '201'],
  nursing: ['07', '201'],
  consultation: ['02', '201'],
  treatment: ['05', '201'],
  exam: ['03', '201'],
  lab: ['04', '201'],
  surgery: ['06', '201'],
  anaesthesia: ['06', '201'],
  material: ['08', '301'],
};

/** A small deterministic generator (mulberry32): the same seed and index give the same item. */
function random(seed: number, index: number): () => number {
  let state = (seed * 0x9e3779b1 + index * 0x85ebca6b) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pick = <T>(next: () => number, list: readonly T[]): T => list[Math.floor(next() * list.length)];
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** `yyyy-MM-dd HH:mm:ss` in Beijing time of an instant. */
function beijing(ms: number): string {
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * The sandbox's national catalogue, made up but shaped like the platform's: the items the fee rules price
 * (MED_LIST) first, then the reference hospital's other charges (REFERENCE_ITEMS), then generated drugs, services
 * and materials. Item i is a function of (seed, i) only, so
 * a page is computed without holding the catalogue, and raising `items` adds newer rows (later updt_time):
 * what an incremental download should find.
 */
export class GeneratedCatalogue {
  constructor(private options: GeneratedCatalogueOptions) {}

  get size(): number {
    return this.options.items;
  }

  /** Grows (or shrinks) the catalogue: the platform publishing a new version. */
  resize(items: number): void {
    this.options = { ...this.options, items };
  }

  item(i: number): CatalogueItem {
    const updt_time = beijing(FIRST_UPDATE_MS + i * UPDATE_STEP_MS);
    const known: MedListItem | undefined = MED_LIST[i];
    if (known) {
      return {
        hilist_code: known.med_list_codg,
        hilist_name: known.name,
        list_type:
          known.med_chrgitm_type === '08'
            ? '301'
            : ['09', '11'].includes(known.med_chrgitm_type)
              ? '101'
              : '201',
        med_chrgitm_type: known.med_chrgitm_type,
        chrgitm_lv: known.chrgitm_lv,
        spec: '',
        prdr_name: '',
        pric_uplmt_amt: new Decimal(known.pric_uplmt_amt).toFixed(2),
        selfpay_prop: known.selfpay_prop,
        lmt_used_flag: known.lmt_used_flag,
        begndate: '2024-01-01',
        updt_time,
      };
    }
    const charge = REFERENCE_ITEMS[i - MED_LIST.length];
    if (charge) {
      const [med_chrgitm_type, list_type] = KIND_TYPES[charge.kind];
      const service = list_type === '201';
      return {
        hilist_code: charge.med_list_codg,
        hilist_name: charge.name.replace(/\s.*$/, ''),
        list_type,
        med_chrgitm_type,
        chrgitm_lv: service ? '01' : '02',
        spec: charge.name.includes(' ') ? charge.name.slice(charge.name.indexOf(' ') + 1) : charge.unit,
        prdr_name: '',
        pric_uplmt_amt: new Decimal(charge.pric).toFixed(2),
        selfpay_prop: service ? '0' : '0.1',
        lmt_used_flag: '0',
        begndate: '2024-01-01',
        updt_time,
      };
    }
    const next = random(this.options.seed, i);
    const kind = next();
    const prdr_name = pick(next, MAKERS);
    const price = new Decimal(Math.floor(next() * 200_000) + 100).dividedBy(100).toFixed(2);
    const common = {
      chrgitm_lv: pick(next, ['01', '02', '02', '03']),
      pric_uplmt_amt: price,
      selfpay_prop: pick(next, SELFPAY),
      lmt_used_flag: next() < 0.1 ? '1' : '0',
      begndate: '2024-01-01',
      updt_time,
      prdr_name,
    };
    if (kind < 0.6) {
      const [form, spec] = pick(next, FORMS);
      return {
        ...common,
        hilist_code: `X${pad(this.options.seed % 100, 2)}${pad(i, 9)}B001`,
        hilist_name: `${pick(next, DRUGS)}${form}`,
        list_type: '101',
        med_chrgitm_type: '09',
        spec,
      };
    }
    if (kind < 0.85) {
      return {
        ...common,
        hilist_code: `00${pad(this.options.seed % 100, 2)}${pad(i, 9)}00`,
        hilist_name: pick(next, SERVICES),
        list_type: '201',
        med_chrgitm_type: pick(next, ['03', '04', '05']),
        spec: '次',
        prdr_name: '',
      };
    }
    return {
      ...common,
      hilist_code: `C${pad(this.options.seed % 100, 2)}${pad(i, 9)}000`,
      hilist_name: pick(next, MATERIALS),
      list_type: '301',
      med_chrgitm_type: '08',
      spec: pick(next, ['1支', '1套', '10个/包', '5cm×5cm']),
    };
  }

  /** The item with this code, if the catalogue holds it (generated codes carry their index). */
  /** The item of a code as the fee rules price it (2301, 3301): MED_LIST's own entry where it is one. */
  medListItem(code: string): MedListItem | undefined {
    const item = this.find(code);
    if (!item) return undefined;
    return (
      MED_LIST.find((known) => known.med_list_codg === code) ?? {
        med_list_codg: item.hilist_code,
        name: item.hilist_name,
        chrgitm_lv: item.chrgitm_lv as MedListItem['chrgitm_lv'],
        med_chrgitm_type: item.med_chrgitm_type,
        selfpay_prop: item.selfpay_prop,
        pric_uplmt_amt: item.pric_uplmt_amt,
        lmt_used_flag: item.lmt_used_flag as MedListItem['lmt_used_flag'],
      }
    );
  }

  find(code: string): CatalogueItem | undefined {
    const known = MED_LIST.findIndex((item) => item.med_list_codg === code);
    if (known >= 0) return known < this.size ? this.item(known) : undefined;
    const charge = REFERENCE_ITEMS.findIndex((item) => item.med_list_codg === code);
    if (charge >= 0)
      return MED_LIST.length + charge < this.size ? this.item(MED_LIST.length + charge) : undefined;
    const match = /^(?:X|00|C)\d{2}(\d{9})/.exec(code);
    if (!match) return undefined;
    const i = Number(match[1]);
    if (i < FIRST_GENERATED || i >= this.size) return undefined;
    const item = this.item(i);
    return item.hilist_code === code ? item : undefined;
  }

  /** The index of the first item updated after `updt_time` (Beijing `yyyy-MM-dd[ HH:mm:ss]`). */
  firstAfter(updt_time: string): number {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/.exec(updt_time);
    if (!m) return 0;
    const [y, mo, d, h, mi, s] = m.slice(1).map((part) => Number(part ?? 0));
    const ms = Date.UTC(y, mo - 1, d, h, mi, s) - BEIJING_OFFSET_MS;
    if (ms < FIRST_UPDATE_MS) return 0;
    return Math.min(this.size, Math.floor((ms - FIRST_UPDATE_MS) / UPDATE_STEP_MS) + 1);
  }
}
