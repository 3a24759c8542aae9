import catalogueFile from './catalogue.data.json';

// The platform's interface catalogue: every interface of the national catalogue and of Hubei's
// list, generated from the seeds by tools/catalogue/generate-catalogue.mjs (do not edit the JSON).

/** 实时 (answered during the call) or 定时/每天 (daily uploads). */
export type CallMode = 'realtime' | 'daily';
export type CatalogueSource = 'national' | 'hubei';

export interface CatalogueEntry {
  /** The infno as sent on the wire; Hubei's lower-case variants are upper-cased (4101a → 4101A). */
  readonly infno: string;
  /** Chinese name: Hubei's where Hubei lists the interface, else the national catalogue's. */
  readonly name: string;
  /** The national catalogue's name, null when only Hubei lists the interface. */
  readonly nationalName: string | null;
  /** The national catalogue's category; Hubei's (best effort, from a PDF) for Hubei-only codes. */
  readonly category: string;
  /** Hubei's call mode; null when only the national catalogue lists the interface. */
  readonly callMode: CallMode | null;
  /** Hubei's 当前是否开放: true 是, false 否, null when Hubei's list does not say. */
  readonly openInHubei: boolean | null;
  /** Hubei's 机构类型 (通用, 定点医疗机构, 定点零售药店); null when not stated. */
  readonly institutionTypes: readonly string[] | null;
  /** Whether 2601 冲正 can reverse it (spec §3.10: 2102, 2103, 2207, 2208, 2304, 2305, 2401). */
  readonly reversibleBy2601: boolean;
  readonly hubeiDescription: string | null;
  /** Which seed(s) list it. */
  readonly sources: readonly CatalogueSource[];
  /** The code as each seed writes it (e.g. hubei "4101a"). */
  readonly rawCodes: { readonly national: string | null; readonly hubei: string | null };
}

export interface MustVerifyCount {
  /** e.g. 二级及以上医院 */
  readonly institutionType: string;
  /** Number of interfaces an institution of this type must pass in acceptance testing. */
  readonly count: number;
  readonly focus?: string;
}

interface CatalogueFile {
  readonly seeds: { readonly national: string; readonly hubei: string };
  readonly counts: {
    readonly national: number;
    readonly hubei: number;
    readonly union: number;
    readonly hubeiOnly: number;
    readonly nationalOnly: number;
  };
  readonly mustVerifyByInstitutionType: readonly MustVerifyCount[];
  readonly entries: readonly CatalogueEntry[];
}

const file = catalogueFile as CatalogueFile;

export const CATALOGUE: readonly CatalogueEntry[] = Object.freeze(
  file.entries.map((entry) => Object.freeze(entry)),
);
export const CATALOGUE_COUNTS = file.counts;
export const MUST_VERIFY_BY_INSTITUTION_TYPE: readonly MustVerifyCount[] = file.mustVerifyByInstitutionType;

const byInfno = new Map(CATALOGUE.map((entry) => [entry.infno, entry]));

/** `4101a`, ` 4101A ` → `4101A`: the form the catalogue and the wire use. */
export function normaliseInfno(infno: string): string {
  return infno.trim().toUpperCase();
}

export function findInterface(infno: string): CatalogueEntry | undefined {
  return byInfno.get(normaliseInfno(infno));
}

/** The infno is in neither seed: a typo, or a newer interface the seeds must be updated for. */
export class UnknownInterfaceError extends Error {
  constructor(readonly infno: string) {
    super(
      `Unknown platform interface "${infno}": it is in neither the national catalogue nor Hubei's list ` +
        '(tools/catalogue/seeds; regenerate with node tools/catalogue/generate-catalogue.mjs after adding it)',
    );
    this.name = 'UnknownInterfaceError';
  }
}

export function requireInterface(infno: string): CatalogueEntry {
  const entry = findInterface(infno);
  if (!entry) throw new UnknownInterfaceError(infno);
  return entry;
}

/** Hubei lists the interface as not open (当前是否开放: 否). */
export class InterfaceClosedError extends Error {
  constructor(readonly entry: CatalogueEntry) {
    super(
      `Platform interface ${entry.infno} ${entry.name} is not open in Hubei (Hubei's list: 当前是否开放 否` +
        `${entry.hubeiDescription ? `, "${entry.hubeiDescription}"` : ''}). If Hubei has opened it for this ` +
        `hospital, allow it by configuration: call it with the option allowClosedInHubei: true for ${entry.infno}.`,
    );
    this.name = 'InterfaceClosedError';
  }
}

/** Hubei's list does not say whether the interface is open (national-only, or no flag in the row). */
export class InterfaceStatusUnknownError extends Error {
  constructor(readonly entry: CatalogueEntry) {
    const why = entry.sources.includes('hubei')
      ? "Hubei's row for it has no open flag"
      : "it is not in Hubei's list";
    super(
      `Platform interface ${entry.infno} ${entry.name}: whether Hubei has it open is unknown (${why}). ` +
        `If Hubei provides it, allow it by configuration: call it with the option allowUnknown: true for ${entry.infno}.`,
    );
    this.name = 'InterfaceStatusUnknownError';
  }
}

export interface CallableOptions {
  /** Call an interface Hubei marks closed (否), e.g. one Hubei has since opened for this hospital. */
  readonly allowClosedInHubei?: boolean;
  /** Call an interface whose open status in Hubei is unknown (national-only, or no flag). */
  readonly allowUnknown?: boolean;
}

/**
 * The catalogue entry of an interface this product may call in Hubei. Throws UnknownInterfaceError
 * (not in the catalogue), InterfaceClosedError (Hubei: 否) or InterfaceStatusUnknownError unless the
 * options allow it.
 */
export function assertCallable(infno: string, options: CallableOptions = {}): CatalogueEntry {
  const entry = requireInterface(infno);
  if (entry.openInHubei === false && !options.allowClosedInHubei) throw new InterfaceClosedError(entry);
  if (entry.openInHubei === null && !options.allowUnknown) throw new InterfaceStatusUnknownError(entry);
  return entry;
}
