import { type LookupColumn, type LookupTable } from './catalogue-kinds';

const DECIMAL = /^-?\d+(\.\d+)?$/;

export interface ReadRows {
  /** One value list per column, in the table's column order, plus the row as the platform sent it. */
  readonly rows: { values: (string | null)[]; raw: Record<string, unknown> }[];
  readonly rejected: number;
  /** The first few reasons a row was left out (row index and field). */
  readonly problems: string[];
  /** The largest cursor value (updt_time or 版本号, see LookupTable.cursor) among the rows kept. */
  readonly newest?: string;
}

const MAX_PROBLEMS = 5;

/**
 * Whether a cursor value is later than another: the longer is later, else the larger (a 版本号 may be a number
 * that grows a digit; updt_time values all have one length, so they compare as text).
 */
export function isLater(a: string, b: string): boolean {
  return a.length !== b.length ? a.length > b.length : a > b;
}

function valueOf(row: Record<string, unknown>, column: LookupColumn): string | null {
  for (const field of column.field.split('|')) {
    const value = row[field];
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return null;
}

/**
 * The platform's rows as the table's columns, tolerant as the wire edge is (numbers as strings or numbers,
 * "" for not given): a row without a required field, or with a number that is not one, is left out and
 * named, never the page. Duplicates of a key within the page keep the last (the platform's latest).
 */
export function readRows(table: LookupTable, rows: readonly Record<string, unknown>[]): ReadRows {
  const kept = new Map<string, { values: (string | null)[]; raw: Record<string, unknown> }>();
  const problems: string[] = [];
  let rejected = 0;
  let newest: string | undefined;
  rows.forEach((row, index) => {
    const values = table.columns.map((column) => valueOf(row, column));
    const problem = table.columns
      .map((column, i) => {
        const value = values[i];
        if (value === null) return column.required ? `${column.field} 为空` : undefined;
        return column.sqlType === 'numeric' && !DECIMAL.test(value)
          ? `${column.field} 不是数字: ${value}`
          : undefined;
      })
      .find((p) => p !== undefined);
    if (problem) {
      rejected += 1;
      if (problems.length < MAX_PROBLEMS) problems.push(`第${index + 1}行 ${problem}`);
      return;
    }
    const key = table.key
      .map((name) => values[table.columns.findIndex((c) => c.name === name)])
      .join('\u0000');
    kept.set(key, { values, raw: row });
    const cursor = table.cursor && row[table.cursor];
    if (typeof cursor === 'string' && cursor !== '' && (newest === undefined || isLater(cursor, newest)))
      newest = cursor;
  });
  return { rows: [...kept.values()], rejected, problems, ...(newest !== undefined && { newest }) };
}
