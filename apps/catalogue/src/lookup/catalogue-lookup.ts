import { type DataSource } from 'typeorm';
import { CATALOGUE_KINDS, LOOKUP_TABLES, type CatalogueInfno, type LookupTable } from './catalogue-kinds';
import { type LookupTables } from './lookup-tables';

/** A downloaded kind as 目录查询 lists it: its table, the catalogues that fill it, its columns and rows held. */
export interface LookupKind {
  readonly kind: LookupTable['name'];
  readonly infnos: readonly CatalogueInfno[];
  readonly code: string;
  readonly label: string | null;
  /** Whether "valid on a date" reads begndate/enddate (else vali_flag only). */
  readonly dated: boolean;
  readonly columns: readonly string[];
  readonly rows: number;
}

export interface LookupQuery {
  /** The code, or its first characters. */
  readonly code?: string;
  /** The name's first characters (kinds with a name). */
  readonly name?: string;
  /** yyyy-MM-dd: only rows valid that day (vali_flag not 0 and, for dated kinds, begndate ≤ day ≤ enddate). */
  readonly date?: string;
  readonly page: number;
  readonly pageSize: number;
}

export interface LookupPage {
  readonly kind: LookupTable['name'];
  readonly columns: readonly string[];
  readonly items: Record<string, string | null>[];
  readonly total: number;
  readonly page: number;
  readonly page_size: number;
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
/** A LIKE prefix: the person's % and _ are characters, not wildcards. */
const prefix = (text: string) => `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * 目录查询: every downloaded kind (1307–1315, 1312, 1318, 1319, 1901) read by code prefix, name prefix and
 * validity on a date, a page at a time, from the lookup tables (indexed code and name; never a platform call).
 * Catalogue rows only: no patient data.
 */
export class CatalogueLookup {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tables: LookupTables,
  ) {}

  /** The table of a kind's name, if it is one. */
  static table(kind: string): LookupTable | undefined {
    return LOOKUP_TABLES.find((t) => t.name === kind);
  }

  async kinds(): Promise<LookupKind[]> {
    const kinds: LookupKind[] = [];
    for (const table of LOOKUP_TABLES)
      kinds.push({
        kind: table.name,
        infnos: (Object.keys(CATALOGUE_KINDS) as CatalogueInfno[]).filter(
          (i) => CATALOGUE_KINDS[i] === table,
        ),
        code: table.code,
        label: table.label ?? null,
        dated: table.dated,
        columns: table.columns.map((c) => c.name),
        rows: await this.tables.count(table),
      });
    return kinds;
  }

  async find(table: LookupTable, query: LookupQuery): Promise<LookupPage> {
    const values: unknown[] = [];
    const where: string[] = [];
    const param = (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    };
    if (query.code) where.push(`${quote(table.code)} LIKE ${param(prefix(query.code))}`);
    if (query.name && table.label) where.push(`${quote(table.label)} LIKE ${param(prefix(query.name))}`);
    if (query.date) {
      const has = (column: string) => table.columns.some((c) => c.name === column);
      if (has('vali_flag')) where.push(`vali_flag IS DISTINCT FROM '0'`);
      if (table.dated) {
        const day = param(query.date);
        // The platform writes dates as yyyy-MM-dd or with a time: the day is the first ten characters.
        where.push(`(coalesce(begndate, '') = '' OR left(begndate, 10) <= ${day})`);
        where.push(`(coalesce(enddate, '') = '' OR left(enddate, 10) >= ${day})`);
      }
    }
    const columns = table.columns.map((c) => c.name);
    const select = columns.map((c) =>
      table.columns.find((col) => col.name === c)!.sqlType === 'numeric'
        ? `${quote(c)}::text AS ${quote(c)}`
        : quote(c),
    );
    const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const rows = (await this.dataSource.query(
      `SELECT ${select.join(', ')}, count(*) OVER () AS total FROM ${this.tables.tableName(table)} ${filter}
        ORDER BY ${[table.code, ...table.key].map(quote).join(', ')}
        LIMIT ${param(query.pageSize)} OFFSET ${param((query.page - 1) * query.pageSize)}`,
      values,
    )) as (Record<string, string | null> & { total: string })[];
    const total =
      rows.length > 0 ? Number(rows[0]!.total) : await this.count(table, filter, values.slice(0, -2));
    return {
      kind: table.name,
      columns,
      items: rows.map((row) => Object.fromEntries(columns.map((c) => [c, row[c] ?? null]))),
      total,
      page: query.page,
      page_size: query.pageSize,
    };
  }

  /** The rows matching when the page asked is past the last (the window count has no row to ride on). */
  private async count(table: LookupTable, filter: string, values: unknown[]): Promise<number> {
    const [{ n }] = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM ${this.tables.tableName(table)} ${filter}`,
      values,
    )) as { n: number }[];
    return n;
  }
}
