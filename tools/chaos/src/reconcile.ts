// The reconciliation at the end of a chaos run: every HIS message the simulator published (its manifest, with the
// contents read back from his.inpatient) against what the platform simulator applied (GET /sim/ledger), what the
// services published on insurance.inpatient and what every dead-letter topic holds. Pure: the harness gathers the
// inputs, this decides what each message's effect was.
import { SETTLEMENT_SAGA_TERMINAL_STATES } from '@yb/contracts';
import { type HostileFamily } from './hostile-events';

/** Where a record sits on Kafka: the key a dead letter names its original by. */
export interface RecordPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** One HIS message the simulator published, with what reconciliation needs of its data. */
export interface PublishedHisMessage extends RecordPosition {
  readonly id: string;
  readonly type: string;
  readonly ipt_no: string;
  /** FeeLinesCharged: the lines' feedetl_sn. */
  readonly charged?: readonly string[];
  /** FeeLinesVoided: the voided feedetl_sn ("0000": every line). */
  readonly voided?: readonly string[];
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

/** The parts of GET /sim/ledger reconciliation reads. */
export interface LedgerView {
  readonly registrations: readonly {
    mdtrt_id: string;
    ipt_no: string;
    status: string;
    history: { infno: string }[];
  }[];
  readonly feeLines: readonly { mdtrt_id: string; feedetl_sn: string; status: string }[];
  readonly settlements: readonly { mdtrt_id: string; status: string }[];
}

export interface ReconcileInput {
  readonly published: readonly PublishedHisMessage[];
  /** Manifest messages not found on his.inpatient when it was read back. */
  readonly missingFromTopic: number;
  readonly hostile: readonly HostilePublished[];
  /** Hostile records the broker refused at produce time (over message.max.bytes), by family. */
  readonly hostileRefusedByBroker: Readonly<Record<string, number>>;
  readonly ledger: LedgerView;
  readonly results: readonly ResultMessage[];
  readonly deadLetters: readonly DeadLetter[];
  /** The services that ran: a HIS message type nobody running handles has no effect to look for. */
  readonly services: readonly string[];
  /**
   * Each service's consumer group's committed offsets at the end ("topic/partition" → next offset to read),
   * so that a message its service has not read yet is told apart from one read and lost.
   */
  readonly committed: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** What became of one HIS message, worst first. */
export const OUTCOMES = [
  'lost',
  'not yet read by its service (backlog at the end)',
  'duplicated',
  'dead-lettered',
  'needs a person',
  'held (visit not registered)',
  'refused by the platform or a rule',
  'applied',
  'not reconciled (no effect checked for its type)',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface Reconciliation {
  readonly published: number;
  readonly byType: Readonly<Record<string, number>>;
  readonly outcomes: Readonly<Record<Outcome, number>>;
  /** Up to a few examples per bad outcome: type, ipt_no and why (no patient data). */
  readonly examples: Readonly<Partial<Record<Outcome, string[]>>>;
  readonly missingFromTopic: number;
  readonly lines: {
    readonly expected: number;
    readonly uploadedOnce: number;
    readonly uploadedTwice: number;
    readonly voidedAndGone: number;
    /** Standing lines of visits the platform never registered (their admission refused or uncertain). */
    readonly heldUnregistered: number;
  };
  readonly registrationsDuplicated: number;
  readonly settlementsDuplicated: number;
  readonly resultsRepublished: number;
  readonly deadLetters: {
    readonly records: number;
    /** Distinct original records dead-lettered (a record refused by two groups counts once). */
    readonly originals: number;
    readonly byReason: Readonly<Record<string, number>>;
    readonly ofHisMessages: number;
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
}

const HANDLED_BY: Readonly<Record<string, string>> = {
  PatientAdmitted: 'admission',
  AdmissionChanged: 'admission',
  AdmissionCancelled: 'admission',
  FeeLinesCharged: 'fee-detail',
  FeeLinesVoided: 'fee-detail',
  DischargeRequested: 'settlement',
  SettlementRequested: 'settlement',
};

const REFUSALS = new Set([
  'PlatformRequestRejected',
  'AdmissionRequestRefused',
  'FeeLinesRejected',
  'SettlementRequestRefused',
]);
const NEEDS_PERSON = new Set(['AdmissionOutcomeUncertain', 'SettlementCompensationFailed']);
const TERMINAL_SAGA_STATES: ReadonlySet<string> = new Set(SETTLEMENT_SAGA_TERMINAL_STATES);
const STANDING_REGISTRATION = (status: string) => status !== 'reversed' && status !== 'cancelled';
const EXAMPLES_PER_OUTCOME = 5;

const partitionKey = (p: RecordPosition) => `${p.topic}/${p.partition}`;
const positionKey = (p: RecordPosition) => `${p.topic}\u0000${p.partition}\u0000${p.offset}`;
/** Long digit runs could be a person's numbers: never printed. */
const printable = (reason: string) => reason.replace(/\d{6,}/g, '…').slice(0, 160);

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

export function reconcile(input: ReconcileInput): Reconciliation {
  const running = new Set(input.services);
  const readBy = (service: string, p: RecordPosition) =>
    BigInt(input.committed[service]?.[partitionKey(p)] ?? '-1') > BigInt(p.offset);
  const deadByPosition = new Map<string, DeadLetter>();
  for (const dead of input.deadLetters) deadByPosition.set(positionKey(dead.original), dead);

  // Results, each id once (a relay may publish a row again after a crash: consumers deduplicate by id).
  const resultsById = new Map<string, ResultMessage>();
  for (const result of input.results) resultsById.set(result.id, result);
  const results = [...resultsById.values()];
  const resultsByCause = new Map<string, ResultMessage[]>();
  const resultsByVisit = new Map<string, ResultMessage[]>();
  for (const r of results) {
    if (r.causationId) resultsByCause.set(r.causationId, [...(resultsByCause.get(r.causationId) ?? []), r]);
    resultsByVisit.set(r.key, [...(resultsByVisit.get(r.key) ?? []), r]);
  }

  const registrationsOf = new Map<string, LedgerView['registrations'][number][]>();
  for (const r of input.ledger.registrations)
    registrationsOf.set(r.ipt_no, [...(registrationsOf.get(r.ipt_no) ?? []), r]);
  const standing = (ipt_no: string) =>
    (registrationsOf.get(ipt_no) ?? []).filter((r) => STANDING_REGISTRATION(r.status));
  const uploadedCopies = new Map<string, number>();
  for (const line of input.ledger.feeLines)
    if (line.status === 'uploaded')
      uploadedCopies.set(
        `${line.mdtrt_id}/${line.feedetl_sn}`,
        (uploadedCopies.get(`${line.mdtrt_id}/${line.feedetl_sn}`) ?? 0) + 1,
      );

  // What the HIS left standing per visit: voids remove lines charged before them.
  const voidedLater = new Map<string, Set<string>>();
  for (const m of input.published)
    if (m.voided) {
      const set = voidedLater.get(m.ipt_no) ?? new Set<string>();
      for (const sn of m.voided) set.add(sn);
      voidedLater.set(m.ipt_no, set);
    }
  const isVoided = (ipt_no: string, sn: string) => {
    const voided = voidedLater.get(ipt_no);
    return voided !== undefined && (voided.has(sn) || voided.has('0000'));
  };
  const refusedLines = new Map<string, Set<string>>();
  for (const r of results)
    if (r.type === 'FeeLinesRejected')
      for (const line of (r.data['lines'] as { feedetl_sn: string }[] | undefined) ?? [])
        refusedLines.set(r.key, (refusedLines.get(r.key) ?? new Set()).add(line.feedetl_sn));

  const outcomes = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  const examples: Partial<Record<Outcome, string[]>> = {};
  const lines = { expected: 0, uploadedOnce: 0, uploadedTwice: 0, voidedAndGone: 0, heldUnregistered: 0 };
  const note = (outcome: Outcome, m: PublishedHisMessage, why: string) => {
    outcomes[outcome] += 1;
    if (outcome === 'applied' || outcome === 'not reconciled (no effect checked for its type)') return;
    const list = (examples[outcome] ??= []);
    if (list.length < EXAMPLES_PER_OUTCOME) list.push(`${m.type} ${m.ipt_no}: ${printable(why)}`);
  };

  const settlementAsked = new Set(
    input.published.filter((m) => m.type === 'SettlementRequested').map((m) => m.ipt_no),
  );

  for (const m of input.published) {
    const owner = HANDLED_BY[m.type];
    if (!owner || !running.has(owner)) {
      note('not reconciled (no effect checked for its type)', m, '');
      continue;
    }
    const dead = deadByPosition.get(positionKey(m));
    if (dead) {
      note('dead-lettered', m, dead.reason);
      continue;
    }
    if (!readBy(owner, m)) {
      note('not yet read by its service (backlog at the end)', m, `${owner} has not committed past it`);
      continue;
    }
    const caused = resultsByCause.get(m.id) ?? [];
    const visitResults = resultsByVisit.get(m.ipt_no) ?? [];
    const needsPerson = [...caused, ...visitResults].find((r) => NEEDS_PERSON.has(r.type));
    const refusal = caused.find((r) => REFUSALS.has(r.type));
    const registrations = standing(m.ipt_no);
    const admissionRefused = visitResults.some(
      (r) => REFUSALS.has(r.type) && ['1101', '2401'].includes(String(r.data['infno'] ?? '')),
    );

    switch (m.type) {
      case 'PatientAdmitted': {
        const all = registrationsOf.get(m.ipt_no) ?? [];
        if (registrations.length > 1) note('duplicated', m, `${registrations.length} standing registrations`);
        else if (all.some((r) => r.status !== 'reversed')) note('applied', m, '');
        else if (needsPerson)
          note('needs a person', m, String(needsPerson.data['reason'] ?? needsPerson.type));
        else if (refusal)
          note(
            'refused by the platform or a rule',
            m,
            String(refusal.data['err_msg'] ?? refusal.data['reason'] ?? ''),
          );
        else note('lost', m, 'no registration on the platform and no answer published');
        break;
      }
      case 'AdmissionChanged':
      case 'AdmissionCancelled': {
        const infno = m.type === 'AdmissionChanged' ? '2403' : '2404';
        const answered = caused.some((r) => !REFUSALS.has(r.type) && !NEEDS_PERSON.has(r.type));
        const onPlatform = (registrationsOf.get(m.ipt_no) ?? []).some((r) =>
          r.history.some((h) => h.infno === infno),
        );
        if (answered || onPlatform) note('applied', m, '');
        else if (refusal)
          note(
            'refused by the platform or a rule',
            m,
            String(refusal.data['err_msg'] ?? refusal.data['reason'] ?? ''),
          );
        else if (needsPerson)
          note('needs a person', m, String(needsPerson.data['reason'] ?? needsPerson.type));
        else note('lost', m, `no ${infno} on the platform and no answer published`);
        break;
      }
      case 'FeeLinesCharged':
      case 'FeeLinesVoided': {
        const [registration] = registrations;
        const sns = m.charged ?? m.voided ?? [];
        let missing = 0;
        let twice = 0;
        let refused = 0;
        for (const sn of sns) {
          const copies = registration ? (uploadedCopies.get(`${registration.mdtrt_id}/${sn}`) ?? 0) : 0;
          if (m.charged && !isVoided(m.ipt_no, sn)) {
            lines.expected += 1;
            if (copies === 1) lines.uploadedOnce += 1;
            if (copies > 1) twice += 1;
            if (copies === 0 && refusedLines.get(m.ipt_no)?.has(sn)) refused += 1;
            else if (copies === 0) missing += 1;
          } else if (m.voided) {
            if (copies === 0) lines.voidedAndGone += 1;
            else if (refusedLines.get(m.ipt_no)?.has(sn)) refused += 1;
            else missing += 1;
          }
        }
        lines.uploadedTwice += twice;
        if (!registration && m.charged) lines.heldUnregistered += missing;
        if (twice > 0) note('duplicated', m, `${twice} line(s) held twice on the platform`);
        else if (missing > 0 && !registration && needsPerson)
          note('needs a person', m, String(needsPerson.data['reason'] ?? needsPerson.type));
        else if (
          missing > 0 &&
          !registration &&
          (admissionRefused || registrationsOf.has(m.ipt_no) === false)
        )
          note(
            'held (visit not registered)',
            m,
            admissionRefused ? 'the admission was refused' : 'no registration',
          );
        else if (missing > 0) note('lost', m, `${missing} of ${sns.length} line(s) not as the HIS left them`);
        else if (refused > 0) note('refused by the platform or a rule', m, `${refused} line(s) refused`);
        else note('applied', m, '');
        break;
      }
      case 'DischargeRequested':
      case 'SettlementRequested': {
        // A discharge only prepares the saga; both are answered by the saga or by a refusal of the settlement.
        const sagaUpdates = visitResults.filter((r) => r.type === 'SettlementSagaProgressed');
        const settlementRefusal = visitResults.find((r) => r.type === 'SettlementRequestRefused');
        const settled = registrations.flatMap((reg) =>
          input.ledger.settlements.filter((s) => s.mdtrt_id === reg.mdtrt_id && s.status === 'settled'),
        );
        if (settled.length > 1) note('duplicated', m, `${settled.length} standing settlements`);
        else if (sagaUpdates.length > 0 || settled.length === 1) note('applied', m, '');
        // The run's load stopped between the discharge and the cashier's request: the saga keeps the
        // discharge for a settlement nobody has asked for yet, so nothing is owed.
        else if (m.type === 'DischargeRequested' && !settlementAsked.has(m.ipt_no)) note('applied', m, '');
        else if (refusal ?? settlementRefusal)
          note(
            'refused by the platform or a rule',
            m,
            String((refusal ?? settlementRefusal)!.data['reason'] ?? ''),
          );
        else if (registrations.length === 0) note('held (visit not registered)', m, 'no registration');
        else note('lost', m, 'no saga started and no answer published');
        break;
      }
    }
  }

  const registrationsDuplicated = [...registrationsOf.keys()].filter(
    (ipt) => standing(ipt).length > 1,
  ).length;
  const settlementsByVisit = countBy(
    input.ledger.settlements.filter((s) => s.status === 'settled'),
    (s) => s.mdtrt_id,
  );
  const settlementsDuplicated = Object.values(settlementsByVisit).filter((n) => n > 1).length;

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
    [...new Map(input.deadLetters.map((d) => [positionKey(d.original), d])).values()],
    (d) => printable(d.reason).replace(/"[^"]*"/g, '"…"'),
  );

  const sagaStates = new Map<string, { seq: number; state: string; step: string; detail: string }>();
  for (const r of results)
    if (r.type === 'SettlementSagaProgressed') {
      const saga = String(r.data['saga_id']);
      const seq = Number(r.data['seq']);
      if ((sagaStates.get(saga)?.seq ?? 0) <= seq)
        sagaStates.set(saga, {
          seq,
          state: String(r.data['saga_state']),
          step: String(r.data['step']),
          detail: String(r.data['detail'] ?? ''),
        });
    }
  const states = [...sagaStates.values()].map((s) => s.state);
  const endedOtherwise = countBy(
    [...sagaStates.values()].filter((s) => s.state !== 'SETTLED'),
    (s) => `${s.state} at ${s.step}: ${printable(s.detail).replace(/ZY\w+/g, 'ZY…')}`,
  );

  return {
    published: input.published.length,
    byType: countBy(input.published, (m) => m.type),
    outcomes,
    examples,
    missingFromTopic: input.missingFromTopic,
    lines,
    registrationsDuplicated,
    settlementsDuplicated,
    resultsRepublished: input.results.length - resultsById.size,
    deadLetters: {
      records: input.deadLetters.length,
      originals: originals.size,
      byReason,
      ofHisMessages: [...originals].filter((p) => hisPositions.has(p)).length,
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
      total: sagaStates.size,
      notTerminal: states.filter((s) => !TERMINAL_SAGA_STATES.has(s) && s !== 'WAITING_FOR_PERSON').length,
      waitingForPerson: states.filter((s) => s === 'WAITING_FOR_PERSON').length,
      byState: countBy(states, (s) => s),
      endedOtherwise,
    },
  };
}

/** Lost, duplicated or stuck: what makes the harness fail. */
export function failures(r: Reconciliation): string[] {
  const problems: string[] = [];
  if (r.outcomes.lost > 0) problems.push(`${r.outcomes.lost} HIS message(s) lost`);
  const unread = r.outcomes['not yet read by its service (backlog at the end)'] + r.hostile.notYetRead;
  if (unread > 0)
    problems.push(`${unread} message(s) not yet read by their service: the run did not finish its backlog`);
  if (r.outcomes.duplicated + r.registrationsDuplicated + r.settlementsDuplicated > 0)
    problems.push('effects duplicated on the platform');
  if (r.sagas.notTerminal > 0) problems.push(`${r.sagas.notTerminal} saga(s) not terminal`);
  if (r.hostile.notDeadLettered > 0)
    problems.push(`${r.hostile.notDeadLettered} hostile record(s) not dead-lettered`);
  if (r.missingFromTopic > 0) problems.push(`${r.missingFromTopic} manifest message(s) not on his.inpatient`);
  return problems;
}
