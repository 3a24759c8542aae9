import { decimalFormOf, HospitalItemsPublishedV1, type DataOf } from '@yb/contracts';
import { z } from 'zod';
import { hasControlCharacter } from './query-filters';

type HospitalItem = DataOf<'HospitalItemsPublished'>['items'][number];

/** The CSV's columns, as the HIS names them (HospitalItemsPublished): the first two and list_type required. */
export const ITEM_CSV_COLUMNS = [
  'fixmedins_hilist_id',
  'fixmedins_hilist_name',
  'list_type',
  'spec',
  'prdr_name',
  'dosform',
  'prcunt',
  'aprvno',
  'pric',
] as const;

/** What the export adds: the mapping as the platform holds it. */
export const MAPPING_CSV_COLUMNS = [
  'mapping_status',
  'med_list_codg',
  'hilist_name',
  'begndate',
  'enddate',
  'pric_uplmt_amt',
  'selfpay_prop',
  'mapped_by',
] as const;

export const MAX_IMPORT_ROWS = 20_000;

/** Why a row (or the file) is refused: the dashboard words each in its language (i18n `importError:<code>`). */
export type RowErrorCode =
  | 'empty_file'
  | 'header_unknown'
  | 'header_missing'
  | 'control_characters'
  | 'cell_count'
  | 'required'
  | 'too_long'
  | 'not_in_list'
  | 'not_decimal'
  | 'invalid'
  | 'duplicate'
  | 'no_items'
  | 'too_many_rows';

export interface RowError {
  /** The record of the file (1 = the header): its line, unless a quoted cell above held a line break. */
  line: number;
  /** The column's name in the header, or `header`, `row`, `file` for what is not one cell's. */
  field: string;
  /** The column's position in the file (1 = the first), when the error is one cell's. */
  column?: number;
  code: RowErrorCode;
  /** What the message names (limits, columns, lines), for the dashboard to word it. */
  params: Record<string, string | number>;
  /** The message in Simplified Chinese, the billing office's language (line and column named). */
  message: string;
}

const CHINESE: Record<RowErrorCode, (p: Record<string, string | number>) => string> = {
  empty_file: () => '文件为空',
  header_unknown: (p) => `表头有未知的列：${p.columns}`,
  header_missing: (p) => `表头缺少必填列：${p.columns}`,
  control_characters: () => '不能含有控制字符（如换行、制表符）',
  cell_count: (p) => `本行有 ${p.cells} 格，表头有 ${p.expected} 列`,
  required: () => '必填，不能为空',
  too_long: (p) => `不能超过 ${p.max} 个字符`,
  not_in_list: (p) => `须为以下之一：${p.allowed}`,
  not_decimal: (p) => `须为数字，整数最多 ${p.integer} 位、小数最多 ${p.fraction} 位（如 12.5）`,
  invalid: (p) => `格式不正确（${p.detail}）`,
  duplicate: (p) => `项目编码与第 ${p.first} 行重复`,
  no_items: () => '文件中没有任何项目',
  too_many_rows: (p) => `超过 ${p.max} 行`,
};

/** A row error with its Chinese message: "第 3 行 第 2 列（fixmedins_hilist_name）：必填，不能为空". */
function rowError(
  line: number,
  field: string,
  code: RowErrorCode,
  params: Record<string, string | number> = {},
  column?: number,
): RowError {
  const where = `第 ${line} 行${column === undefined ? '' : ` 第 ${column} 列（${field}）`}`;
  return {
    line,
    field,
    ...(column !== undefined && { column }),
    code,
    params,
    message: `${where}：${CHINESE[code](params)}`,
  };
}

export type ImportResult = { items: HospitalItem[]; errors: [] } | { items: []; errors: RowError[] };

/** RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks; CRLF or LF. */
function records(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

const itemSchema = HospitalItemsPublishedV1.data.shape.items.element;

/** A zod issue of one cell as our code and its parameters (zod's own English stays out of the office's view). */
function cellProblem(
  issue: z.ZodIssue,
  field: string,
): { code: RowErrorCode; params: Record<string, string | number> } {
  switch (issue.code) {
    case 'invalid_type':
      return issue.received === 'undefined'
        ? { code: 'required', params: {} }
        : { code: 'invalid', params: { detail: issue.received } };
    case 'too_big':
      return { code: 'too_long', params: { max: Number(issue.maximum) } };
    case 'too_small':
      return { code: 'required', params: {} };
    case 'invalid_enum_value':
      return { code: 'not_in_list', params: { allowed: issue.options.join(', ') } };
    case 'invalid_string': {
      const shape: z.ZodTypeAny | undefined = itemSchema.shape[field as keyof typeof itemSchema.shape];
      const inner = shape instanceof z.ZodOptional ? (shape.unwrap() as z.ZodTypeAny) : shape;
      const form = inner instanceof z.ZodString ? decimalFormOf(inner) : undefined;
      return form
        ? { code: 'not_decimal', params: { integer: form.integerDigits, fraction: form.fractionDigits } }
        : { code: 'invalid', params: { detail: String(issue.validation) } };
    }
    default:
      return { code: 'invalid', params: { detail: issue.code } };
  }
}

/**
 * The hospital's item list from a CSV file (UTF-8, a BOM allowed, a header naming the columns in any order):
 * every row checked against the HIS's contract, and a code twice is an error. Either every item or, when any
 * row is wrong, none, with each wrong row's line, column and why (in Chinese, and as a code for the dashboard).
 */
export function parseItemCsv(text: string): ImportResult {
  const [header, ...rows] = records(text.replace(/^\uFEFF/, '')).map((cells) => cells.map((c) => c.trim()));
  const errors: RowError[] = [];
  if (!header) return { items: [], errors: [rowError(1, 'header', 'empty_file')] };
  // An exported file comes back as it is: its mapping columns are not the HIS's and are left out.
  const known: readonly string[] = [...ITEM_CSV_COLUMNS, ...MAPPING_CSV_COLUMNS];
  const unknown = header.filter((name) => !known.includes(name));
  const missing = ITEM_CSV_COLUMNS.slice(0, 3).filter((name) => !header.includes(name));
  if (unknown.length > 0 || missing.length > 0) {
    const wrong = [
      ...(unknown.length > 0
        ? [rowError(1, 'header', 'header_unknown', { columns: unknown.join(', ') })]
        : []),
      ...(missing.length > 0
        ? [rowError(1, 'header', 'header_missing', { columns: missing.join(', ') })]
        : []),
    ];
    return { items: [], errors: wrong };
  }
  const columnOf = (field: string) => {
    const at = header.indexOf(field);
    return at >= 0 ? at + 1 : undefined;
  };
  const items: HospitalItem[] = [];
  const seen = new Map<string, number>();
  rows.forEach((cells, index) => {
    const line = index + 2;
    if (cells.every((cell) => cell === '')) return;
    // PostgreSQL refuses NUL in text, and no item name needs a control character.
    const bad = cells.findIndex((c) => hasControlCharacter(c));
    if (bad >= 0) {
      errors.push(rowError(line, header[bad] ?? 'row', 'control_characters', {}, bad + 1));
      return;
    }
    if (cells.length !== header.length) {
      errors.push(rowError(line, 'row', 'cell_count', { cells: cells.length, expected: header.length }));
      return;
    }
    // An empty cell is an absent field (the wire edge's convention).
    const fields = Object.fromEntries(
      header.flatMap((name, i) =>
        cells[i] && (ITEM_CSV_COLUMNS as readonly string[]).includes(name) ? [[name, cells[i]]] : [],
      ),
    );
    const parsed = itemSchema.safeParse(fields);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.join('.') || 'row';
        const { code, params } = cellProblem(issue, field);
        errors.push(rowError(line, field, code, params, columnOf(field)));
      }
      return;
    }
    const first = seen.get(parsed.data.fixmedins_hilist_id);
    if (first !== undefined) {
      const field = 'fixmedins_hilist_id';
      errors.push(rowError(line, field, 'duplicate', { first }, columnOf(field)));
      return;
    }
    seen.set(parsed.data.fixmedins_hilist_id, line);
    items.push(parsed.data);
  });
  if (items.length === 0 && errors.length === 0) errors.push(rowError(2, 'row', 'no_items'));
  if (items.length + errors.length > MAX_IMPORT_ROWS)
    return { items: [], errors: [rowError(1, 'file', 'too_many_rows', { max: MAX_IMPORT_ROWS })] };
  return errors.length > 0 ? { items: [], errors } : { items, errors: [] };
}

/** A cell for a spreadsheet: quoted when needed, and a leading = + - @ neutralised (formula injection). */
function cell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The items and their mappings as CSV (UTF-8 with a BOM, so that Excel reads the Chinese). */
export function itemsToCsv(rows: readonly Record<string, unknown>[]): string {
  const columns = [...ITEM_CSV_COLUMNS, ...MAPPING_CSV_COLUMNS];
  const lines = [columns.join(','), ...rows.map((row) => columns.map((c) => cell(row[c])).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
