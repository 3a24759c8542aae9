// The platform reconciliation at the end of a chaos run: every settlement day of the run closed on demand by
// apps/reconciliation (3201 per group, 3202 where unbalanced), and each difference it found judged explained or
// not. A difference is explained only when the run itself accounts for it (the rule is `explanationOf`, written
// down in tools/chaos/README.md); anything else — above all a difference still open — fails the run. Pure: the
// harness closes the days and gathers what the service published, this decides.
import { type DIFFERENCE_KINDS } from '@yb/contracts';

/** One of the run's disruptions that may have lost a platform answer after the platform applied the call. */
export interface AnswerLoss {
  /** The interface whose answer may be lost (2304 a settlement, 2305 a refund). */
  readonly infno: string;
  /** What did it, as the report names it (e.g. "timeout-after-apply fault hit"). */
  readonly by: string;
}

/** What the reconciliation service published on insurance.reconciliation during the run, and the run's context. */
export interface DayCloseInput {
  /** The settlement days (Asia/Shanghai) the run settled on, on either side; each was asked to be reconciled. */
  readonly days: readonly string[];
  /** Every record of insurance.reconciliation: its type and data. */
  readonly messages: readonly { readonly type: string; readonly data: Record<string, unknown> }[];
  /** The run's disruptions that may have lost an answer after it was applied. */
  readonly answersLost: readonly AnswerLoss[];
}

export type DifferenceKind = (typeof DIFFERENCE_KINDS)[number];

/** A difference of a day's latest run, with how it ended and whether the run accounts for it. */
export interface JudgedDifference {
  readonly stmt_date: string;
  readonly setl_id: string;
  readonly kind: DifferenceKind;
  /** A refund row (refd_setl_flag 1). */
  readonly refund: boolean;
  /** How it was resolved and by whom; absent while open. */
  readonly resolution?: { readonly how: string; readonly by: string };
  /** Why the run accounts for it; absent: unexplained. */
  readonly explained?: string;
  /** Why not, when unexplained. */
  readonly unexplainedBecause?: string;
}

export interface DayCloseJudgement {
  /** Whether the run closed its days (the reconciliation service ran). */
  readonly ran: boolean;
  readonly days: readonly {
    readonly stmt_date: string;
    /** The day's latest completed run (null: none completed). */
    readonly run: number | null;
    readonly groups: number;
    readonly balanced: number;
  }[];
  /** Days asked and never completed: not reconciled. */
  readonly notClosed: readonly string[];
  readonly groups: number;
  readonly balanced: number;
  readonly differences: readonly JudgedDifference[];
  readonly byKind: Readonly<Record<string, number>>;
  readonly unexplained: readonly JudgedDifference[];
}

/** The interface whose lost answer would leave the platform holding a row of this kind that we lack. */
const answerOf = (refund: boolean) => (refund ? '2305' : '2304');

/**
 * When the run accounts for a difference. Only a PLATFORM_ONLY row can be: the platform applied a 2304 (or a
 * 2305) whose answer one of the run's own disruptions lost (a fault that applies and then loses the answer, the
 * platform black-holed, settlement killed mid-call), the saga then recovered it (its Settled or
 * SettlementCancelled with that setl_id is among the run's results) and reconciliation adopted the platform's
 * record after 5203. Everything else is unexplained: a row only we hold, other amounts, a row the saga never
 * recorded, no disruption that could lose that answer, or a difference still open.
 */
