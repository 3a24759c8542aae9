import { isObject, type JsonObject } from '../ledger/input-fields';
import type { LedgerContext } from '../ledger/ledger-context';
import { reject } from '../ledger/platform-rejection';
import { rowsOf, textOf } from './rule-engine';

/**
 * The platform routes a call by the envelope's insuplc_admdvs (参保地医保区划): a settlement-side call about a
 * person goes to the person's own insurance area. Where each interface names its person(s): node → field.
 */
const PERSON_FIELDS: Readonly<Record<string, readonly [node: string, field: string, child?: string]>> = {
  '2301': ['feedetail', 'psn_no'],
  '2302': ['data', 'psn_no'],
  '2303': ['data', 'psn_no'],
  '2304': ['data', 'psn_no'],
  '2305': ['data', 'psn_no'],
  '2601': ['data', 'psn_no'],
  // 3101/3102 name each patient in data.patient_dtos[].patn_id (= psn_no).
  '3101': ['data', 'patn_id', 'patient_dtos'],
  '3102': ['data', 'patn_id', 'patient_dtos'],
  '4101A': ['setlinfo', 'psn_no'],
  '4102': ['data', 'psn_no', 'stastinfo'],
};

export const AREA_ROUTED_INFNOS: readonly string[] = Object.keys(PERSON_FIELDS);

/** The persons an area-routed interface's input names (psn_no, or patn_id for 3101/3102). */
export function personsNamed(infno: string, input: JsonObject): string[] {
  const where = PERSON_FIELDS[infno];
  if (!where) return [];
  const [nodeName, field, child] = where;
  const valueOf = (row: unknown, name: string): unknown => (isObject(row) ? row[name] : undefined);
  const rows = rowsOf(input[nodeName], nodeName).flatMap(({ row }) =>
    child === undefined ? [row] : rowsOf(valueOf(row, child), child).map((r) => r.row),
  );
  const persons = rows.map((row) => textOf(valueOf(row, field)));
  return [...new Set(persons)].filter((psn_no): psn_no is string => psn_no !== undefined);
}

/**
 * The area-routing refusal, in the platform's words, when the envelope's insuplc_admdvs is given and is not
 * the insured person's own; undefined when the call is routed right or names no person the platform knows
 * (the business rules then refuse an unknown one). Whether insuplc_admdvs must be given at all is the
 * region's rule, checked on the envelope (PlatformExchange).
 */
export function misroutedArea(
  infno: string,
  input: JsonObject,
  insuplc_admdvs: string | undefined,
  areaOf: (psn_no: string) => string | undefined,
): string | undefined {
  if (insuplc_admdvs === undefined) return undefined;
  for (const psn_no of personsNamed(infno, input)) {
    const own = areaOf(psn_no);
    if (own !== undefined && own !== insuplc_admdvs)
      return `参保地医保区划[${insuplc_admdvs}]与人员参保地[${own}]不一致`;
  }
  return undefined;
}

/** The ledger's hook, called before the interface's handler: refuses a call routed to another area. */
export function refuseMisroutedArea(ctx: LedgerContext): void {
  const { infno, input, insuplc_admdvs } = ctx.req;
  const problem = misroutedArea(
    infno,
    input,
    insuplc_admdvs,
    (psn_no) => ctx.state.persons.get(psn_no)?.insuplc_admdvs,
  );
  if (problem) reject(problem);
}
