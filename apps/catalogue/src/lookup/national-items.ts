import { type DataSource } from 'typeorm';
import { type NationalItem } from '../mapping/item-mapping.commands';
import { HILIST, PRICE_LIMIT, SELFPAY_RATIO } from './catalogue-kinds';
import { type LookupTables } from './lookup-tables';

/** What fee-detail is told of a national code with a mapping (ItemMappingPublished). */
export interface NationalTerms {
  readonly begndate?: string;
  readonly enddate?: string;
  readonly pric_uplmt_amt?: string;
  readonly selfpay_prop?: string;
}

export interface Suggestion extends NationalItem {
  readonly memo: string | null;
  readonly score: number;
}

/** Reads the lookup tables by code: one indexed query each, never a platform call. */
export class NationalItems {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tables: LookupTables,
  ) {}

  /** The code as the 医保目录 holds it (its latest valid row), if it does. */
  async find(med_list_codg: string): Promise<NationalItem | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT hilist_code, hilist_name, list_type FROM ${this.tables.tableName(HILIST)}
        WHERE hilist_code = $1 ORDER BY (vali_flag = '1') DESC, updt_time DESC LIMIT 1`,
      [med_list_codg],
    )) as { hilist_code: string; hilist_name: string | null; list_type: string | null }[];
    return row
      ? { med_list_codg: row.hilist_code, hilist_name: row.hilist_name ?? '', list_type: row.list_type ?? '' }
      : undefined;
  }

  /** Validity (1312), price limit (1318) and self-pay ratio (1319) of a code, as last downloaded. */
  async terms(med_list_codg: string): Promise<NationalTerms> {
    const latest = async (table: string, column: string) =>
      (
        (await this.dataSource.query(
          `SELECT ${column} FROM ${table} WHERE hilist_code = $1 AND vali_flag IS DISTINCT FROM '0'
            ORDER BY updt_time DESC LIMIT 1`,
          [med_list_codg],
        )) as Record<string, string | null>[]
      )[0];
    const validity = await latest(this.tables.tableName(HILIST), 'begndate, enddate');
    const limit = await latest(this.tables.tableName(PRICE_LIMIT), 'hilist_pric_uplmt_amt::text AS amount');
    const ratio = await latest(this.tables.tableName(SELFPAY_RATIO), 'selfpay_prop::text AS ratio');
    const given = (value: string | null | undefined) => (value ? value : undefined);
    return {
      ...(given(validity?.begndate) && { begndate: validity!.begndate!.slice(0, 10) }),
      ...(given(validity?.enddate) && { enddate: validity!.enddate!.slice(0, 10) }),
      ...(given(limit?.amount) && { pric_uplmt_amt: limit!.amount! }),
      ...(given(ratio?.ratio) && { selfpay_prop: ratio!.ratio! }),
    };
  }

  /**
   * Codes of the same list type whose name shares the item's name (or its first characters), ranked by how
   * much of the name matches and whether the spec and the manufacturer appear in the row: a person chooses.
   */
  async suggest(item: {
    fixmedins_hilist_name: string;
    list_type: string;
    spec?: string;
    prdr_name?: string;
  }): Promise<Suggestion[]> {
    const name = item.fixmedins_hilist_name.replace(/[\s（(].*$/, '');
    const stem = name.slice(0, Math.min(name.length, 4));
    const rows = (await this.dataSource.query(
      `SELECT hilist_code, hilist_name, list_type, memo,
              (CASE WHEN hilist_name = $1 THEN 4 WHEN hilist_name LIKE $1 || '%' THEN 3 ELSE 1 END)
              + (CASE WHEN $3 <> '' AND memo LIKE '%' || $3 || '%' THEN 2 ELSE 0 END)
              + (CASE WHEN $4 <> '' AND memo LIKE '%' || $4 || '%' THEN 1 ELSE 0 END) AS score
         FROM ${this.tables.tableName(HILIST)}
        WHERE list_type = $5 AND vali_flag IS DISTINCT FROM '0' AND hilist_name LIKE $2 || '%'
        ORDER BY score DESC, hilist_code LIMIT 10`,
      [name, stem, item.spec ?? '', item.prdr_name ?? '', item.list_type],
    )) as {
      hilist_code: string;
      hilist_name: string;
      list_type: string;
      memo: string | null;
      score: number;
    }[];
    return rows.map((r) => ({
      med_list_codg: r.hilist_code,
      hilist_name: r.hilist_name,
      list_type: r.list_type,
      memo: r.memo,
      score: Number(r.score),
    }));
  }
}
