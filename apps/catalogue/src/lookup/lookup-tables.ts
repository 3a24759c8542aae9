import { type DataSource } from 'typeorm';
import { DICTIONARY, LOOKUP_TABLES, type LookupTable } from './catalogue-kinds';
import { type ReadRows } from './lookup-rows';

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/**
 * The catalogue's lookup tables in the service's schema: one per kind, keyed by the platform's record number,
 * indexed by code (text_pattern_ops: equality and prefix search), each row also kept whole (`row`, jsonb) for the columns not lifted. Rows are upserted in
 * one statement per page (the page's rows as one jsonb array, unnested), so a page of thousands of rows is one round trip
 * and loading a page again (a crash between loading and recording it) leaves each row once.
 */
export class LookupTables {
  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: string,
  ) {}

  tableName(table: LookupTable): string {
    return `${quote(this.schema)}.${quote(table.name)}`;
  }

  /** Creates what is missing (idempotent; run at start). */
  async ensure(): Promise<void> {
    for (const table of LOOKUP_TABLES) {
      const columns = table.columns.map(
        (c) => `${quote(c.name)} ${c.sqlType}${c.required ? ' NOT NULL' : ''}`,
      );
      await this.dataSource.query(
        `CREATE TABLE IF NOT EXISTS ${this.tableName(table)} (${columns.join(', ')}, row jsonb NOT NULL, ` +
          `loaded_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (${table.key.map(quote).join(', ')}))`,
      );
      for (const column of table.indexed) {
        await this.dataSource.query(
          `CREATE INDEX IF NOT EXISTS ${quote(`${table.name}_${column}`)} ON ${this.tableName(table)} (${quote(column)} text_pattern_ops)`,
        );
      }
    }
  }

  /**
   * Upserts the rows (one statement); returns how many were written. The page goes as one JSON parameter (an
   * array per row: the columns' values, then the row whole) unnested by PostgreSQL: one array parameter per
   * column would make pg escape every value into an array literal, several times the page's size in garbage.
   */
  async load(table: LookupTable, read: ReadRows): Promise<number> {
    if (read.rows.length === 0) return 0;
    const names = [...table.columns.map((c) => c.name), 'row'];
    const values = [
      ...table.columns.map((c, i) => `(r ->> ${i})::${c.sqlType}`),
      `r -> ${table.columns.length}`,
    ];
    const updates = names
      .filter((name) => !table.key.includes(name))
      .map((name) => `${quote(name)} = EXCLUDED.${quote(name)}`);
    await this.dataSource.query(
      `INSERT INTO ${this.tableName(table)} (${names.map(quote).join(', ')}) ` +
        `SELECT ${values.join(', ')} FROM jsonb_array_elements($1::jsonb) AS r ` +
        `ON CONFLICT (${table.key.map(quote).join(', ')}) DO UPDATE SET ${updates.join(', ')}, loaded_at = now()`,
      [JSON.stringify(read.rows.map((r) => [...r.values, r.raw]))],
    );
    return read.rows.length;
  }

  async count(table: LookupTable): Promise<number> {
    const [{ n }] = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM ${this.tableName(table)}`,
    )) as {
      n: number;
    }[];
    return n;
  }

  /** The valid codes of each of the dictionaries named (1901 rows whose vali_flag is not 0), by type. */
  async dictionaries(types: readonly string[]): Promise<Map<string, { value: string; label: string }[]>> {
    const rows = (await this.dataSource.query(
      `SELECT type, value, coalesce(label, '') AS label FROM ${this.tableName(DICTIONARY)} ` +
        `WHERE type = ANY($1::text[]) AND coalesce(vali_flag, '1') <> '0' ORDER BY type, value`,
      [types],
    )) as { type: string; value: string; label: string }[];
    const byType = new Map<string, { value: string; label: string }[]>();
    for (const { type, value, label } of rows) {
      const codes = byType.get(type) ?? [];
      codes.push({ value, label });
      byType.set(type, codes);
    }
    return byType;
  }
}
