import { zipOneFile } from './zip-file';

/** How big the file catalogues are, and how many rows each version adds. */
export interface FileCatalogueOptions {
  readonly rows: number;
  readonly rowsPerVersion: number;
}

const CHAPTERS = [
  '某些传染病和寄生虫病',
  '肿瘤',
  '循环系统疾病',
  '呼吸系统疾病',
  '消化系统疾病',
  '损伤、中毒',
];
const DISEASES = [
  '肺炎',
  '支气管炎',
  '高血压',
  '冠状动脉粥样硬化',
  '胃炎',
  '阑尾炎',
  '骨折',
  '糖尿病',
  '脑梗死',
  '胆囊结石',
];
const OPERATIONS = [
  '阑尾切除术',
  '胆囊切除术',
  '冠状动脉支架置入术',
  '髋关节置换术',
  '剖宫产术',
  '甲状腺部分切除术',
  '疝修补术',
];

/** The 版本号 of version `v` (1-based) of a catalogue, e.g. `1307V0003`: grows with v, as string and as number. */
const versionCode = (infno: string, v: number) => `${infno}V${String(v).padStart(4, '0')}`;

/** Row i's cells, by 1-based column, of a file catalogue (the others empty). */
type Cells = (i: number) => Readonly<Record<number, string>>;

/**
 * A file catalogue's TXT as spec part 2 §5.1 prints it: its column count, where 有效标志 sits (唯一记录号, 创建时间 and
 * 更新时间 follow it in every one), where 版本号 and 版本名称 sit, and the catalogue's own cells of a row.
 */
interface FileLayout {
  readonly columns: number;
  readonly valid: number;
  readonly ver: number;
  readonly verName: number;
  readonly cells: Cells;
}

const layout = (columns: number, valid: number, ver: number, verName: number, cells: Cells): FileLayout => ({
  columns,
  valid,
  ver,
  verName,
  cells,
});

const cycle = (list: readonly string[], i: number) => `${list[i % list.length]}${i}`;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

const DIAGNOSIS_CODE = (i: number) => `${String.fromCharCode(65 + (i % 26))}${pad(i % 100, 2)}.${pad(i, 5)}`;
const OPERATION_CODE = (i: number) => `${pad(i % 100, 2)}.${pad(i, 6)}`;
const TCM_DISEASES = ['感冒', '咳嗽', '胸痹', '眩晕', '胃脘痛', '消渴', '中风', '腰痛'];
const TCM_SYNDROMES = ['风寒束表证', '风热犯肺证', '气滞血瘀证', '肝阳上亢证', '脾胃虚弱证', '阴虚火旺证'];
const MORPHOLOGIES = ['腺癌', '鳞状细胞癌', '未分化癌', '淋巴瘤', '肉瘤', '腺瘤'];

/** 1307 and 1308: 24 columns, chapter to sub-item, the code and name in 11/12 and again as 国标版 and 临床版. */
const icdLayout = (infno: string, code: (i: number) => string, names: readonly string[]) =>
  layout(24, 19, 23, 24, (i) => {
    const [c, name] = [code(i), cycle(names, i)];
    const cells = { 11: c, 12: name, 13: '1', 14: c, 15: name, 16: c, 17: name };
    return {
      1: `${infno}-${i}`,
      2: String((i % 22) + 1),
      4: CHAPTERS[i % CHAPTERS.length],
      7: c.slice(0, 3),
      ...cells,
    };
  });

/** 1314 and 1315: 14 columns, a category and a sub-category (code, name), the entry's code and name in 6/7. */
const tcmLayout = (infno: string, letter: string, kinds: [string, string], names: readonly string[]) =>
  layout(14, 9, 13, 14, (i) => ({
    1: `${infno}-${i}`,
    2: `${letter}0${i % 9}`,
    3: kinds[0],
    4: `${letter}0${i % 9}.0${i % 5}`,
    5: kinds[1],
    6: `${letter}${pad(i, 6)}`,
    7: cycle(names, i),
  }));

