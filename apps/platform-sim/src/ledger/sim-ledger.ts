import { shanghaiDateTime, shanghaiSecondStamp } from '@yb/platform-client';
import Decimal from 'decimal.js';
import { analyse } from './audits';
import { uploadFeeDetails, revokeFeeDetails } from './fee-details';
import { findMedListItem, type MedListItem } from './fee-catalogue';
import { SEEDED_INSURED_PERSONS, type InsuredPerson } from './insured-persons';
import type { LedgerContext } from './ledger-context';
import type { LedgerAnswer, LedgerEntry, LedgerJournal } from './ledger-journal';
import { FeeLineBook, type LedgerRequest, type LedgerState, type MessageLogEntry } from './ledger-state';
import { ledgerSnapshot, visitSnapshot, type LedgerSnapshot, type VisitSnapshot } from './ledger-snapshot';
import { checkEntitlement } from './eligibility';
import { answerNothingRecorded, queryPerson } from './person-queries';
import { PlatformRejection, reject } from './platform-rejection';
import {
  CLINICAL_UPLOAD_INFNOS,
  changeSettlementListStatus,
  uploadClinicalRecords,
  uploadSettlementList,
} from './report-uploads';
import { uploadItemMappings, withdrawItemMapping } from './item-mappings';
import { reverse } from './reversals';
import { cancelSettlement, preSettle, settle } from './settlements';
import { downloadFile, uploadFile } from './platform-files';
import { querySettlement, reconcileDetails, reconcileTotals } from './statements';
import { listSettlementsInWindow } from './period-settlements';
import {
  applyForClearing,
  applyForCrossAreaClearing,
  applyForLocalClearing,
  queryClearing,
  withdrawAgencyClearing,
  withdrawClearing,
} from './clearings';
import { refuseMisroutedArea } from '../rules/area-routing';
import { requireOpenSignIn, signIn, signOut } from './sign-ins';
import { queryPersonTotals } from './yearly-totals';
import { printSettlementSlip } from './settlement-slips';
import {
  queryDiagnoses,
  queryInpatients,
  querySettledFeeLines,
  querySettlementList,
  queryVisits,
} from './visit-records';
import {
  admit,
  amendAdmission,
  cancelAdmission,
  discharge,
  querySpecialAttributes,
  undoDischarge,
  uploadSpecialAttribute,
} from './visits';

export type { LedgerAnswer } from './ledger-journal';

export interface SimLedgerOptions {
  readonly now?: () => Date;
  readonly persons?: readonly InsuredPerson[];
  /** Refuse business calls whose sign_no is missing or signed out (the platform does; default true). */
  readonly requireSignIn?: boolean;
  /** Enrol a fictitious insured person for a 1101/2401 naming an unknown one (default false: refused). */
  readonly enrolUnknownPersons?: boolean;
  /** Local policy: the hospital bears 超限价 (default false: the patient pays it, as self-pay). */
  readonly hospitalBearsOverlimit?: boolean;
  /** Which interfaces 2601 may reverse; from the interface catalogue. */
  readonly isReversible: (infno: string) => boolean;
  /** The national catalogue's item of a code (default: the fee rules' own list, MED_LIST). */
  readonly catalogueItem?: (med_list_codg: string) => MedListItem | undefined;
  /** 2301 refuses a code outside the catalogue (default false: priced 丙类 with a memo). */
  readonly refuseCodesOutsideCatalogue?: boolean;
}

type Handler = (ctx: LedgerContext) => unknown;

/**
 * The simulated platform's books: everything a transaction changed, and the rules that refuse one.
 * `handle` is synchronous, so each transaction applies atomically: a refusal is thrown before any change.
 * The rules see only the request, the instant and the serial (LedgerContext), so the journal's entries
 * replayed in order rebuild the same state and the same answers.
 */
export class SimLedger {
  private state: LedgerState;
  private serialValue = 0;
  private readonly now: () => Date;
  /** How far the platform's clock is set from `options.now` (a test's week of settlement days). */
  private clockOffsetMs = 0;
  private readonly persons: readonly InsuredPerson[];
  private readonly requireSignIn: boolean;
  private readonly enrolUnknownPersons: boolean;
  private readonly hospitalBearsOverlimit: boolean;
  private readonly handlers: Record<string, Handler>;
  private readonly catalogueItem: (med_list_codg: string) => MedListItem | undefined;
  private readonly refuseCodesOutsideCatalogue: boolean;
  private journal?: LedgerJournal;

