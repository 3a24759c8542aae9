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

/**
 * 1307 疾病与诊断 and 1308 手术操作 as the platform serves them (spec part 2 §5.1, §5.2): asked with the largest
 * 版本号 the hospital holds, the answer names one file (`file_qury_no`, `filename`, `data_cnt`) holding the rows of
 * the next version; 9102 then gives it as a ZIP of one UTF-8 TXT, TAB-separated, no header, `null` for empty.
 * Rows are a function of their index only.
 */
export class FileCatalogues {
  constructor(private readonly options: FileCatalogueOptions) {}

  serves(infno: string): boolean {
    return infno === '1307' || infno === '1308';
  }

  /** The answer to 1307/1308 for the hospital's largest version `ver` ("0" on a first load). */
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

  /** 9102: the ZIP a 1307/1308 answer named; undefined for a name the desk never issued. */
  file(file_qury_no: string): Buffer | undefined {
    const m = /^fsi\/plc\/(130[78])_(130[78])V(\d{4})$/.exec(file_qury_no);
    if (!m || m[1] !== m[2]) return undefined;
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
    const { rows, rowsPerVersion } = this.options;
    const first = (v - 1) * rowsPerVersion;
    const count = Math.max(0, Math.min(rowsPerVersion, rows - first));
    return Array.from({ length: count }, (_, k) => first + k);
  }

  /** The TXT columns of row i (1307 and 1308 both have 24, code in 11, name in 12, ver in 23). */
  private columns(infno: string, i: number, v: number): string[] {
    const chapter = CHAPTERS[i % CHAPTERS.length];
    const code =
      infno === '1307'
        ? `${String.fromCharCode(65 + (i % 26))}${String(i % 100).padStart(2, '0')}.${String(i).padStart(5, '0')}`
        : `${String(i % 100).padStart(2, '0')}.${String(i).padStart(6, '0')}`;
    const name =
      infno === '1307' ? `${DISEASES[i % DISEASES.length]}${i}` : `${OPERATIONS[i % OPERATIONS.length]}${i}`;
    const at = '2024-01-01 08:00:00';
    return [
      `${infno}-${i}`,
      String((i % 22) + 1),
      '',
      chapter,
      '',
      '',
      code.slice(0, 3),
      '',
      code.slice(0, 5),
      '',
      code,
      name,
      '1',
      code,
      name,
      code,
      name,
      '',
      '1',
      `${infno}R${String(i).padStart(10, '0')}`,
      at,
      at,
      versionCode(infno, v),
      `${infno}版本${v}`,
    ];
  }
}