/** The codes and names of each catalogue's rows: made up, shaped like the platform's (ICD-10, ICD-9-CM3, M codes). */
const FILE_LAYOUTS: Readonly<Record<string, FileLayout>> = {
  '1307': icdLayout('1307', DIAGNOSIS_CODE, DISEASES),
  '1308': icdLayout('1308', OPERATION_CODE, OPERATIONS),
  // 按病种付费病种: a disease settled at a fixed rate, limited to one operation.
  '1310': layout(15, 6, 10, 13, (i) => ({
    1: `1310-${i}`,
    2: `BZ${pad(i, 6)}`,
    3: cycle(DISEASES, i),
    4: OPERATION_CODE(i),
    5: cycle(OPERATIONS, i),
    11: '按病种付费',
  })),
  // 日间手术治疗病种: its operation in the last two columns.
  '1311': layout(15, 4, 8, 11, (i) => ({
    1: `1311-${i}`,
    2: `RJ${pad(i, 6)}`,
    3: cycle(DISEASES, i),
    9: '日间手术',
    14: cycle(OPERATIONS, i),
    15: OPERATION_CODE(i),
  })),
  '1313': layout(11, 6, 10, 11, (i) => ({
    1: `1313-${i}`,
    2: `M${pad(8000 + (i % 2000), 4)}/${i % 10}`,
    3: cycle(MORPHOLOGIES, i),
    4: `M${pad(800 + (i % 200), 3)}`,
    5: MORPHOLOGIES[i % MORPHOLOGIES.length],
  })),
  '1314': tcmLayout('1314', 'A', ['内科', '肺系病类'], TCM_DISEASES),
  '1315': tcmLayout('1315', 'B', ['外感证候', '表证'], TCM_SYNDROMES),
};

/** The file catalogues the desk serves (spec part 2 §5.1): Hubei opens these of 1301–1315. */
export const FILE_CATALOGUE_INFNOS = Object.keys(FILE_LAYOUTS);

/**
 * 1307 疾病与诊断, 1308 手术操作, 1310 按病种付费病种, 1311 日间手术治疗病种, 1313 肿瘤形态学, 1314 中医疾病 and 1315
 * 中医证候 as the platform serves them (spec part 2 §5.1, §5.2): asked with the largest 版本号 the hospital holds,
 * the answer names one file (`file_qury_no`, `filename`, `data_cnt`) holding the rows of the next version; 9102
 * then gives it as a ZIP of one UTF-8 TXT, TAB-separated, no header, `null` for empty. Rows are a function of
 * their index only; every catalogue has the same size.
 */
export class FileCatalogues {
  /** Each version's rows, [first, end): a published version never changes. */
  private readonly versions: [number, number][] = [];

  constructor(private readonly options: FileCatalogueOptions) {
    this.grow(options.rows);
  }

  get rows(): number {
    return this.versions.at(-1)?.[1] ?? 0;
  }

  /** The platform publishing more rows: those past the last version come in new versions (fewer rows: none). */
  grow(rows: number): void {
    for (let first = this.rows; first < rows; first += this.options.rowsPerVersion)
      this.versions.push([first, Math.min(rows, first + this.options.rowsPerVersion)]);
  }

  serves(infno: string): boolean {
    return infno in FILE_LAYOUTS;
  }

  /** The answer to 13xx for the hospital's largest version `ver` ("0" on a first load). */
  answer(infno: string, ver: string, today: string): Record<string, unknown> {
    const next = this.versionAfter(infno, ver) + 1;
    const rows = this.rowsOf(next);
    const name = `${infno}_${versionCode(infno, next)}`;
    return {
      file_qury_no: `fsi/plc/${name}`,
      filename: `${name}.txt.zip`,
      dld_end_time: today,
      data_cnt: rows.length,
    };
  }

  /** 9102: the ZIP a 13xx answer named; undefined for a name the desk never issued. */
  file(file_qury_no: string): Buffer | undefined {
    const m = /^fsi\/plc\/(13\d\d)_(13\d\d)V(\d{4})$/.exec(file_qury_no);
    if (!m || m[1] !== m[2] || !this.serves(m[1])) return undefined;
    const [infno, v] = [m[1], Number(m[3])];
    const lines = this.rowsOf(v).map((i) =>
      this.columns(infno, i, v)
        .map((c) => (c === '' ? 'null' : c))
        .join('\t'),
    );
    const txt = `${infno}_${versionCode(infno, v)}.txt`;
    return zipOneFile(txt, Buffer.from(lines.join('\n'), 'utf8'));
  }

  private versionAfter(infno: string, ver: string): number {
    const m = new RegExp(`^${infno}V(\\d{4})$`).exec(ver);
    return m ? Number(m[1]) : 0;
  }

  /** The row indexes of version v (empty past the last). */
  private rowsOf(v: number): number[] {
    const [first, end] = this.versions[v - 1] ?? [0, 0];
    return Array.from({ length: end - first }, (_, k) => first + k);
  }

  /** The TXT columns of row i of version v, in the catalogue's layout. */
  private columns(infno: string, i: number, v: number): string[] {
    const shape = FILE_LAYOUTS[infno]!;
    const at = '2024-01-01 08:00:00';
    const cells: Record<number, string> = {
      ...shape.cells(i),
      [shape.valid]: '1',
      [shape.valid + 1]: `${infno}R${pad(i, 10)}`,
      [shape.valid + 2]: at,
      [shape.valid + 3]: at,
      [shape.ver]: versionCode(infno, v),
      [shape.verName]: `${infno}版本${v}`,
    };
    return Array.from({ length: shape.columns }, (_, k) => cells[k + 1] ?? '');
  }
}