  constructor(options: SimLedgerOptions) {
    const realNow = options.now ?? (() => new Date());
    this.now = () => new Date(realNow().getTime() + this.clockOffsetMs);
    this.persons = options.persons ?? SEEDED_INSURED_PERSONS;
    this.requireSignIn = options.requireSignIn ?? true;
    this.enrolUnknownPersons = options.enrolUnknownPersons ?? false;
    this.hospitalBearsOverlimit = options.hospitalBearsOverlimit ?? false;
    this.catalogueItem = options.catalogueItem ?? findMedListItem;
    this.refuseCodesOutsideCatalogue = options.refuseCodesOutsideCatalogue ?? false;
    this.state = this.freshState();
    this.handlers = {
      '9001': signIn,
      '9002': signOut,
      '1101': queryPerson,
      '2001': checkEntitlement,
      '2401': admit,
      '2402': discharge,
      '2403': amendAdmission,
      '2404': cancelAdmission,
      '2405': undoDischarge,
      '2406': uploadSpecialAttribute,
      '2407': querySpecialAttributes,
      '2301': uploadFeeDetails,
      '2302': revokeFeeDetails,
      '2303': preSettle,
      '2304': settle,
      '2305': cancelSettlement,
      '2601': (ctx) => reverse(ctx, options.isReversible),
      '3101': analyse,
      '3102': analyse,
      '5201': queryVisits,
      '5202': queryDiagnoses,
      '5204': querySettledFeeLines,
      '5205': answerNothingRecorded('feedetail'),
      '5206': queryPersonTotals,
      '5301': answerNothingRecorded('feedetail'),
      '5302': answerNothingRecorded('psnfixmedin'),
      '5303': queryInpatients,
      '5304': answerNothingRecorded('refmedin'),
      '4103': querySettlementList,
      '4101A': uploadSettlementList,
      '4102': changeSettlementListStatus,
      '3201': reconcileTotals,
      '3202': reconcileDetails,
      '3203': applyForClearing,
      '3204': withdrawClearing,
      '3202A': applyForLocalClearing,
      '3204A': withdrawAgencyClearing,
      '1608': applyForCrossAreaClearing,
      '1618': withdrawAgencyClearing,
      '3205A': queryClearing,
      '5203': querySettlement,
      '5262': listSettlementsInWindow('local'),
      '5267': listSettlementsInWindow('cross-area'),
      '9101': uploadFile,
      '9102': downloadFile,
      YH03: printSettlementSlip,
      '3301': uploadItemMappings,
      '3302': withdrawItemMapping,
      ...Object.fromEntries(CLINICAL_UPLOAD_INFNOS.map((infno) => [infno, uploadClinicalRecords])),
    };
  }

  supports(infno: string): boolean {
    return infno in this.handlers;
  }

  /** True once a msgid reached the platform's books (answered or refused); such a msgid is never accepted again. */
  knows(msgid: string): boolean {
    return this.state.messages.has(msgid);
  }

  /** The platform's serial: the last value handed to an id. */
  get serial(): number {
    return this.serialValue;
  }

  /**
   * Sets the platform's clock to `at`, from where it runs on (without `at`: back to the real time). The
   * journal records each entry's instant, so replayed books are the same whatever the clock said.
   */
  setClock(at?: Date): Date {
    this.clockOffsetMs = 0;
    if (at) this.clockOffsetMs = at.getTime() - this.now().getTime();
    return this.now();
  }

  /** Every entry decided from now on goes to the journal (not those replayed). */
  keepJournal(journal: LedgerJournal): void {
    this.journal = journal;
  }

  handle(req: LedgerRequest, at: Date = this.now()): LedgerAnswer {
    if (this.state.messages.has(req.msgid)) return duplicateMsgid(req.msgid);
    const answer = this.decide(req, at);
    this.journal?.record({ kind: 'decision', request: req, at, answer, serial: this.serialValue });
    return answer;
  }

