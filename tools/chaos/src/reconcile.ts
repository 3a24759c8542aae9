// The reconciliation at the end of a chaos run. Every HIS event the simulator published (its manifest, with the
// contents read back from the HIS topics) is judged against the platform sandbox's ledger (GET /sim/ledger: what
// the platform applied, written from the spec and not from our client), what the services published on
// insurance.inpatient and what every dead-letter topic holds. An event passes only with its effect on the
// platform (once, to the fen) or with a documented, legitimate reason it has none: refused with the platform's
// answer (or by a rule whose premise the ledger confirms), held with the reason, or left to a person where the
// design says so and nothing showed the person was not needed. The other way round, every effect in the ledger
// must have a HIS event that caused it. Pure: the harness gathers the inputs, this decides.
import { SETTLEMENT_SAGA_TERMINAL_STATES } from '@yb/contracts';
import { judgeDayCloses, differenceName, type DayCloseInput, type DayCloseJudgement } from './day-close';
import { fen, sumFen, yuan } from './fen';
import { type HostileFamily } from './hostile-events';

/** Where a record sits on Kafka: the key a dead letter names its original by. */
export interface RecordPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** One upload to the platform a clinical record owes (4401/4402/45xx), by the key the platform files it under. */
export interface OwedReport {
  readonly infno: string;
  /** The HIS id reporting names the report by (medcasno, medcas_drord_detl_id, rpotc_no, palg_no, file_name). */
  readonly report_ref: string;
  /** The platform's record key: mdtrt_sn (fixmedins_code + ipt_no), and "/<record id>" below a visit. */
  readonly platformKey: string;
  /** The HIS withdrew the record (an order with vali_flag 0): nothing valid may stand on the platform. */
  readonly void: boolean;
}

/** One HIS event the simulator published, with what reconciliation needs of its data. */
export interface HisEvent extends RecordPosition {
  readonly id: string;
  readonly type: string;
  readonly ipt_no: string;
  /** FeeLinesCharged: each line with its amount (a refund line's is negative). */
  readonly lines?: readonly { readonly feedetl_sn: string; readonly det_item_fee_sumamt: string }[];
  /** FeeLinesVoided: the voided feedetl_sn ("0000": every line charged before). */
  readonly voided?: readonly string[];
  /** SettlementRequested: the HIS's total (of the lines this settlement covers). */
  readonly medfee_sumamt?: string;
  /** SettlementRequested: "1" a mid-way settlement (中途结算), "0" (or absent) the discharge settlement. */
  readonly mid_setl_flag?: string;
  /** Clinical records: the uploads they owe. */
  readonly reports?: readonly OwedReport[];
}

export interface HostilePublished extends RecordPosition {
  readonly family: HostileFamily;
}

/** A dead-letter record, by the headers libs/messaging writes. */
export interface DeadLetter {
  readonly dlqTopic: string;
  readonly original: RecordPosition;
  readonly reason: string;
  readonly consumerGroup: string;
}

/** A result on insurance.inpatient, as read (a relay may publish a row twice: same id). */
export interface ResultMessage {
  readonly id: string;
  readonly type: string;
  readonly key: string;
  readonly causationId: string | null;
  readonly data: Record<string, unknown>;
}

/** The parts of GET /sim/ledger reconciliation reads (no person's data). */
export interface LedgerView {
  readonly registrations: readonly {
    readonly mdtrt_id: string;
    readonly ipt_no: string;
    readonly msgid: string;
    readonly status: string;
    readonly history: readonly { readonly infno: string; readonly msgid: string }[];
  }[];
  readonly feeLines: readonly {
    readonly mdtrt_id: string;
    readonly feedetl_sn: string;
    readonly det_item_fee_sumamt: string;
    readonly msgid: string;
    readonly status: string;
    readonly setl_id?: string;
  }[];
  readonly settlements: readonly {
    readonly setl_id: string;
    readonly mdtrt_id: string;
    readonly msgid: string;
    readonly status: string;
    readonly medfee_sumamt: string;
    readonly fund_pay_sumamt: string;
    readonly acct_pay: string;
    readonly psn_cash_pay: string;
    /** "1" mid-way; absent in ledgers recorded before mid-way settlements were generated (read as "0"). */
    readonly mid_setl_flag?: string;
    /** The 2305 that cancelled it (status "cancelled"). */
    readonly cancelMsgid?: string;
  }[];
  readonly reports: readonly {
    readonly infno: string;
    readonly msgid: string;
    readonly key: string;
    readonly vali_flag: string;
  }[];
  /** 2601 冲正 the platform applied: the transactions they undid no longer count as effects. */
  readonly reversals: readonly { readonly omsgid: string; readonly oinfno: string }[];
  /** The calls the platform refused (infcode ≠ 0), with its words: what makes a refusal the platform's. */
  readonly refusals: readonly { readonly msgid: string; readonly infno: string; readonly err_msg: string }[];
}

export interface ReconcileInput {
  readonly published: readonly HisEvent[];
  /** Manifest messages not found on their topic when it was read back. */
  readonly missingFromTopic: number;
  readonly hostile: readonly HostilePublished[];
  /** Hostile records the broker refused at produce time (over message.max.bytes), by family. */
  readonly hostileRefusedByBroker: Readonly<Record<string, number>>;
  readonly ledger: LedgerView;
  readonly results: readonly ResultMessage[];
  readonly deadLetters: readonly DeadLetter[];
  /** The services that ran: an event whose service did not run has no effect to look for. */
  readonly services: readonly string[];
  /**
   * Each service's consumer group's committed offsets at the end ("topic/partition" → next offset to read),
   * so that an event its service has not read yet is told apart from one read and lost.
   */
  readonly committed: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** The platform reconciliation of the run's settlement days (absent: apps/reconciliation did not run). */
  readonly dayCloses?: DayCloseInput;
}

/** The result types the reconciliation reads; a harness may leave the others out of what it records. */
export const RESULT_TYPES_READ: ReadonlySet<string> = new Set([
  'AdmissionRegistered',
  'AdmissionChangeRegistered',
  'AdmissionCancellationRegistered',
  'AdmissionRequestRefused',
  'AdmissionOutcomeUncertain',
  'PlatformRequestRejected',
  'FeeLinesRejected',
  'SettlementSagaProgressed',
  'SettlementRequestRefused',
  'Settled',
  'SettlementCancelled',
  'ReportUploaded',
  'ReportPending',
  'ReportRejected',
]);

/** What became of one HIS event; the first seven fail the run. */
export const OUTCOMES = [
  'lost',
  'dead-lettered',
  'duplicated on the platform',
  'amount differs from the HIS',
  'not done without a business reason',
  'held behind a failed event',
  'not yet read by its service',
  'needs a person',
  'held (with the reason)',
  'refused (with the answer)',
  'applied',
  'not checked (its service did not run)',
] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const FAILING_OUTCOMES: ReadonlySet<Outcome> = new Set(OUTCOMES.slice(0, 7));

export interface Judgement {
  readonly event: HisEvent;
  readonly outcome: Outcome;
  readonly why: string;
}

