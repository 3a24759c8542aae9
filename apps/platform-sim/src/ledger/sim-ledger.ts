import { shanghaiDateTime, shanghaiSecondStamp } from '@yb/platform-client';
import Decimal from 'decimal.js';
import { analyse } from './audits';
import { uploadFeeDetails, revokeFeeDetails } from './fee-details';
import { SEEDED_INSURED_PERSONS, type InsuredPerson } from './insured-persons';
import type { LedgerContext } from './ledger-context';
import type { LedgerRequest, LedgerState, MessageLogEntry } from './ledger-state';
import { ledgerSnapshot, visitSnapshot, type LedgerSnapshot, type VisitSnapshot } from './ledger-snapshot';
import { checkEntitlement } from './eligibility';
import { queryPerson } from './person-queries';
import { PlatformRejection, reject } from './platform-rejection';
import { CLINICAL_UPLOAD_INFNOS, uploadClinicalRecords, uploadSettlementList } from './report-uploads';
import { reverse } from './reversals';
import { cancelSettlement, preSettle, settle } from './settlements';
import { refuseMisroutedArea } from '../rules/area-routing';
import { requireOpenSignIn, signIn, signOut } from './sign-ins';
import {
  admit,
  amendAdmission,
  cancelAdmission,
  discharge,
  querySpecialAttributes,
  undoDischarge,
  uploadSpecialAttribute,
} from './visits';

export type LedgerAnswer =
  { readonly infcode: 0; readonly output: unknown } | { readonly infcode: -1; readonly err_msg: string };

export interface SimLedgerOptions {
  readonly now?: () => Date;
  readonly persons?: readonly InsuredPerson[];
  /** Refuse business calls whose sign_no is missing or signed out (the platform does; default true). */
  readonly requireSignIn?: boolean;
  /** Enrol a fictitious insured person for a 1101/2401 naming an unknown one (default false: refused). */
  readonly enrolUnknownPersons?: boolean;
  /** Which interfaces 2601 may reverse; from the interface catalogue. */
  readonly isReversible: (infno: string) => boolean;
}

type Handler = (ctx: LedgerContext) => unknown;

/**
 * The simulated platform's books: everything a transaction changed, and the rules that refuse one.
 * `handle` is synchronous, so each transaction applies atomically: a refusal is thrown before any change.
 */
export class SimLedger {
  private state: LedgerState;
  private serial = 0;
  private readonly now: () => Date;
  private readonly persons: readonly InsuredPerson[];
  private readonly requireSignIn: boolean;
  private readonly enrolUnknownPersons: boolean;
  private readonly handlers: Record<string, Handler>;

  constructor(options: SimLedgerOptions) {
    this.now = options.now ?? (() => new Date());
    this.persons = options.persons ?? SEEDED_INSURED_PERSONS;
    this.requireSignIn = options.requireSignIn ?? true;
    this.enrolUnknownPersons = options.enrolUnknownPersons ?? false;
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
      '4101A': uploadSettlementList,
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

  handle(req: LedgerRequest): LedgerAnswer {
    const at = this.now();
    const ctx: LedgerContext = {
      state: this.state,
      req,
      enrolUnknownPersons: this.enrolUnknownPersons,
      dateTime: shanghaiDateTime(at),
      stamp: shanghaiSecondStamp(at),
      nextSerial: (width) => String(++this.serial).padStart(width, '0'),
    };
    if (this.state.messages.has(req.msgid)) {
      return { infcode: -1, err_msg: `发送方报文ID[${req.msgid}]重复，请勿重复提交` };
    }
    const entry: MessageLogEntry = { msgid: req.msgid, infno: req.infno, at: ctx.dateTime, infcode: 0 };
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
  recordRefusal(req: LedgerRequest, errMsg: string): void {
    if (this.state.messages.has(req.msgid)) return;
    const at = shanghaiDateTime(this.now());
    this.state.messages.set(req.msgid, {
      msgid: req.msgid,
      infno: req.infno,
      at,
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

  /** Forgets every transaction and enrolment and restores the seeded persons and balances (tests start here). */
  reset(): void {
    this.state = this.freshState();
  }

  private freshState(): LedgerState {
    return {
      persons: new Map(this.persons.map((p) => [p.psn_no, p])),
      balances: new Map(this.persons.map((p) => [p.psn_no, new Decimal(p.balc)])),
      signIns: new Map(),
      registrations: new Map(),
      feeLines: [],
      settlements: new Map(),
      reversals: [],
      reports: [],
      applied: new Map(),
      messages: new Map(),
    };
  }
}