  /** Decides a recorded entry again at its recorded instant, without journaling it; the answer the rules give now. */
  replay(entry: LedgerEntry): LedgerAnswer | undefined {
    switch (entry.kind) {
      case 'decision':
        return this.state.messages.has(entry.request.msgid)
          ? duplicateMsgid(entry.request.msgid)
          : this.decide(entry.request, entry.at);
      case 'refusal':
        this.bookRefusal(entry.request, entry.err_msg, entry.at);
        return undefined;
      case 'reset':
        this.reset(entry.serial);
        return undefined;
    }
  }

  /** Never hands out a serial at or below `serial` (ids issued before are not issued again). */
  continueSerialFrom(serial: number): void {
    this.serialValue = Math.max(this.serialValue, serial);
  }

  private decide(req: LedgerRequest, at: Date): LedgerAnswer {
    const ctx: LedgerContext = {
      state: this.state,
      req,
      enrolUnknownPersons: this.enrolUnknownPersons,
      hospitalBearsOverlimit: this.hospitalBearsOverlimit,
      dateTime: shanghaiDateTime(at),
      stamp: shanghaiSecondStamp(at),
      catalogueItem: this.catalogueItem,
      refuseCodesOutsideCatalogue: this.refuseCodesOutsideCatalogue,
      nextSerial: (width) => String(++this.serialValue).padStart(width, '0'),
    };
    const entry: MessageLogEntry = {
      msgid: req.msgid,
      infno: req.infno,
      at: ctx.dateTime,
      infcode: 0,
      // The area the call was routed to, so that a test can see where each call of a visit went.
      ...(req.insuplc_admdvs !== undefined && { insuplc_admdvs: req.insuplc_admdvs }),
    };
    this.state.messages.set(req.msgid, entry);
    try {
      const handler = this.handlers[req.infno] ?? reject(`交易编号[${req.infno}]不存在或未开通`);
      if (this.requireSignIn && req.infno !== '9001' && req.infno !== '9002') requireOpenSignIn(ctx);
      refuseMisroutedArea(ctx);
      return { infcode: 0, output: handler(ctx) };
    } catch (err) {
      if (!(err instanceof PlatformRejection)) throw err;
      entry.infcode = -1;
      entry.err_msg = err.errMsg;
      return { infcode: -1, err_msg: err.errMsg };
    }
  }

  /** Books a refusal decided outside the rules (an injected `reject`): the msgid is used up all the same. */
  recordRefusal(req: LedgerRequest, errMsg: string, at: Date = this.now()): void {
    if (this.state.messages.has(req.msgid)) return;
    this.bookRefusal(req, errMsg, at);
    this.journal?.record({ kind: 'refusal', request: req, at, err_msg: errMsg, serial: this.serialValue });
  }

  private bookRefusal(req: LedgerRequest, errMsg: string, at: Date): void {
    this.state.messages.set(req.msgid, {
      msgid: req.msgid,
      infno: req.infno,
      at: shanghaiDateTime(at),
      infcode: -1,
      err_msg: errMsg,
    });
  }

  snapshot(): LedgerSnapshot {
    return ledgerSnapshot(this.state);
  }

  visit(mdtrt_id: string): VisitSnapshot | undefined {
    return visitSnapshot(this.state, mdtrt_id);
  }

  /**
   * Forgets every transaction and enrolment and restores the seeded persons and balances (tests start here).
   * The serial goes on from `serial` (by default where it is, so no id is issued twice). Not journaled: the
   * books record a reset themselves (SimBooks.reset).
   */
  reset(serial = this.serialValue): void {
    this.state = this.freshState();
    this.serialValue = serial;
  }

  private freshState(): LedgerState {
    return {
      persons: new Map(this.persons.map((p) => [p.psn_no, p])),
      balances: new Map(this.persons.map((p) => [p.psn_no, new Decimal(p.balc)])),
      signIns: new Map(),
      registrations: new Map(),
      feeLines: new FeeLineBook(),
      settlements: new Map(),
      reversals: [],
      reports: [],
      applied: new Map(),
      messages: new Map(),
      files: new Map(),
      clearings: new Map(),
      statementChecks: new Map(),
      itemMappings: new Map(),
    };
  }
}

function duplicateMsgid(msgid: string): LedgerAnswer {
  return { infcode: -1, err_msg: `发送方报文ID[${msgid}]重复，请勿重复提交` };
}
