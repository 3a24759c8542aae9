import { Keyring, sealedIn } from '@yb/sealing';

/**
 * What the dashboard keeps of a visit's patient: the name and certificate the pages and the slip show (masked by
 * role), and every identifier to look for in free text (the platform's err_msg may quote a name). Kept in one
 * sealed jsonb per visit (`visits.patient`, the services' keyring, bound to the visit), never in clear columns.
 */
export interface VisitPatient {
  readonly psn_name?: string;
  readonly mdtrt_cert_no?: string;
  readonly identifiers: readonly string[];
}

const EMPTY: VisitPatient = { identifiers: [] };

export class VisitPatients {
  constructor(private readonly keyring: Keyring = Keyring.fromEnv()) {}

  open(ipt_no: string, stored: unknown): VisitPatient {
    if (stored === null || stored === undefined) return EMPTY;
    return this.keyring.open(stored, sealedIn.visitPatient(ipt_no)) as VisitPatient;
  }

  /** `stored` with `known` added: fields given replace, identifiers accumulate (sorted, once each). */
  merged(
    ipt_no: string,
    stored: unknown,
    known: { psn_name?: string; mdtrt_cert_no?: string },
    identifiers: readonly (string | undefined)[],
  ): unknown {
    const patient = this.open(ipt_no, stored);
    const given = Object.fromEntries(
      Object.entries(known).filter(([, v]) => typeof v === 'string' && v.trim() !== ''),
    );
    const values = identifiers.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
    return this.keyring.seal(
      {
        ...patient,
        ...given,
        identifiers: [...new Set([...patient.identifiers, ...values])].sort(),
      } satisfies VisitPatient,
      sealedIn.visitPatient(ipt_no),
    );
  }
}
