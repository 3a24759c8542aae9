import { z } from 'zod';
import { readWith } from '@yb/contracts';
import {
  INTERFACE_SCHEMAS,
  type InterfaceInput,
  type InterfaceOutput,
  type TypedInfno,
} from './interface-schemas';

// Validation of the typed interfaces' `input` before it is sent and of `output` when it comes back.
// Messages name the field and what is wrong, never the value (it may be a patient identifier).
//
// Both directions first bring a node to the platform's form (the robustness principle: strict in what we
// send, tolerant in what we accept): a field given as `""`, blank or null is "not given" and removed, and
// each top-level node takes the form INTERFACE_SCHEMAS declares for it (`diseinfo[]`: a single object is
// sent as a one-element list; `data`: a one-element list is sent as its object). The schemas then check
// and normalise the fields (numbers given as strings, decimals to one form).

export interface FieldProblem {
  /** Path of the field in the node, e.g. `feedetail[3].det_item_fee_sumamt`. */
  readonly field: string;
  /** What is wrong with it: "is required", "is too long (max 30 characters)", … */
  readonly problem: string;
}

abstract class InterfaceDataError extends Error {
  /** The first bad field's path. */
  readonly field: string;

  protected constructor(
    readonly infno: string,
    readonly direction: 'input' | 'output',
    readonly problems: readonly FieldProblem[],
  ) {
    const [first] = problems;
    const more =
      problems.length > 1
        ? ` (and ${problems.length - 1} more: ${problems.slice(1).map(formatProblem).join('; ')})`
        : '';
    super(`${infno} ${direction}: ${formatProblem(first)}${more}`);
    this.field = first.field;
  }
}

/** The `input` for an interface does not match the platform's rules; nothing was sent. */
export class PlatformInputError extends InterfaceDataError {
  constructor(infno: string, problems: readonly FieldProblem[]) {
    super(infno, 'input', problems);
    this.name = 'PlatformInputError';
  }
}

/** The platform's `output` could not be read as the interface's answer. */
export class PlatformOutputError extends InterfaceDataError {
  constructor(infno: string, problems: readonly FieldProblem[]) {
    super(infno, 'output', problems);
    this.name = 'PlatformOutputError';
  }
}

function formatProblem({ field, problem }: FieldProblem): string {
  return field === '' ? problem : `${field} ${problem}`;
}

/** An unreadable answer's problems as results and timelines show them: "setlinfo.setl_id is required". */
export function missingFields(problems: readonly FieldProblem[]): string[] {
  return problems.map(formatProblem);
}

/** `['feedetail', 3, 'cnt']` → `feedetail[3].cnt`. */
export function formatFieldPath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (text, part) => (typeof part === 'number' ? `${text}[${part}]` : text === '' ? part : `${text}.${part}`),
    '',
  );
}

function deepestPath(issues: readonly z.ZodIssue[]): number {
  return Math.max(...issues.map((issue) => issue.path.length));
}

/** Reduces one zod issue to the field it is about and a plain statement of the problem. */
function describe(issue: z.ZodIssue): FieldProblem[] {
  if (issue.code === z.ZodIssueCode.invalid_union) {
    // A node accepted in two forms (array or object, date or datetime): report the form the value
    // got furthest in, unless no form got past the node itself.
    const branches = issue.unionErrors.map((error) => error.issues).filter((issues) => issues.length > 0);
    const best = branches.reduce((a, b) => (deepestPath(b) > deepestPath(a) ? b : a), branches[0] ?? []);
    if (best.length > 0 && (deepestPath(best) > issue.path.length || issue.message === 'Invalid input')) {
      return best.flatMap(describe);
    }
  }
  if (issue.code === z.ZodIssueCode.unrecognized_keys) {
    return issue.keys.map((key) => ({
      field: formatFieldPath([...issue.path, key]),
      problem: 'is not a field of this node (unknown field)',
    }));
  }
  const field = formatFieldPath(issue.path);
  if (issue.code === z.ZodIssueCode.invalid_type && issue.received === 'undefined') {
    return [{ field, problem: 'is required' }];
  }
  if (issue.code === z.ZodIssueCode.invalid_type && issue.received === 'null') {
    return [{ field, problem: 'is required (null)' }];
  }
  return [{ field, problem: issue.message }];
}

/** Nodes whose content is the caller's own structure (extension fields, HIS data): kept exactly as given. */
const OPAQUE_NODES: ReadonlySet<string> = new Set(['exp_content', 'fsi_his_data_dto']);

