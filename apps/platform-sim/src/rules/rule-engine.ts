import { isObject, type JsonObject } from '../ledger/input-fields';

/**
 * The sandbox's own input rules, as the platform applies them before any business rule: which nodes and
 * fields it requires, how long a field may be, which dictionary codes it checks, what a number looks like.
 * Tables are written from the platform's field reference (shared/spec), never from the client's schemas, so
 * a client bug shows up as a refusal here instead of being mirrored.
 *
 * Tolerant where the platform is: `""` and null are "not given"; numbers may arrive as JSON numbers or numeric
 * strings; a node may arrive as an object or as a list of rows; fields nobody tabled are ignored.
 */

export type FieldRule =
  | {
      readonly kind: 'text';
      readonly max: number;
      readonly dict?: readonly string[];
      readonly required?: true;
    }
  | { readonly kind: 'number'; readonly precision: number; readonly scale: number; readonly required?: true }
  | { readonly kind: 'date' | 'datetime' | 'any'; readonly required?: true };

export interface NodeRule {
  /** The platform refuses the request when the node is absent or has no row. */
  readonly required?: true;
  readonly fields: Readonly<Record<string, FieldRule>>;
  /** Nodes nested in each row (3101's patient_dtos → fsi_encounter_dtos → …). */
  readonly children?: Readonly<Record<string, NodeRule>>;
  /** A rule across the fields of one row (a field required only with another's value, one of two given). */
  readonly rowCheck?: (row: JsonObject, at: (field: string) => string) => string | undefined;
}

/** An interface's input: its top-level nodes. */
export type InterfaceRules = Readonly<Record<string, NodeRule>>;

// Builders, named after the spec's type column: `str 30`, `num 16,2`, `datetime`, `date`; Y marks required.
/** Text of at most `max` characters (unbounded where the sources give no length), optionally a dictionary code. */
export const str = (max = Infinity, dict?: readonly string[]): FieldRule => ({ kind: 'text', max, dict });
export const num = (precision: number, scale = 0): FieldRule => ({ kind: 'number', precision, scale });
export const datetime = (): FieldRule => ({ kind: 'datetime' });
export const date = (): FieldRule => ({ kind: 'date' });
/** Free content the platform stores as it comes (exp_content: an object in practice). */
export const anything = (): FieldRule => ({ kind: 'any' });
export const Y = (rule: FieldRule): FieldRule => ({ ...rule, required: true });

export const node = (
  fields: NodeRule['fields'],
  extra: Omit<NodeRule, 'fields' | 'required'> = {},
): NodeRule => ({ fields, ...extra });
export const requiredNode = (
  fields: NodeRule['fields'],
  extra: Omit<NodeRule, 'fields' | 'required'> = {},
) => ({
  ...node(fields, extra),
  required: true as const,
});

const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const NUMBER = /^[+-]?(\d+)(?:\.(\d+))?$/;

/** `""`, null and absent all mean "not given". */
export function given(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/** The text of a given scalar (numbers are accepted where text is expected, as the platform does). */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** The rows of a node sent as an object or as a list, with the path each row is named by in a refusal. */
export function rowsOf(value: unknown, path: string): { row: unknown; path: string }[] {
  if (Array.isArray(value)) return value.map((row, i) => ({ row, path: `${path}[${i}]` }));
  return given(value) ? [{ row: value, path }] : [];
}

/** The platform's refusal of the input, in its words; undefined when the input passes every rule. */
export function inputRefusal(rules: InterfaceRules, input: JsonObject): string | undefined {
  for (const [name, rule] of Object.entries(rules)) {
    const problem = nodeRefusal(rule, input[name], name);
    if (problem) return problem;
  }
  return undefined;
}

function nodeRefusal(rule: NodeRule, value: unknown, path: string): string | undefined {
  const rows = rowsOf(value, path);
  if (rows.length === 0) return rule.required ? `入参节点[${path}]不能为空` : undefined;
  for (const { row, path: rowPath } of rows) {
    if (!isObject(row)) return `入参节点[${rowPath}]格式错误`;
    for (const [field, fieldRule] of Object.entries(rule.fields)) {
      const problem = fieldRefusal(fieldRule, row[field], `${rowPath}.${field}`);
      if (problem) return problem;
    }
    const crossField = rule.rowCheck?.(row, (field) => `${rowPath}.${field}`);
    if (crossField) return crossField;
    for (const [child, childRule] of Object.entries(rule.children ?? {})) {
      const problem = nodeRefusal(childRule, row[child], `${rowPath}.${child}`);
      if (problem) return problem;
    }
  }
  return undefined;
}

export function fieldRefusal(rule: FieldRule, value: unknown, path: string): string | undefined {
  if (!given(value)) return rule.required ? `入参[${path}]不能为空` : undefined;
  if (rule.kind === 'any') return undefined;
  const text = textOf(value);
  if (text === undefined) return `入参[${path}]格式错误`;
  switch (rule.kind) {
    case 'text':
      // Lengths count characters, as the platform's Chinese field limits do.
      if ([...text].length > rule.max) return `入参[${path}]长度不能超过${rule.max}位`;
      if (rule.dict && !rule.dict.includes(text)) return `入参[${path}]取值[${text}]不在字典范围内`;
      return undefined;
    case 'number': {
      const match = NUMBER.exec(text);
      if (!match) return `入参[${path}]不是有效数字：${text}`;
      const whole = match[1]!.replace(/^0+(?=\d)/, '');
      if (whole.length > rule.precision - rule.scale)
        return `入参[${path}]整数位数不能超过${rule.precision - rule.scale}位`;
      if ((match[2] ?? '').replace(/0+$/, '').length > rule.scale)
        return `入参[${path}]小数位数不能超过${rule.scale}位`;
      return undefined;
    }
    case 'datetime':
      return DATETIME.test(text) ? undefined : `入参[${path}]格式错误，应为yyyy-MM-dd HH:mm:ss：${text}`;
    case 'date':
      return DATE.test(text) ? undefined : `入参[${path}]格式错误，应为yyyy-MM-dd：${text}`;
  }
}