export function explanationOf(
  difference: Pick<JudgedDifference, 'kind' | 'refund' | 'setl_id' | 'resolution'>,
  recordedBySaga: ReadonlySet<string>,
  answersLost: readonly AnswerLoss[],
): { explained: string } | { unexplainedBecause: string } {
  const { kind, refund, setl_id, resolution } = difference;
  if (!resolution) return { unexplainedBecause: 'still open' };
  if (kind !== 'PLATFORM_ONLY')
    return {
      unexplainedBecause: `no fault of the run makes ${kind === 'HOSPITAL_ONLY' ? 'the platform lose a row' : 'amounts differ'}`,
    };
  if (resolution.how !== 'PLATFORM_RECORD_ADOPTED')
    return { unexplainedBecause: `resolved ${resolution.how} by ${resolution.by}, not adopted after 5203` };
  if (!recordedBySaga.has(setl_id))
    return { unexplainedBecause: 'the saga never recorded it: nothing of the run asked for it' };
  const infno = answerOf(refund);
  const loss = answersLost.find((l) => l.infno === infno);
  if (!loss) return { unexplainedBecause: `no disruption of the run could lose a ${infno} answer` };
  return { explained: `${infno} answer lost (${loss.by}), recovered by the saga, adopted after 5203` };
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const whole = (value: unknown) => (typeof value === 'number' ? value : 0);

export function judgeDayCloses(
  input: DayCloseInput | undefined,
  /** setl_ids of the saga's Settled and SettlementCancelled results (our side's record of the run). */
  recordedBySaga: ReadonlySet<string>,
): DayCloseJudgement {
  if (!input)
    return {
      ran: false,
      days: [],
      notClosed: [],
      groups: 0,
      balanced: 0,
      differences: [],
      byKind: {},
      unexplained: [],
    };
  const ofType = (type: string) => input.messages.filter((m) => m.type === type).map((m) => m.data);
  const completed = ofType('ReconciliationCompleted');
  const days = input.days.map((stmt_date) => {
    const latest = completed
      .filter((c) => c['stmt_date'] === stmt_date)
      .reduce<Record<string, unknown> | undefined>(
        (last, c) => (last && whole(last['run']) > whole(c['run']) ? last : c),
        undefined,
      );
    return {
      stmt_date,
      run: latest ? whole(latest['run']) : null,
      groups: whole(latest?.['groups']),
      balanced: whole(latest?.['balanced']),
    };
  });
  const latestRun = new Map(days.map((d) => [d.stmt_date, d.run]));
  const resolutions = ofType('ReconciliationDifferenceResolved');
  const differences = ofType('ReconciliationDifferenceFound')
    .filter((f) => latestRun.get(text(f['stmt_date'])) === whole(f['run']))
    .map((f): JudgedDifference => {
      const stmt_date = text(f['stmt_date']);
      const setl_id = text(f['setl_id']);
      // The latest resolution of that row on that day (a row found again is resolved again).
      const resolved = resolutions
        .filter((r) => r['stmt_date'] === stmt_date && r['setl_id'] === setl_id)
        .at(-1);
      const found = {
        stmt_date,
        setl_id,
        kind: text(f['kind']) as DifferenceKind,
        refund: f['refd_setl_flag'] === '1',
        ...(resolved && {
          resolution: { how: text(resolved['resolution']), by: text(resolved['resolved_by']) },
        }),
      };
      return { ...found, ...explanationOf(found, recordedBySaga, input.answersLost) };
    });
  const byKind: Record<string, number> = {};
  for (const d of differences) {
    const kind = `${d.kind}${d.refund ? ' (refund)' : ''}`;
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  }
  return {
    ran: true,
    days,
    notClosed: days.filter((d) => d.run === null).map((d) => d.stmt_date),
    groups: days.reduce((n, d) => n + d.groups, 0),
    balanced: days.reduce((n, d) => n + d.balanced, 0),
    differences,
    byKind,
    unexplained: differences.filter((d) => d.explained === undefined),
  };
}

/** A difference as the report and the verdict name it. */
export const differenceName = (d: JudgedDifference) =>
  `${d.kind}${d.refund ? ' refund' : ''} ${d.setl_id} on ${d.stmt_date}` +
  (d.resolution ? ` (${d.resolution.how} by ${d.resolution.by})` : ' (open)');