export interface Reconciliation {
  readonly published: number;
  readonly byType: Readonly<Record<string, number>>;
  readonly outcomes: Readonly<Record<Outcome, number>>;
  /** Every event's judgement, in manifest order. */
  readonly judged: readonly Judgement[];
  /** Effects in the platform's ledger that no HIS event caused. */
  readonly uncaused: readonly string[];
  readonly missingFromTopic: number;
  readonly lines: {
    /** Lines the HIS left standing on visits the platform registered, and how many stand there once. */
    readonly expected: number;
    readonly uploadedOnce: number;
    readonly uploadedTwice: number;
    readonly voidedAndGone: number;
  };
  readonly amounts: {
    /** Registered visits whose standing lines were compared, fen by fen. */
    readonly visitsCompared: number;
    readonly hisTotal: string;
    readonly platformTotal: string;
    /** Visits whose platform total differs from the HIS's, with both totals. */
    readonly visitsDiffering: readonly string[];
    /** Visits whose totals differ only by lines the platform refused (a 2301 or a 2302 with its answer). */
    readonly visitsExplained: readonly string[];
    readonly settlementsCompared: number;
    readonly settlementsDiffering: readonly string[];
  };
  readonly registrationsDuplicated: number;
  readonly settlementsDuplicated: number;
  readonly resultsRepublished: number;
  readonly deadLetters: {
    readonly records: number;
    /** Distinct original records dead-lettered (a record refused by two groups counts once). */
    readonly originals: number;
    readonly byReason: Readonly<Record<string, number>>;
    readonly ofHisEvents: number;
    readonly ofOther: number;
  };
  readonly hostile: {
    readonly published: number;
    readonly deadLettered: number;
    /** Read by a service and yet in no dead-letter topic: a failure. */
    readonly notDeadLettered: number;
    /** Not read by any service yet when the run ended (the run did not quiesce). */
    readonly notYetRead: number;
    readonly publishedByFamily: Readonly<Record<string, number>>;
    readonly refusedByBroker: number;
  };
  readonly sagas: {
    readonly counted: boolean;
    readonly total: number;
    readonly notTerminal: number;
    readonly waitingForPerson: number;
    readonly byState: Readonly<Record<string, number>>;
    /** Sagas not settled, by their last step and what it said. */
    readonly endedOtherwise: Readonly<Record<string, number>>;
  };
  /** The run's settlement days reconciled with the platform (3201 / 3202) and each difference judged. */
  readonly dayCloses: DayCloseJudgement;
}

const OWNER: Readonly<Record<string, string>> = {
  PatientAdmitted: 'admission',
  AdmissionChanged: 'admission',
  AdmissionCancelled: 'admission',
  FeeLinesCharged: 'fee-detail',
  FeeLinesVoided: 'fee-detail',
  DischargeRequested: 'settlement',
  SettlementRequested: 'settlement',
  SettlementCancelRequested: 'settlement',
  PreSettlementConfirmed: 'settlement',
  MedicalRecordHomepageRecorded: 'reporting',
  MedicalOrdersRecorded: 'reporting',
  ExamReportIssued: 'reporting',
  LabReportIssued: 'reporting',
  BacterialCultureReported: 'reporting',
  DrugSensitivityReported: 'reporting',
  PathologyReportIssued: 'reporting',
  UnstructuredReportIssued: 'reporting',
};

const TERMINAL_SAGA_STATES: ReadonlySet<string> = new Set(SETTLEMENT_SAGA_TERMINAL_STATES);
/** Saga steps where waiting for a person is the business's own rule (a blocking audit finding). */
const AUDIT_STEPS = new Set(['PRE_SETTLEMENT_AUDIT', 'SETTLEMENT_AUDIT']);
const REVOKE_ALL = '0000';

const partitionKey = (p: RecordPosition) => `${p.topic}/${p.partition}`;
const positionKey = (p: RecordPosition) => `${p.topic}\u0000${p.partition}\u0000${p.offset}`;
/** Long digit runs could be a person's numbers: never printed. */
export const printable = (reason: string) => reason.replace(/\d{6,}/g, '…').slice(0, 200);
/** An event as a failure names it: type, visit and where it sits (the run's topic prefix left out). */
export const eventName = (e: HisEvent) =>
  `${e.type} ${e.ipt_no} @${e.topic.slice(e.topic.lastIndexOf('his.'))}/${e.partition}/${e.offset}`;

