import { HospitalItemsPublishedV1, type DataOf } from '@yb/contracts';
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

export interface RowError {
  /** The record of the file (1 = the header): its line, unless a quoted cell above held a line break. */
  line: number;
  field: string;
  message: string;
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

/**
 * The hospital's item list from a CSV file (UTF-8, a BOM allowed, a header naming the columns in any order):
 * every row checked against the HIS's contract, and a code twice is an error. Either every item or, when any
 * row is wrong, none, with each wrong row's line, field and why.
 */
export function parseItemCsv(text: string): ImportResult {
  const [header, ...rows] = records(text.replace(/^\uFEFF/, '')).map((cells) => cells.map((c) => c.trim()));
  const errors: RowError[] = [];
  if (!header) return { items: [], errors: [{ line: 1, field: 'header', message: 'empty file' }] };
  // An exported file comes back as it is: its mapping columns are not the HIS's and are left out.
  const known: readonly string[] = [...ITEM_CSV_COLUMNS, ...MAPPING_CSV_COLUMNS];
  const unknown = header.filter((name) => !known.includes(name));
  const missing = ITEM_CSV_COLUMNS.slice(0, 3).filter((name) => !header.includes(name));
  if (unknown.length > 0 || missing.length > 0) {
    const message = [
      unknown.length > 0 && `unknown columns: ${unknown.join(', ')}`,
      missing.length > 0 && `missing columns: ${missing.join(', ')}`,
    ];
    return { items: [], errors: [{ line: 1, field: 'header', message: message.filter(Boolean).join('; ') }] };
  }
  const items: HospitalItem[] = [];
  const seen = new Map<string, number>();
  rows.forEach((cells, index) => {
    const line = index + 2;
    if (cells.every((cell) => cell === '')) return;
    // PostgreSQL refuses NUL in text, and no item name needs a control character.
    const bad = cells.findIndex((c) => hasControlCharacter(c));
    if (bad >= 0) {
      errors.push({ line, field: header[bad] ?? 'row', message: 'must not hold control characters' });
      return;
    }
    if (cells.length !== header.length) {
      errors.push({ line, field: 'row', message: `${cells.length} cells, the header has ${header.length}` });
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
      for (const issue of parsed.error.issues)
        errors.push({ line, field: issue.path.join('.') || 'row', message: issue.message });
      return;
    }
    const first = seen.get(parsed.data.fixmedins_hilist_id);
    if (first !== undefined) {
      errors.push({ line, field: 'fixmedins_hilist_id', message: `also on line ${first}` });
      return;
    }
    seen.set(parsed.data.fixmedins_hilist_id, line);
    items.push(parsed.data);
  });
  if (items.length === 0 && errors.length === 0)
    errors.push({ line: 2, field: 'row', message: 'no item in the file' });
  if (items.length + errors.length > MAX_IMPORT_ROWS)
    return { items: [], errors: [{ line: 1, field: 'file', message: `more than ${MAX_IMPORT_ROWS} rows` }] };
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