/** A JSON object (whatever realm made it: a prototype check would miss objects from structuredClone). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return Object.prototype.toString.call(value) === '[object Object]';
}

function isNotGiven(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** A copy of a node without the fields given as `""`, blank or null, at any depth (list items stay). */
function withoutEmptyFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmptyFields);
  if (!isPlainObject(value)) return value;
  const kept: Record<string, unknown> = {};
  // By key, not Object.entries: every request and answer passes here, and entries allocates a pair per field.
  for (const field of Object.keys(value)) {
    const child = value[field];
    if (!isNotGiven(child)) kept[field] = OPAQUE_NODES.has(field) ? child : withoutEmptyFields(child);
  }
  return kept;
}

/**
 * Gives each declared node the declared form: `['mdtrtinfo', 'diseinfo[]']` makes diseinfo a list (a single
 * object becomes a one-element list) and mdtrtinfo an object (a one-element list becomes its object). Paths
 * may go through objects (`IptPsnSpFlagReg.data[]`) and list alternatives (`data | data[]`).
 */
function inDeclaredForms(nodes: readonly string[], value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  const paths = nodes.flatMap((node) => node.split('|').map((path) => path.trim().split('.')));
  return reshape(value, paths);
}

function reshape(node: Record<string, unknown>, paths: readonly string[][]): Record<string, unknown> {
  const shaped = { ...node };
  const byField = new Map<string, string[][]>();
  for (const [head, ...rest] of paths) {
    byField.set(head, [...(byField.get(head) ?? []), rest]);
  }
  for (const [declared, rests] of byField) {
    const isList = declared.endsWith('[]');
    const field = isList ? declared.slice(0, -2) : declared;
    let child = shaped[field];
    if (child === undefined) continue;
    if (isList && isPlainObject(child)) child = [child];
    if (!isList && Array.isArray(child) && child.length === 1) child = child[0];
    const deeper = rests.filter((rest) => rest.length > 0);
    if (!isList && deeper.length > 0 && isPlainObject(child)) child = reshape(child, deeper);
    shaped[field] = child;
  }
  return shaped;
}

/** A caller's `input` in the platform's form, before the schema checks its fields. */
function asSent(infno: TypedInfno, input: unknown): unknown {
  return inDeclaredForms(INTERFACE_SCHEMAS[infno].inputNodes, withoutEmptyFields(input));
}

/** The platform's `output` with empty fields removed and its nodes in their declared forms. */
function asRead(infno: TypedInfno, output: unknown): unknown {
  return inDeclaredForms(INTERFACE_SCHEMAS[infno].outputNodes, withoutEmptyFields(output));
}

function problemsOf(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap(describe);
}

/**
 * Checks an interface's `input` node against the platform's rules and returns it normalised, exactly as it
 * will be sent: not-given fields removed, nodes in their declared forms, whole numbers as JSON numbers,
 * decimals as strings in one form (money "86.40"). Throws PlatformInputError naming the first bad field.
 */
export function validateInput<I extends TypedInfno>(infno: I, input: unknown): InterfaceInput<I> {
  const result = readWith(INTERFACE_SCHEMAS[infno].input, asSent(infno, input));
  if (!result.success) throw new PlatformInputError(infno, problemsOf(result.error));
  return result.data as InterfaceInput<I>;
}

/** The platform's `output` read as the interface's answer, or the fields the business needs that it lacks. */
export type OutputReading<I extends TypedInfno> =
  | { readonly readable: true; readonly output: InterfaceOutput<I> }
  | { readonly readable: false; readonly problems: readonly FieldProblem[] };

/**
 * Reads the platform's `output` node for an interface without throwing: an answer the platform applied
 * must never become an error on our side, so a caller gets the missing fields to show a person instead.
 * The schema's compiled reader reads an answer already in the form the schema gives back; zod reads any other
 * (and words the problems).
 */
export function readOutput<I extends TypedInfno>(infno: I, output: unknown): OutputReading<I> {
  const result = readWith(INTERFACE_SCHEMAS[infno].output, asRead(infno, output));
  return result.success
    ? { readable: true, output: result.data as InterfaceOutput<I> }
    : { readable: false, problems: problemsOf(result.error) };
}

/**
 * Reads the platform's `output` node for an interface; numeric fields come back as decimal
 * strings. Throws PlatformOutputError naming the first field that could not be read.
 */
export function parseOutput<I extends TypedInfno>(infno: I, output: unknown): InterfaceOutput<I> {
  const reading = readOutput(infno, output);
  if (!reading.readable) throw new PlatformOutputError(infno, reading.problems);
  return reading.output;
}