function countBy<T>(items: Iterable<T>, key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

type Registration = LedgerView['registrations'][number];
type Verdict = { outcome: Outcome; why: string };
const verdict = (outcome: Outcome, why: string): Verdict => ({ outcome, why });
const failing = (v: Verdict | undefined) => v !== undefined && FAILING_OUTCOMES.has(v.outcome);
/** The worst of several verdicts (OUTCOMES is ordered worst first). */
const worst = (verdicts: readonly Verdict[], otherwise: Verdict): Verdict =>
  [...verdicts].sort((a, b) => OUTCOMES.indexOf(a.outcome) - OUTCOMES.indexOf(b.outcome))[0] ?? otherwise;

interface SagaView {
  readonly id: string;
  readonly entries: readonly Record<string, unknown>[];
  readonly state: string;
  readonly step: string;
  readonly detail: string;
  readonly causationId: string | null;
}

/** Everything known about one visit, gathered once. */
interface VisitView {
  readonly ipt_no: string;
  readonly events: readonly HisEvent[];
  readonly results: readonly ResultMessage[];
  /** 2401s the platform applied and did not reverse (cancelled ones included). */
  readonly applied: readonly Registration[];
  /** The registration the visit's work goes to: applied, not cancelled. */
  readonly standing: Registration | undefined;
  readonly sagas: readonly SagaView[];
}

export function reconcile(input: ReconcileInput): Reconciliation {
  const running = new Set(input.services);
  const readBy = (service: string, p: RecordPosition) =>
    BigInt(input.committed[service]?.[partitionKey(p)] ?? '-1') > BigInt(p.offset);
  const deadByPosition = new Map<string, DeadLetter>();
  for (const dead of input.deadLetters) deadByPosition.set(positionKey(dead.original), dead);
  const refusalByMsgid = new Map(input.ledger.refusals.map((r) => [r.msgid, r]));
  /** A refusal a service published counts as the platform's only when the platform's ledger refused that msgid. */
  const platformRefused = (msgid: unknown) => typeof msgid === 'string' && refusalByMsgid.has(msgid);

  // Results, each id once (a relay may publish a row again after a crash: consumers deduplicate by id).
  const resultsById = new Map<string, ResultMessage>();
  for (const result of input.results) resultsById.set(result.id, result);
  const results = [...resultsById.values()];
  const resultsByCause = groupBy(
    results.filter((r) => r.causationId),
    (r) => r.causationId!,
  );
  const resultsByVisit = groupBy(results, (r) => r.key);
  const eventsByVisit = groupBy(input.published, (e) => e.ipt_no);

  const registrationsOf = groupBy(input.ledger.registrations, (r) => r.ipt_no);
  const linesOf = groupBy(input.ledger.feeLines, (l) => l.mdtrt_id);
  const linesBySettlement = groupBy(
    input.ledger.feeLines.filter((l) => l.setl_id !== undefined),
    (l) => l.setl_id!,
  );
  const settlementsOf = groupBy(input.ledger.settlements, (s) => s.mdtrt_id);
  const reportsByKey = groupBy(input.ledger.reports, (r) => `${r.infno} ${r.key}`);

  const visits = new Map<string, VisitView>();
  const visitOf = (ipt_no: string): VisitView => {
    let visit = visits.get(ipt_no);
    if (!visit) {
      const applied = (registrationsOf.get(ipt_no) ?? []).filter((r) => r.status !== 'reversed');
      const visitResults = resultsByVisit.get(ipt_no) ?? [];
      visit = {
        ipt_no,
        events: eventsByVisit.get(ipt_no) ?? [],
        results: visitResults,
        applied,
        standing: applied.find((r) => r.status !== 'cancelled'),
        sagas: sagasOf(visitResults),
      };
      visits.set(ipt_no, visit);
    }
    return visit;
  };
  const standingLines = (registration: Registration | undefined, sn: string) =>
    registration
      ? (linesOf.get(registration.mdtrt_id) ?? []).filter(
          (l) => l.feedetl_sn === sn && l.status === 'uploaded',
        )
      : [];
  const rejectedLine = (visit: VisitView, sn: string) =>
    visit.results
      .filter((r) => r.type === 'FeeLinesRejected')
      .flatMap((r) =>
        ((r.data['lines'] as { feedetl_sn: string; reason: string }[] | undefined) ?? []).map((l) => ({
          ...l,
          msgid: r.data['msgid'],
          infno: r.data['infno'],
        })),
      )
      .reverse()
      .find((l) => l.feedetl_sn === sn);

  /** The lines the HIS left standing on a visit: charged and not voided by a later event. */
  const hisStandingLines = (visit: VisitView) => {
    const standing = new Map<string, string>();
    for (const e of visit.events) {
      for (const line of e.lines ?? []) standing.set(line.feedetl_sn, line.det_item_fee_sumamt);
      for (const sn of e.voided ?? []) {
        if (sn === REVOKE_ALL) standing.clear();
        else standing.delete(sn);
      }
    }
    return standing;
  };
  const voidedAfter = (visit: VisitView, event: HisEvent, sn: string) => {
    const after = visit.events.slice(visit.events.indexOf(event) + 1);
    return after.some((e) => e.voided?.includes(sn) || e.voided?.includes(REVOKE_ALL));
  };

  /**
   * The visit's lines as the HIS left them against the platform's, to the fen: the lines that differ (missing,
   * extra, another amount), and those of them no refusal of the platform explains (a 2301 or 2302 it refused).
   */
  const lineDifferences = (visit: VisitView) => {
    const his = hisStandingLines(visit);
    const platform = new Map(
      (linesOf.get(visit.standing?.mdtrt_id ?? '') ?? [])
        .filter((l) => l.status === 'uploaded')
        .map((l) => [l.feedetl_sn, l.det_item_fee_sumamt]),
    );
    const differing = [
      ...[...his].filter(([sn, amount]) => !platform.has(sn) || fen(platform.get(sn)!) !== fen(amount)),
      ...[...platform].filter(([sn]) => !his.has(sn)),
    ].map(([sn]) => sn);
    return {
      hisTotal: sumFen([...his.values()].map(fen)),
      hisCount: his.size,
      platformTotal: sumFen([...platform.values()].map(fen)),
      platformCount: platform.size,
      differing,
      unexplained: differing.filter((sn) => !platformRefused(rejectedLine(visit, sn)?.msgid)),
    };
  };

  /** Whether the platform holds exactly the lines the HIS left standing, to the fen; why not otherwise. */
  const feesInAgreement = (
    visit: VisitView,
  ): { agree: boolean; why: string; platformRefusedLines: boolean } => {
    const d = lineDifferences(visit);
    const agree = d.differing.length === 0;
    return {
      agree,
      platformRefusedLines: !agree && d.unexplained.length === 0,
      why: agree
        ? `the platform holds the HIS's ${d.hisCount} line(s), ${yuan(d.hisTotal)}`
        : `HIS ${yuan(d.hisTotal)} in ${d.hisCount} line(s), platform ${yuan(d.platformTotal)} in ${d.platformCount}`,
    };
  };

  /** The saga a settlement event started (its first entry is caused by it); the visit's latest for a lone request. */
  const sagaOf = (visit: VisitView, event: HisEvent): SagaView | undefined => {
    const own = visit.sagas.find((s) => s.causationId === event.id);
    if (own || event.type !== 'SettlementRequested') return own;
    const requests = visit.events.filter((e) => e.type === 'SettlementRequested');
    return requests.length === 1 ? visit.sagas.at(-1) : undefined;
  };
  /** The msgids a saga's timeline names for one platform interface. */
  const msgidsOf = (saga: SagaView | undefined, infno: string) =>
    new Set((saga?.entries ?? []).filter((e) => e['infno'] === infno).map((e) => e['msgid']));

  /**
   * Each of the visit's settlements on the platform (settled or cancelled since) with the SettlementRequested it
   * answers: the one whose saga names its 2304's msgid; one no saga names goes to the latest request of its kind
   * (mid-way or discharge), so that an effect nobody claimed is still judged on a request.
   */
  const requestsBySettlement = new Map<string, HisEvent>();
  const attributedTo = new Map<HisEvent, LedgerView['settlements'][number][]>();
  const attribute = (visit: VisitView) => {
    const requests = visit.events.filter((e) => e.type === 'SettlementRequested');
    const onPlatform = visit.standing ? (settlementsOf.get(visit.standing.mdtrt_id) ?? []) : [];
    for (const s of onPlatform) {
      const kind = s.mid_setl_flag ?? '0';
      const request =
        requests.find((r) => msgidsOf(sagaOf(visit, r), '2304').has(s.msgid)) ??
        requests.filter((r) => (r.mid_setl_flag ?? '0') === kind).at(-1) ??
        requests.at(-1);
      if (!request) continue;
      requestsBySettlement.set(s.setl_id, request);
      attributedTo.set(request, [...(attributedTo.get(request) ?? []), s]);
    }
  };
  for (const ipt_no of eventsByVisit.keys()) attribute(visitOf(ipt_no));

  /**
   * Whether a refusal's premise holds, from the outside: the saga it names as in the way ended only after the
   * refusal (results of a visit are in order on its partition), or the settlement it names still stands.
   */
  const refusalPremiseHolds = (visit: VisitView, refusal: ResultMessage): string | undefined => {
    const reason = String(refusal.data['reason']);
    const standing = /setl_id (\w+)/.exec(reason)?.[1];
    if (
      standing &&
      (visit.standing ? (settlementsOf.get(visit.standing.mdtrt_id) ?? []) : []).some(
        (s) => s.setl_id === standing && s.status === 'settled',
      )
    )
      return `settlement ${standing} stands on the platform`;
    const inTheWay = refusal.data['saga_id'];
    if (/正在进行/.test(reason) && typeof inTheWay === 'string') {
      const refusedAt = visit.results.indexOf(refusal);
      const endedAt = visit.results.findIndex(
        (r) =>
          r.type === 'SettlementSagaProgressed' &&
          r.data['saga_id'] === inTheWay &&
          TERMINAL_SAGA_STATES.has(String(r.data['saga_state'])),
      );
      if (endedAt > refusedAt) return `saga ${inTheWay} was still running (it ended after the refusal)`;
    }
    return undefined;
  };

  const judgements = new Map<HisEvent, Verdict>();
  const judge = (event: HisEvent): Verdict => {
    let v = judgements.get(event);
    if (!v) {
      v = judgeEvent(event);
      judgements.set(event, v);
    }
    return v;
  };
  /** The visit's admission, as judged: what its other events' missing effects are measured against. */
  const admissionOf = (visit: VisitView): Verdict | undefined => {
    const admitted = visit.events.find((e) => e.type === 'PatientAdmitted');
    return admitted ? judge(admitted) : undefined;
  };
  /** An effect the platform does not hold: held behind the admission's failure, or for the reason given. */
  const notRegistered = (visit: VisitView, legitimate: Outcome): Verdict => {
    const admission = admissionOf(visit);
    if (failing(admission))
      return verdict('held behind a failed event', `its PatientAdmitted: ${admission!.why}`);
    return verdict(
      legitimate,
      `the platform holds no registration of the visit (${admission?.why ?? 'no PatientAdmitted published'})`,
    );
  };

  function judgeEvent(event: HisEvent): Verdict {
    const owner = OWNER[event.type];
    if (!owner || !running.has(owner)) return verdict('not checked (its service did not run)', '');
    const visit = visitOf(event.ipt_no);
    const dead = deadByPosition.get(positionKey(event));
    if (dead) return verdict('dead-lettered', `${dead.consumerGroup}: ${dead.reason}`);
    if (!readBy(owner, event))
      return verdict('not yet read by its service', `${owner} has not committed past it`);
    const caused = resultsByCause.get(event.id) ?? [];
    switch (event.type) {
      case 'PatientAdmitted':
        return admission(visit, caused);
      case 'AdmissionChanged':
        return admissionChange(visit, caused, '2403', 'AdmissionChangeRegistered');
      case 'AdmissionCancelled':
        return admissionChange(visit, caused, '2404', 'AdmissionCancellationRegistered');
      case 'FeeLinesCharged':
        return feeLinesCharged(event, visit);
      case 'FeeLinesVoided':
        return feeLinesVoided(event, visit);
      case 'DischargeRequested':
        return discharge(event, visit);
      case 'SettlementRequested':
        return settlement(event, visit, caused);
      case 'SettlementCancelRequested':
        return settlementCancel(event, visit, caused);
      case 'PreSettlementConfirmed':
        return confirmation(event, visit, caused);
      default:
        return clinicalRecord(event, visit);
    }
  }

  function refusalOf(caused: readonly ResultMessage[]): Verdict | undefined {
    const rejected = caused.find((r) => r.type === 'PlatformRequestRejected');
    if (rejected && platformRefused(rejected.data['msgid']))
      return verdict(
        'refused (with the answer)',
        `the platform refused ${String(rejected.data['infno'])}: ${String(rejected.data['err_msg'])}`,
      );
    return undefined;
  }

  function admission(visit: VisitView, caused: readonly ResultMessage[]): Verdict {
    const standing = visit.applied.filter((r) => r.status !== 'cancelled');
    if (standing.length > 1)
      return verdict('duplicated on the platform', `${standing.length} standing registrations`);
    const uncertain = [...caused, ...visit.results].find(
      (r) => r.type === 'AdmissionOutcomeUncertain' && r.data['infno'] === '2401',
    );
    const [registration] = visit.applied;
    if (registration) {
      const known = visit.results.some(
        (r) => r.type === 'AdmissionRegistered' && r.data['msgid'] === registration.msgid,
      );
      if (known) return verdict('applied', '');
      if (uncertain?.data['msgid'] === registration.msgid)
        return verdict(
          'needs a person',
          `the platform applied 2401 but its outcome was unknown here: ${String(uncertain.data['reason'])}`,
        );
      return verdict(
        'lost',
        `the platform registered the visit (2401) but no AdmissionRegistered was published`,
      );
    }
    const refusal = refusalOf(caused);
    if (refusal) return refusal;
    const ruled = caused.find((r) => r.type === 'AdmissionRequestRefused');
    // admission refuses a PatientAdmitted only from the platform's own answer to 1101 (who the person is).
    if (ruled)
      return verdict(
        'refused (with the answer)',
        `${String(ruled.data['infno'])}: ${String(ruled.data['reason'])}`,
      );
    if (uncertain)
      // The ledger never applied that 2401, so the answer to its 2601 said the original was never received:
      // sending it again was due, a person was not.
      return verdict(
        'not done without a business reason',
        `left to a person although the platform never applied 2401 ${String(uncertain.data['msgid'])}: ${String(uncertain.data['reason'])}`,
      );
    return verdict('lost', 'no registration on the platform and no answer published');
  }

  function admissionChange(
    visit: VisitView,
    caused: readonly ResultMessage[],
    infno: '2403' | '2404',
    registeredType: string,
  ): Verdict {
    const registered = caused.find((r) => r.type === registeredType);
    if (registered) {
      const onPlatform = visit.applied.some((r) =>
        r.history.some((h) => h.infno === infno && h.msgid === registered.data['msgid']),
      );
      return onPlatform
        ? verdict('applied', '')
        : verdict(
            'lost',
            `${registeredType} names ${infno} ${String(registered.data['msgid'])}, which the platform does not hold`,
          );
    }
    const refusal = refusalOf(caused);
    if (refusal) return refusal;
    const ruled = caused.find((r) => r.type === 'AdmissionRequestRefused');
    if (ruled) {
      const reason = `${infno}: ${String(ruled.data['reason'])}`;
      if (!visit.standing) return notRegistered(visit, 'refused (with the answer)');
      // The platform refuses 2404 while fee lines stand; any other refusal of a registered visit has no premise.
      const linesStand = (linesOf.get(visit.standing.mdtrt_id) ?? []).some((l) => l.status === 'uploaded');
      if (infno === '2404' && linesStand) return verdict('refused (with the answer)', reason);
      return verdict(
        'not done without a business reason',
        `refused (${reason}) although the platform holds the registration`,
      );
    }
    const uncertain = caused.find((r) => r.type === 'AdmissionOutcomeUncertain');
    if (uncertain) return verdict('needs a person', `${infno}: ${String(uncertain.data['reason'])}`);
    if (!visit.standing) return notRegistered(visit, 'held (with the reason)');
    const claimed = new Set(visit.results.map((r) => r.data['msgid']));
    const unclaimed = visit.applied
      .flatMap((r) => r.history)
      .find((h) => h.infno === infno && !claimed.has(h.msgid));
    return verdict(
      'lost',
      unclaimed
        ? `the platform holds ${infno} ${unclaimed.msgid} but no ${registeredType} was published`
        : `no ${infno} on the platform and no answer published`,
    );
  }

  function feeLinesCharged(event: HisEvent, visit: VisitView): Verdict {
    const expected = (event.lines ?? []).filter((l) => !voidedAfter(visit, event, l.feedetl_sn));
    if (expected.length === 0) return verdict('applied', 'every line was voided later');
    const verdicts: Verdict[] = [];
    for (const line of expected) {
      const copies = standingLines(visit.standing, line.feedetl_sn);
      if (copies.length > 1)
        verdicts.push(
          verdict('duplicated on the platform', `line ${line.feedetl_sn} stands ${copies.length} times`),
        );
      else if (copies.length === 1 && fen(copies[0]!.det_item_fee_sumamt) !== fen(line.det_item_fee_sumamt))
        verdicts.push(
          verdict(
            'amount differs from the HIS',
            `line ${line.feedetl_sn}: HIS ${line.det_item_fee_sumamt}, platform ${copies[0]!.det_item_fee_sumamt}`,
          ),
        );
      else if (copies.length === 0) verdicts.push(missingLine(visit, line.feedetl_sn, 'not on the platform'));
    }
    return worst(verdicts, verdict('applied', ''));
  }

  /** A line the platform should hold (or no longer hold) and does not: refused, held, or lost. */
  function missingLine(visit: VisitView, sn: string, what: string): Verdict {
    const rejected = rejectedLine(visit, sn);
    if (rejected && platformRefused(rejected.msgid))
      return verdict(
        'refused (with the answer)',
        `line ${sn}: the platform refused ${String(rejected.infno)}: ${rejected.reason}`,
      );
    // Refused before sending: the HIS's own data breaks a rule (a feedetl_sn reused with other content…).
    if (rejected && rejected.infno === undefined)
      return verdict('refused (with the answer)', `line ${sn}: ${rejected.reason}`);
    if (!visit.standing) return notRegistered(visit, 'held (with the reason)');
    const admission = admissionOf(visit);
    if (failing(admission))
      return verdict('held behind a failed event', `its PatientAdmitted: ${admission!.why}`);
    return verdict('lost', `line ${sn} ${what}`);
  }

  function feeLinesVoided(event: HisEvent, visit: VisitView): Verdict {
    const before = visit.events.slice(0, visit.events.indexOf(event));
    const sns = event.voided?.includes(REVOKE_ALL)
      ? before.flatMap((e) => (e.lines ?? []).map((l) => l.feedetl_sn))
      : (event.voided ?? []);
    const verdicts = sns
      .filter((sn) => standingLines(visit.standing, sn).length > 0)
      .map((sn) => missingLine(visit, sn, 'voided by the HIS still stands on the platform'));
    return worst(verdicts, verdict('applied', ''));
  }

  function discharge(event: HisEvent, visit: VisitView): Verdict {
    // The discharge settlement that stands last (one cancelled and asked again: the second).
    const request = visit.events
      .slice(visit.events.indexOf(event) + 1)
      .filter((e) => e.type === 'SettlementRequested' && (e.mid_setl_flag ?? '0') === '0')
      .at(-1);
    if (!request)
      return verdict('held (with the reason)', 'kept for a SettlementRequested the run did not publish');
    const status = visit.standing?.status;
    if (status === 'discharged' || status === 'settled') return verdict('applied', '');
    const settled = judge(request);
    if (failing(settled))
      return verdict('held behind a failed event', `its SettlementRequested: ${settled.why}`);
    if (settled.outcome === 'applied')
      return verdict('lost', 'settled, yet the platform holds no discharge (2402)');
    return verdict(settled.outcome, `its settlement did not go ahead: ${settled.why}`);
  }

  function settlement(event: HisEvent, visit: VisitView, caused: readonly ResultMessage[]): Verdict {
    const registration = visit.standing;
    const own = attributedTo.get(event) ?? [];
    const settled = own.filter((s) => s.status === 'settled');
    const saga = sagaOf(visit, event);
    if (settled.length > 1)
      return verdict('duplicated on the platform', `${settled.length} standing settlements`);
    // A settlement the HIS cancelled later (2305) was applied all the same; its cancellation is judged there.
    const s = settled[0] ?? own.filter((x) => x.status === 'cancelled').at(-1);
    if (s) {
      const published = visit.results.find((r) => r.type === 'Settled' && r.data['setl_id'] === s.setl_id);
      const differs = settlementDifference(event, s, published);
      if (differs) return verdict('amount differs from the HIS', differs);
      if (saga?.state === 'SETTLED' && published)
        return verdict('applied', s.status === 'cancelled' ? `cancelled since (${s.setl_id})` : '');
      if (saga?.state === 'APPLIED_UNREADABLE')
        return verdict(
          'needs a person',
          `the platform settled (${s.setl_id}) and its answer was unreadable: ${saga.detail}`,
        );
      return verdict(
        'lost',
        `the platform settled (${s.setl_id}) but the saga ended ${saga?.state ?? 'never started'} and no Settled was published`,
      );
    }
    // Not settled on the platform: only the platform's answer or a person's decision may explain it.
    const notDone = (what: string): Verdict => {
      if (!registration) return notRegistered(visit, 'refused (with the answer)');
      const fees = feesInAgreement(visit);
      if (!fees.agree)
        return fees.platformRefusedLines
          ? verdict('refused (with the answer)', `${what}; the platform refused fee lines (${fees.why})`)
          : verdict(
              'held behind a failed event',
              `${what}; the visit's fee lines are not as the HIS left them (${fees.why})`,
            );
      return verdict(
        'not done without a business reason',
        `${what}; yet the visit is registered and ${fees.why}`,
      );
    };
    const refused = caused.find((r) => r.type === 'SettlementRequestRefused');
    if (!saga) {
      const premise = refused && refusalPremiseHolds(visit, refused);
      if (premise)
        return verdict('refused (with the answer)', `${String(refused!.data['reason'])}: ${premise}`);
      if (refused) return notDone(`refused: ${String(refused.data['reason'])}`);
      if (!registration && failing(admissionOf(visit)))
        return notRegistered(visit, 'refused (with the answer)');
      return verdict('lost', 'no saga started and no answer published');
    }
    const at = `${saga.state} at ${saga.step}: ${saga.detail}`;
    if (saga.state === 'RUNNING')
      return verdict('not done without a business reason', `the saga is still ${at}`);
    if (saga.state === 'SETTLED')
      return verdict('lost', `the saga says SETTLED but the platform holds no settlement`);
    if (saga.state === 'WAITING_FOR_PERSON' && AUDIT_STEPS.has(saga.step))
      return verdict('needs a person', at);
    if (saga.state === 'CANCELLED')
      return verdict('refused (with the answer)', `cancelled by a person: ${saga.detail}`);
    // A step the platform refused: by the msgid the saga names, or (a refusal fee-detail reports in its answer)
    // by the interface and the platform's own words in the step's detail.
    const platformAnswer = saga.entries.find(
      (e) =>
        e['status'] === 'REJECTED' &&
        (platformRefused(e['msgid']) ||
          input.ledger.refusals.some(
            (r) =>
              r.err_msg !== '' &&
              String(e['detail']).includes(r.infno) &&
              String(e['detail']).includes(r.err_msg),
          )),
    );
    if (platformAnswer)
      return verdict(
        saga.state === 'FAILED' ? 'refused (with the answer)' : 'needs a person',
        `the platform refused ${String(platformAnswer['infno'] ?? platformAnswer['step'])}: ${String(platformAnswer['detail'])}`,
      );
    const race = totalsRace(event, visit, saga);
    if (race) return verdict('needs a person', `the saga ended ${at}: ${race}`);
    return notDone(`the saga ended ${at}`);
  }

  /**
   * A settlement that failed on its totals because of what the HIS did, shown from the outside: the HIS's total
   * falls short of fee-detail's unsettled lines by exactly the lines it charged after a mid-way request (a run
   * compressed so far that the next morning's charges came before the question), or, for the discharge
   * settlement, by exactly a mid-way settlement that did not go ahead. The saga leaves it to a cashier.
   */
  function totalsRace(event: HisEvent, visit: VisitView, saga: SagaView): string | undefined {
    if (saga.state !== 'FAILED' || saga.step !== 'FEE_RECONCILIATION') return undefined;
    const rejected = saga.entries.find(
      (e) => e['step'] === 'FEE_RECONCILIATION' && e['status'] === 'REJECTED',
    );
    const totals = /HIS费用总额\[(-?[\d.]+)\]与医保平台已上传总额\[(-?[\d.]+)\]/.exec(
      String(rejected?.['detail'] ?? ''),
    );
    if (!totals) return undefined;
    const gap = fen(totals[2]!) - fen(totals[1]!);
    if (gap <= 0n) return undefined;
    const at = visit.events.indexOf(event);
    if (event.mid_setl_flag === '1') {
      const amounts = new Map(
        visit.events.flatMap((e) => (e.lines ?? []).map((l) => [l.feedetl_sn, fen(l.det_item_fee_sumamt)])),
      );
      let charged = 0n;
      for (const later of visit.events.slice(at + 1)) {
        charged += sumFen((later.lines ?? []).map((l) => fen(l.det_item_fee_sumamt)));
        charged -= sumFen((later.voided ?? []).map((sn) => amounts.get(sn) ?? 0n));
        if (later.type === 'SettlementRequested') break;
        if (charged === gap)
          return `fee-detail already held the ${yuan(gap)} the HIS charged after its mid-way request`;
      }
      return undefined;
    }
    const midway = visit.events
      .slice(0, at)
      .filter((e) => e.type === 'SettlementRequested' && e.mid_setl_flag === '1')
      .at(-1);
    if (!midway?.medfee_sumamt || fen(midway.medfee_sumamt) !== gap) return undefined;
    const settled = judge(midway);
    if (settled.outcome === 'applied') return undefined;
    return `its mid-way settlement (${midway.medfee_sumamt}) did not go ahead: ${settled.why}`;
  }

  /** The platform's settlement against the HIS's request and the Settled the saga published, to the fen. */
  function settlementDifference(
    event: HisEvent,
    s: LedgerView['settlements'][number],
    published: ResultMessage | undefined,
  ): string | undefined {
    if (event.medfee_sumamt !== undefined && fen(event.medfee_sumamt) !== fen(s.medfee_sumamt))
      return `the HIS asked to settle ${event.medfee_sumamt}, the platform settled ${s.medfee_sumamt}`;
    const covered = sumFen((linesBySettlement.get(s.setl_id) ?? []).map((l) => fen(l.det_item_fee_sumamt)));
    // The sandbox names the settlement on each line it covered (a cancelled one's lines are free again); a ledger
    // that names none says nothing here.
    if (s.status === 'settled' && linesBySettlement.size > 0 && covered !== fen(s.medfee_sumamt))
      return `the platform settled ${s.medfee_sumamt} over lines totalling ${yuan(covered)}`;
    if (published)
      for (const field of ['medfee_sumamt', 'fund_pay_sumamt', 'acct_pay', 'psn_cash_pay'] as const) {
        const ours = published.data[field];
        if (typeof ours === 'string' && fen(ours) !== fen(s[field]))
          return `Settled says ${field} ${ours}, the platform ${s[field]}`;
      }
    return undefined;
  }

  /** The request a settlement event of the HIS follows: the latest SettlementRequested before it. */
  function requestBefore(event: HisEvent, visit: VisitView): HisEvent | undefined {
    return visit.events
      .slice(0, visit.events.indexOf(event))
      .filter((e) => e.type === 'SettlementRequested')
      .at(-1);
  }

  /** SettlementCancelRequested: applied when the platform holds the 2305 its own saga names, published as such. */
  function settlementCancel(event: HisEvent, visit: VisitView, caused: readonly ResultMessage[]): Verdict {
    const saga = sagaOf(visit, event);
    const sent = msgidsOf(saga, '2305');
    const onPlatform = visit.standing ? (settlementsOf.get(visit.standing.mdtrt_id) ?? []) : [];
    const cancelled = onPlatform.find((s) => s.status === 'cancelled' && sent.has(s.cancelMsgid));
    if (cancelled) {
      const published = visit.results.some(
        (r) => r.type === 'SettlementCancelled' && r.data['init_setl_id'] === cancelled.setl_id,
      );
      if (saga!.state === 'CANCELLED' && published) return verdict('applied', '');
      return verdict(
        'lost',
        `the platform cancelled ${cancelled.setl_id} (2305 ${String(cancelled.cancelMsgid)}) but the saga ended ${saga!.state} and ${published ? 'a' : 'no'} SettlementCancelled was published`,
      );
    }
    const refused = caused.find((r) => r.type === 'SettlementRequestRefused');
    if (saga) {
      const at = `${saga.state} at ${saga.step}: ${saga.detail}`;
      const platformAnswer = saga.entries.find(
        (e) => e['status'] === 'REJECTED' && platformRefused(e['msgid']),
      );
      if (platformAnswer)
        return verdict(
          'refused (with the answer)',
          `the platform refused 2305: ${String(platformAnswer['detail'])}`,
        );
      if (saga.state === 'RUNNING')
        return verdict('not done without a business reason', `the saga is still ${at}`);
      return verdict('lost', `no 2305 of saga ${saga.id} on the platform; the saga ended ${at}`);
    }
    if (!refused) return verdict('lost', 'no 2305 on the platform and no answer published');
    if (!visit.standing) return notRegistered(visit, 'refused (with the answer)');
    const reason = String(refused.data['reason']);
    const premise = refusalPremiseHolds(visit, refused);
    if (premise) return verdict('refused (with the answer)', `${reason}: ${premise}`);
    // Nothing to cancel because the settlement it follows did not go ahead: judged as that settlement.
    const request = requestBefore(event, visit);
    const settled = request && judge(request);
    if (settled && settled.outcome !== 'applied')
      return failing(settled)
        ? verdict('held behind a failed event', `its SettlementRequested: ${settled.why}`)
        : verdict(settled.outcome, `nothing to cancel: ${settled.why}`);
    return verdict('not done without a business reason', `refused (${reason}) although a settlement stood`);
  }

  /**
   * PreSettlementConfirmed: the cashier's decision reached the saga waiting for it (a CONFIRMATION entry), and is
   * judged then as its settlement; refused where the hospital's saga never waits for a cashier.
   */
  function confirmation(event: HisEvent, visit: VisitView, caused: readonly ResultMessage[]): Verdict {
    const request = requestBefore(event, visit);
    const saga = request && sagaOf(visit, request);
    const waited = saga?.entries.some((e) => e['step'] === 'CONFIRMATION') ?? false;
    const refused = caused.find((r) => r.type === 'SettlementRequestRefused');
    if (!waited) {
      if (refused)
        return verdict(
          'refused (with the answer)',
          `no saga waited for a confirmation (the hospital settles without one): ${String(refused.data['reason'])}`,
        );
      if (!saga && request) {
        const settled = judge(request);
        if (settled.outcome !== 'applied')
          return failing(settled)
            ? verdict('held behind a failed event', `its SettlementRequested: ${settled.why}`)
            : verdict(settled.outcome, `its settlement did not go ahead: ${settled.why}`);
      }
      return verdict('lost', 'no saga read the confirmation and no answer was published');
    }
    const settled = judge(request!);
    if (settled.outcome === 'applied') return verdict('applied', '');
    return failing(settled)
      ? verdict('held behind a failed event', `its SettlementRequested: ${settled.why}`)
      : verdict(settled.outcome, `its settlement: ${settled.why}`);
  }

  function clinicalRecord(event: HisEvent, visit: VisitView): Verdict {
    const later = visit.events.slice(visit.events.indexOf(event) + 1);
    const verdicts: Verdict[] = [];
    for (const report of event.reports ?? []) {
      // A later record of the same report replaces this one (a correction, an order stopped): judged there.
      if (
        later.some((e) =>
          e.reports?.some((r) => r.infno === report.infno && r.report_ref === report.report_ref),
        )
      )
        continue;
      const valid = (reportsByKey.get(`${report.infno} ${report.platformKey}`) ?? []).filter(
        (r) => r.vali_flag === '1',
      );
      const name = `${report.infno} ${report.report_ref}`;
      if (report.void) {
        if (valid.length > 0)
          verdicts.push(verdict('lost', `${name} withdrawn by the HIS still stands on the platform`));
        continue;
      }
      if (valid.length > 1)
        verdicts.push(verdict('duplicated on the platform', `${name} stands ${valid.length} times`));
      else if (valid.length === 0) verdicts.push(reportNotUploaded(visit, report, name));
    }
    return worst(verdicts, verdict('applied', ''));
  }

  function reportNotUploaded(visit: VisitView, report: OwedReport, name: string): Verdict {
    const last = visit.results
      .filter(
        (r) =>
          ['ReportPending', 'ReportRejected', 'ReportUploaded'].includes(r.type) &&
          r.data['infno'] === report.infno &&
          r.data['report_ref'] === report.report_ref,
      )
      .at(-1);
    if (last?.type === 'ReportRejected') {
      if (last.data['will_retry'] === false && platformRefused(last.data['msgid']))
        return verdict(
          'refused (with the answer)',
          `${name}: the platform refused it: ${String(last.data['err_msg'])}`,
        );
      return verdict(
        'not done without a business reason',
        `${name} not uploaded: ${String(last.data['err_msg'])}`,
      );
    }
    if (last?.type === 'ReportPending') {
      const waiting = `${name} waits: ${String(last.data['reason'])} (${((last.data['waiting_for'] as string[] | undefined) ?? []).join('; ')})`;
      if (!visit.standing) return notRegistered(visit, 'held (with the reason)');
      if (/mdtrt_id|psn_no/.test(waiting))
        return verdict(
          'not done without a business reason',
          `${waiting}, although the platform holds the registration`,
        );
      return verdict('held (with the reason)', waiting);
    }
    if (!visit.standing) return notRegistered(visit, 'held (with the reason)');
    return verdict(
      'lost',
      last
        ? `${name}: ReportUploaded published, nothing valid on the platform`
        : `${name}: not on the platform, no report state published`,
    );
  }

  const judged: Judgement[] = input.published.map((event) => ({ event, ...judge(event) }));
  const outcomes = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  for (const j of judged) outcomes[j.outcome] += 1;

  const uncaused = uncausedEffects(input, visitOf);
  const amounts = compareAmounts(input, visitOf, lineDifferences, (s) => requestsBySettlement.get(s));
  const lines = { expected: 0, uploadedOnce: 0, uploadedTwice: 0, voidedAndGone: 0 };
  for (const ipt_no of eventsByVisit.keys()) {
    const visit = visitOf(ipt_no);
    if (!visit.standing) continue;
    const standing = hisStandingLines(visit);
    for (const sn of standing.keys()) {
      const copies = standingLines(visit.standing, sn).length;
      lines.expected += 1;
      if (copies === 1) lines.uploadedOnce += 1;
      if (copies > 1) lines.uploadedTwice += 1;
    }
    for (const e of visit.events)
      for (const line of e.lines ?? [])
        if (!standing.has(line.feedetl_sn) && standingLines(visit.standing, line.feedetl_sn).length === 0)
          lines.voidedAndGone += 1;
  }

  const registrationsDuplicated = [...registrationsOf.keys()].filter(
    (ipt) => visitOf(ipt).applied.filter((r) => r.status !== 'cancelled').length > 1,
  ).length;
  // Settled twice: two discharge settlements standing, or more standing than the HIS's requests left standing
  // (a mid-way and the final one; a cancelled one asked again counts once).
  const settlementsDuplicated = [...registrationsOf.keys()].filter((ipt_no) => {
    const visit = visitOf(ipt_no);
    const standing = visit.standing
      ? (settlementsOf.get(visit.standing.mdtrt_id) ?? []).filter((s) => s.status === 'settled')
      : [];
    const asked = visit.events.filter((e) => e.type === 'SettlementRequested').length;
    const cancels = visit.events.filter((e) => e.type === 'SettlementCancelRequested').length;
    const discharge = standing.filter((s) => (s.mid_setl_flag ?? '0') === '0').length;
    return discharge > 1 || standing.length > Math.max(1, asked - cancels);
  }).length;

  const hisPositions = new Set(input.published.map(positionKey));
  const hostilePositions = new Set(input.hostile.map(positionKey));
  const originals = new Set(input.deadLetters.map((d) => positionKey(d.original)));
  const hostileDead = input.hostile.filter((h) => originals.has(positionKey(h))).length;
  // Every group reading the topic refuses a bad envelope, only the owner bad data: until each group that reads the
  // partition has passed the record, a missing dead letter may still come.
  const hostileUnread = input.hostile.filter((h) => {
    if (originals.has(positionKey(h))) return false;
    const readers = input.services.filter(
      (service) => input.committed[service]?.[partitionKey(h)] !== undefined,
    );
    return readers.length === 0 || readers.some((service) => !readBy(service, h));
  }).length;
  const byReason = countBy(
    // One reason per original record (two groups refusing the same record give the same reason).
    new Map(input.deadLetters.map((d) => [positionKey(d.original), d])).values(),
    (d) => printable(d.reason).replace(/"[^"]*"/g, '"…"'),
  );

  const sagas = [...new Set(results.map((r) => r.key))].flatMap((ipt) => visitOf(ipt).sagas);
  const states = sagas.map((s) => s.state);
  return {
    published: input.published.length,
    byType: countBy(input.published, (m) => m.type),
    outcomes,
    judged,
    uncaused,
    missingFromTopic: input.missingFromTopic,
    lines,
    amounts,
    registrationsDuplicated,
    settlementsDuplicated,
    resultsRepublished: input.results.length - resultsById.size,
    deadLetters: {
      records: input.deadLetters.length,
      originals: originals.size,
      byReason,
      ofHisEvents: [...originals].filter((p) => hisPositions.has(p)).length,
      ofOther: [...originals].filter((p) => !hisPositions.has(p) && !hostilePositions.has(p)).length,
    },
    hostile: {
      published: input.hostile.length,
      deadLettered: hostileDead,
      notDeadLettered: input.hostile.length - hostileDead - hostileUnread,
      notYetRead: hostileUnread,
      publishedByFamily: countBy(input.hostile, (h) => h.family),
      refusedByBroker: Object.values(input.hostileRefusedByBroker).reduce((sum, n) => sum + n, 0),
    },
    sagas: {
      counted: running.has('settlement'),
      total: sagas.length,
      notTerminal: states.filter((s) => !TERMINAL_SAGA_STATES.has(s) && s !== 'WAITING_FOR_PERSON').length,
      waitingForPerson: states.filter((s) => s === 'WAITING_FOR_PERSON').length,
      byState: countBy(states, (s) => s),
      endedOtherwise: countBy(
        sagas.filter((s) => s.state !== 'SETTLED'),
        (s) => `${s.state} at ${s.step}: ${printable(s.detail).replace(/ZY\w+/g, 'ZY…')}`,
      ),
    },
    dayCloses: judgeDayCloses(
      input.dayCloses,
      new Set(
        results
          .filter((r) => r.type === 'Settled' || r.type === 'SettlementCancelled')
          .map((r) => String(r.data['setl_id'])),
      ),
    ),
  };
}

/** How many events or effects a failure names before "…". */
const NAMED = 5;
const named = (items: readonly string[]) =>
  `${items.slice(0, NAMED).join('; ')}${items.length > NAMED ? `; … (${items.length - NAMED} more)` : ''}`;

/** What fails the run, each naming the events or effects concerned. */
export function failures(r: Reconciliation): string[] {
  const problems: string[] = [];
  for (const outcome of OUTCOMES.filter((o) => FAILING_OUTCOMES.has(o))) {
    const events = r.judged.filter((j) => j.outcome === outcome);
    if (events.length > 0)
      problems.push(
        `${events.length} HIS event(s) ${outcome}: ${named(events.map((j) => `${eventName(j.event)} (${printable(j.why)})`))}`,
      );
  }
  if (r.uncaused.length > 0)
    problems.push(`${r.uncaused.length} platform effect(s) no HIS event caused: ${named(r.uncaused)}`);
  if (r.amounts.visitsDiffering.length > 0)
    problems.push(
      `${r.amounts.visitsDiffering.length} visit(s) whose fee total on the platform differs from the HIS's: ${named(r.amounts.visitsDiffering)}`,
    );
  if (r.amounts.settlementsDiffering.length > 0)
    problems.push(
      `${r.amounts.settlementsDiffering.length} settlement(s) of another total than the HIS asked: ${named(r.amounts.settlementsDiffering)}`,
    );
  if (r.registrationsDuplicated + r.settlementsDuplicated > 0)
    problems.push(
      `effects duplicated on the platform: ${r.registrationsDuplicated} visit(s) registered twice, ${r.settlementsDuplicated} settled twice`,
    );
  if (r.sagas.notTerminal > 0) problems.push(`${r.sagas.notTerminal} saga(s) not terminal`);
  if (r.hostile.notDeadLettered > 0)
    problems.push(`${r.hostile.notDeadLettered} hostile record(s) not dead-lettered`);
  if (r.hostile.notYetRead > 0)
    problems.push(
      `${r.hostile.notYetRead} hostile record(s) not yet read: the run did not finish its backlog`,
    );
  if (r.missingFromTopic > 0) problems.push(`${r.missingFromTopic} manifest message(s) not on their topic`);
  if (r.dayCloses.notClosed.length > 0)
    problems.push(
      `${r.dayCloses.notClosed.length} settlement day(s) not reconciled with the platform: ${named(r.dayCloses.notClosed)}`,
    );
  if (r.dayCloses.unexplained.length > 0)
    problems.push(
      `${r.dayCloses.unexplained.length} reconciliation difference(s) unexplained: ${named(
        r.dayCloses.unexplained.map((d) => `${differenceName(d)}: ${d.unexplainedBecause}`),
      )}`,
    );
  return problems;
}

/** A visit's settlement sagas from their timeline entries, each with its last state, in the order they started. */
function sagasOf(results: readonly ResultMessage[]): SagaView[] {
  const entries = groupBy(
    results.filter((r) => r.type === 'SettlementSagaProgressed'),
    (r) => String(r.data['saga_id']),
  );
  return [...entries.entries()].map(([id, list]) => {
    const sorted = [...list].sort((a, b) => Number(a.data['seq']) - Number(b.data['seq']));
    const last = sorted.at(-1)!.data;
    return {
      id,
      entries: sorted.map((r) => r.data),
      state: String(last['saga_state']),
      step: String(last['step']),
      detail: printable(String(last['detail'] ?? '')),
      causationId: sorted[0]!.causationId,
    };
  });
}

/** Every effect in the ledger whose kind no HIS event of its visit asked for, or that stands more often than asked. */
function uncausedEffects(input: ReconcileInput, visitOf: (ipt_no: string) => VisitView): string[] {
  const uncaused: string[] = [];
  const typesOf = (ipt_no: string) => countBy(visitOf(ipt_no).events, (e) => e.type);
  const iptOf = new Map(input.ledger.registrations.map((r) => [r.mdtrt_id, r.ipt_no]));
  const reversed = new Set(input.ledger.reversals.map((r) => r.omsgid));
  for (const r of input.ledger.registrations) {
    const types = typesOf(r.ipt_no);
    if (!types['PatientAdmitted'])
      uncaused.push(`registration ${r.mdtrt_id} of ${r.ipt_no} (2401 ${r.msgid}): no PatientAdmitted`);
    const count = (infno: string) =>
      r.history.filter((h) => h.infno === infno && !reversed.has(h.msgid)).length;
    const asked: [string, number][] = [
      ['2403', types['AdmissionChanged'] ?? 0],
      ['2404', types['AdmissionCancelled'] ?? 0],
      // A saga discharges once per settlement request; a discharge undone (2405) may be done again.
      ['2402', (types['SettlementRequested'] ?? 0) + count('2405')],
    ];
    for (const [infno, allowed] of asked)
      if (count(infno) > allowed)
        uncaused.push(`${count(infno)}× ${infno} on ${r.ipt_no}, for ${allowed} HIS event(s) asking for it`);
  }
  const charged = new Map<string, Set<string>>();
  for (const e of input.published)
    for (const line of e.lines ?? [])
      charged.set(e.ipt_no, (charged.get(e.ipt_no) ?? new Set()).add(line.feedetl_sn));
  for (const line of input.ledger.feeLines) {
    const ipt_no = iptOf.get(line.mdtrt_id) ?? '?';
    if (!charged.get(ipt_no)?.has(line.feedetl_sn))
      uncaused.push(`fee line ${line.feedetl_sn} on ${ipt_no} (2301 ${line.msgid}): no HIS event charged it`);
  }
  const cancelledOf = new Map<string, number>();
  for (const s of input.ledger.settlements) {
    const ipt_no = iptOf.get(s.mdtrt_id) ?? '?';
    if (!typesOf(ipt_no)['SettlementRequested'])
      uncaused.push(`settlement ${s.setl_id} of ${ipt_no} (2304 ${s.msgid}): no SettlementRequested`);
    if (s.status !== 'cancelled') continue;
    cancelledOf.set(ipt_no, (cancelledOf.get(ipt_no) ?? 0) + 1);
    if (cancelledOf.get(ipt_no)! > (typesOf(ipt_no)['SettlementCancelRequested'] ?? 0))
      uncaused.push(
        `settlement ${s.setl_id} of ${ipt_no} cancelled (2305 ${String(s.cancelMsgid)}): no SettlementCancelRequested`,
      );
  }
  const owed = new Set(
    input.published.flatMap((e) => (e.reports ?? []).map((r) => `${r.infno} ${r.platformKey}`)),
  );
  const setlIds = new Set(input.ledger.settlements.map((s) => s.setl_id));
  for (const report of input.ledger.reports) {
    const caused =
      report.infno === '4101A' ? setlIds.has(report.key) : owed.has(`${report.infno} ${report.key}`);
    if (!caused)
      uncaused.push(`${report.infno} upload ${report.msgid} (${report.key}): no HIS record asked for it`);
  }
  return uncaused;
}

/**
 * Fee totals per registered visit (the HIS's standing lines against the platform's) and settlement totals, in fen.
 * A visit whose difference the platform's own refusals explain is counted apart: its events say so already.
 */
function compareAmounts(
  input: ReconcileInput,
  visitOf: (ipt_no: string) => VisitView,
  lineDifferences: (visit: VisitView) => {
    hisTotal: bigint;
    platformTotal: bigint;
    unexplained: readonly string[];
  },
  requestOf: (setl_id: string) => HisEvent | undefined,
): Reconciliation['amounts'] {
  const visitsDiffering: string[] = [];
  const visitsExplained: string[] = [];
  let hisTotal = 0n;
  let platformTotal = 0n;
  let visitsCompared = 0;
  for (const ipt_no of new Set(input.published.filter((e) => e.lines).map((e) => e.ipt_no))) {
    const visit = visitOf(ipt_no);
    if (!visit.standing) continue;
    visitsCompared += 1;
    const d = lineDifferences(visit);
    hisTotal += d.hisTotal;
    platformTotal += d.platformTotal;
    if (d.hisTotal === d.platformTotal) continue;
    const totals = `${ipt_no}: HIS ${yuan(d.hisTotal)}, platform ${yuan(d.platformTotal)}`;
    if (d.unexplained.length === 0)
      visitsExplained.push(`${totals} (the platform refused the lines that differ)`);
    else visitsDiffering.push(totals);
  }
  const settlementsDiffering: string[] = [];
  let settlementsCompared = 0;
  const iptOf = new Map(input.ledger.registrations.map((r) => [r.mdtrt_id, r.ipt_no]));
  for (const s of input.ledger.settlements.filter((x) => x.status === 'settled')) {
    const ipt_no = iptOf.get(s.mdtrt_id) ?? '?';
    // Each settlement against the request it answers (a mid-way one against the mid-way request).
    const request = requestOf(s.setl_id);
    if (request?.medfee_sumamt === undefined) continue;
    settlementsCompared += 1;
    if (fen(request.medfee_sumamt) !== fen(s.medfee_sumamt))
      settlementsDiffering.push(
        `${ipt_no}: HIS ${request.medfee_sumamt}, platform settled ${s.medfee_sumamt}`,
      );
  }
  return {
    visitsCompared,
    hisTotal: yuan(hisTotal),
    platformTotal: yuan(platformTotal),
    visitsDiffering,
    visitsExplained,
    settlementsCompared,
    settlementsDiffering,
  };
}
