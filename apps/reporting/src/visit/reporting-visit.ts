import { type MessageOf, type NEWBORN_FIELDS } from '@yb/contracts';
import { type Decider } from '@yb/event-store';

// What reporting knows of one HIS visit, gathered from his.inpatient, his.clinical and insurance.inpatient:
// the facts a settlement list (4101A) is assembled from, and the registration every upload names.

type Homepage = MessageOf<'MedicalRecordHomepageRecorded'>['data'];
type Settlement = MessageOf<'Settled'>['data'];
type Admission = MessageOf<'PatientAdmitted'>['data'];

/** A newborn's admission type and weights (PatientAdmitted v2), for the settlement list. */
export type NewbornFacts = Pick<Admission, (typeof NEWBORN_FIELDS)[number]>;

export interface AdmissionFacts {
  readonly begntime: string;
  readonly adm_dept_codg: string;
  readonly insutype: string;
  readonly med_type: string;
  readonly chfpdr_name: string;
  readonly atddr_no: string;
  readonly insuplc_admdvs?: string;
  /** 入院诊断 as the HIS admitted the patient: the settlement list's 门（急）诊诊断. */
  readonly adm_diag_dscr?: string;
  readonly adm_diag_code?: string;
  readonly newborn?: NewbornFacts;
}

export interface DischargeFacts {
  readonly endtime: string;
  readonly dscg_way: string;
  readonly dscg_dept_codg: string;
}

export type SettlementFacts = Omit<Settlement, 'ipt_no'>;

export interface Registration {
  readonly mdtrt_id: string;
  readonly psn_no: string;
  readonly insuplc_admdvs?: string;
  readonly insutype?: string;
}

export type VisitEvent =
  | { type: 'AdmissionNoted'; data: AdmissionFacts }
  /** insuplc_admdvs, insutype: as admission registered them (AdmissionRegistered v2); absent in a v1 record. */
  | { type: 'RegistrationNoted'; data: Registration }
  | { type: 'DischargeNoted'; data: DischargeFacts }
  | { type: 'SettlementRequestNoted'; data: { invono?: string } }
  | { type: 'SettlementNoted'; data: SettlementFacts }
  | { type: 'SettlementCancellationNoted'; data: { init_setl_id: string } }
  | { type: 'HomepageNoted'; data: Omit<Homepage, 'ipt_no'> };

/** A fact to note: the event it becomes when it tells something new. */
export interface NoteVisitFact {
  readonly type: 'NoteVisitFact';
  readonly fact: VisitEvent;
}

export interface VisitFacts {
  readonly admission: AdmissionFacts | null;
  /** Departments in the order the patient stayed in them (admission first; changes are transfers). */
  readonly departments: readonly string[];
  readonly registration: Registration | null;
  readonly discharge: DischargeFacts | null;
  /** The cashier's request: its invoice number is the list's bill_no. */
  readonly settlementRequest: { invono?: string } | null;
  /** Standing settlements by setl_id (a cancelled one is removed). */
  readonly settlements: Readonly<Record<string, SettlementFacts>>;
  readonly homepage: Omit<Homepage, 'ipt_no'> | null;
}

export const initialVisitFacts: VisitFacts = {
  admission: null,
  departments: [],
  registration: null,
  discharge: null,
  settlementRequest: null,
  settlements: {},
  homepage: null,
};

export function evolveVisitFacts(state: VisitFacts, event: VisitEvent): VisitFacts {
  switch (event.type) {
    case 'AdmissionNoted': {
      const dept = event.data.adm_dept_codg;
      const departments =
        state.departments.length === 0
          ? [dept]
          : state.departments[state.departments.length - 1] === dept
            ? state.departments
            : [...state.departments, dept];
      return { ...state, admission: event.data, departments };
    }
    case 'RegistrationNoted':
      return { ...state, registration: event.data };
    case 'DischargeNoted':
      return { ...state, discharge: event.data };
    case 'SettlementRequestNoted':
      return { ...state, settlementRequest: event.data };
    case 'SettlementNoted':
      return { ...state, settlements: { ...state.settlements, [event.data.setl_id]: event.data } };
    case 'SettlementCancellationNoted': {
      const { [event.data.init_setl_id]: _cancelled, ...standing } = state.settlements;
      return { ...state, settlements: standing };
    }
    case 'HomepageNoted':
      return { ...state, homepage: event.data };
  }
}

/** A fact is recorded only when it changes what is known (a redelivered or repeated message adds nothing). */
export const reportingVisitDecider: Decider<NoteVisitFact, VisitEvent, VisitFacts> = {
  initialState: () => initialVisitFacts,
  evolve: evolveVisitFacts,
  decide: (command, state) =>
    JSON.stringify(evolveVisitFacts(state, command.fact)) === JSON.stringify(state) ? [] : [command.fact],
};

export const reportingVisitStream = (ipt_no: string): string => `reporting-visit-${ipt_no}`;
