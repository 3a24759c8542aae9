// The chaos run's table: what the HIS published and what became of each event, the platform's effects without a
// cause, the amounts compared to the fen, the dead letters by reason, the hostile records, the sagas, the days
// closed with the platform (3201 / 3202) and their differences; and the verdict (any failing outcome, uncaused
// effect, differing amount, stuck saga, hostile record not dead-lettered, day not closed or unexplained difference).
import { instanceKey } from '@yb/testing';
import { type ChaosResult } from './chaos-run';
import { differenceName, type DayCloseJudgement } from './day-close';
import { eventName, FAILING_OUTCOMES, failures, OUTCOMES, printable, type Reconciliation } from './reconcile';

const row = (label: string, value: string | number, note = '') =>
  `  ${label.padEnd(52)} ${String(value).padStart(7)}${note ? `  ${note}` : ''}`;

const counts = (byKey: Readonly<Record<string, number>>) =>
  Object.entries(byKey)
    .sort(([, a], [, b]) => b - a)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || 'none';

/** Failing events are all listed (up to this many per outcome), legitimate ones by a few examples. */
const LISTED_FAILING = 12;
const LISTED_LEGITIMATE = 3;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function chaosReport(result: ChaosResult): string {
  const r = result.reconciliation;
  const o = result.options;
  const out: string[] = [];
  const hit = result.faults.filter((f) => f.hit).length;
  out.push(
    `chaos run: ${o.durationMs / 1000} s of HIS load (${o.beds} beds, ${o.ratePerSecond}/s, seed ${o.seed}), ` +
      `services ${result.services.map((s) => `${o.replicas?.[s] ?? 1} × ${s}`).join(', ')}, ` +
      `${o.partitions} partitions, platform timeout ${o.clientTimeoutMs} ms`,
    `disruptions: ${result.crashes.length} kill -9 + restart (${result.crashes
      .map(
        (c) =>
          `${instanceKey(c.service, c.replica)} ${seconds(c.restartMs)}, ` +
          `consuming ${c.consumingMs === null ? 'NEVER' : seconds(c.consumingMs)}`,
      )
      .join(', ')}); ${result.faults.length} platform faults armed, ${hit} hit ` +
      `(${result.faults.map((f) => `${f.fault.mode}@${f.fault.infno}${f.hit ? '' : ' not hit'}`).join(', ')}); ` +
      `${r.hostile.published + r.hostile.refusedByBroker} hostile records`,
    `outages: ${result.outages.length > 0 ? result.outages.join('; ') : 'none'}`,
    `quiescence: ${result.quiescent ? 'reached' : 'NOT reached'} after ${(result.quiesceMs / 1000).toFixed(1)} s`,
    '',
    ...reconciliationTable(r),
  );
  return out.join('\n');
}

/** The reconciliation's rows and verdict (also what a test prints for a recorded run). */
export function reconciliationTable(r: Reconciliation): string[] {
  const out: string[] = [row('HIS events published', r.published, counts(r.byType))];
  for (const outcome of OUTCOMES)
    out.push(row(`  ${outcome}${FAILING_OUTCOMES.has(outcome) ? ' ✗' : ''}`, r.outcomes[outcome]));
  const perType = new Map<
    string,
    { applied: number; legitimate: number; failing: number; unchecked: number }
  >();
  for (const j of r.judged) {
    const t = perType.get(j.event.type) ?? { applied: 0, legitimate: 0, failing: 0, unchecked: 0 };
    if (j.outcome === 'applied') t.applied += 1;
    else if (j.outcome === 'not checked (its service did not run)') t.unchecked += 1;
    else if (FAILING_OUTCOMES.has(j.outcome)) t.failing += 1;
    else t.legitimate += 1;
    perType.set(j.event.type, t);
  }
  out.push('  by type: applied / refused, held or a person / failing (/ not checked)');
  for (const [type, t] of [...perType.entries()].sort(([a], [b]) => a.localeCompare(b)))
    out.push(
      `      ${type.padEnd(32)} ${t.applied} / ${t.legitimate} / ${t.failing}${t.unchecked ? ` / ${t.unchecked}` : ''}`,
    );
  out.push(
    row('platform effects no HIS event caused ✗', r.uncaused.length),
    row(
      'effects duplicated on the platform ✗',
      r.registrationsDuplicated + r.settlementsDuplicated + r.lines.uploadedTwice,
      `registrations standing twice ${r.registrationsDuplicated}, settlements twice ${r.settlementsDuplicated}, ` +
        `fee lines twice ${r.lines.uploadedTwice}`,
    ),
    row(
      'fee lines the HIS left standing (registered visits)',
      r.lines.expected,
      `on the platform once ${r.lines.uploadedOnce}; charged, voided and gone ${r.lines.voidedAndGone}`,
    ),
    row(
      'fee totals compared to the fen (visits)',
      r.amounts.visitsCompared,
      `HIS ${r.amounts.hisTotal}, platform ${r.amounts.platformTotal}; differing ${r.amounts.visitsDiffering.length}, ` +
        `by the platform's refusals ${r.amounts.visitsExplained.length}`,
    ),
    row(
      'settlement totals compared to the fen',
      r.amounts.settlementsCompared,
      `differing ${r.amounts.settlementsDiffering.length}`,
    ),
    row('results republished (same id, deduplicated)', r.resultsRepublished),
    row(
      'dead-lettered records (original records)',
      `${r.deadLetters.records} (${r.deadLetters.originals})`,
      `HIS events ${r.deadLetters.ofHisEvents}, hostile ${r.hostile.deadLettered}, other ${r.deadLetters.ofOther}`,
    ),
  );
  for (const [reason, n] of Object.entries(r.deadLetters.byReason)
    .sort(([, a], [, b]) => b - a)
    .slice(0, 12))
    out.push(`      ${String(n).padStart(4)}× ${reason}`);
  out.push(
    row('hostile records published', r.hostile.published, counts(r.hostile.publishedByFamily)),
    row('hostile records dead-lettered', r.hostile.deadLettered),
    row('hostile records NOT dead-lettered ✗', r.hostile.notDeadLettered),
    row('hostile records not yet read (backlog) ✗', r.hostile.notYetRead),
    row(
      'hostile records refused by the broker',
      r.hostile.refusedByBroker,
      'over message.max.bytes: never published',
    ),
    r.sagas.counted
      ? row(
          'sagas not terminal ✗',
          r.sagas.notTerminal,
          `of ${r.sagas.total}; waiting for a person ${r.sagas.waitingForPerson}; ${counts(r.sagas.byState)}`,
        )
      : row('sagas not terminal', 'n/a', 'settlement is not running'),
  );
  for (const [why, n] of Object.entries(r.sagas.endedOtherwise)
    .sort(([, a], [, b]) => b - a)
    .slice(0, 8))
    out.push(`      ${String(n).padStart(4)}× ${why}`);
  if (r.missingFromTopic > 0)
    out.push(row('manifest messages missing from their topic ✗', r.missingFromTopic));
  for (const outcome of OUTCOMES.filter(
    (x) => x !== 'applied' && x !== 'not checked (its service did not run)',
  )) {
    const events = r.judged.filter((j) => j.outcome === outcome);
    if (events.length === 0) continue;
    const listed = events.slice(0, FAILING_OUTCOMES.has(outcome) ? LISTED_FAILING : LISTED_LEGITIMATE);
    out.push(`  ${FAILING_OUTCOMES.has(outcome) ? '' : 'e.g. '}${outcome}:`);
    for (const j of listed) out.push(`      ${eventName(j.event)}: ${printable(j.why)}`);
  }
  for (const effect of r.uncaused.slice(0, LISTED_FAILING)) out.push(`  uncaused: ${printable(effect)}`);
  for (const visit of r.amounts.visitsDiffering.slice(0, LISTED_FAILING))
    out.push(`  fee total differs: ${visit}`);
  out.push(...dayCloseSection(r.dayCloses));
  const problems = failures(r);
  out.push(
    '',
    problems.length === 0
      ? 'verdict: PASS (every HIS event applied or explained; nothing lost, dead-lettered, duplicated, uncaused or off by a fen; no saga stuck; every hostile record dead-lettered; every reconciliation difference explained)'
      : `verdict: FAIL\n${problems.map((p) => `  - ${p}`).join('\n')}`,
  );
  return out;
}

/** The platform reconciliation of the run's settlement days: groups, differences by kind, explained or not. */
function dayCloseSection(d: DayCloseJudgement): string[] {
  if (!d.ran) return ['', 'platform reconciliation (3201 / 3202): not run (reconciliation is not running)'];
  const explained = d.differences.length - d.unexplained.length;
  const out = [
    '',
    'platform reconciliation (3201 对总账 / 3202 对明细账, apps/reconciliation, each settlement day closed on demand):',
    row(
      'settlement days closed',
      d.days.length - d.notClosed.length,
      d.days
        .map((day) =>
          day.run === null
            ? `${day.stmt_date} NOT CLOSED`
            : `${day.stmt_date} run ${day.run}: ${day.groups} group(s), ${day.balanced} balanced`,
        )
        .join('; ') || 'no settlement in the run',
    ),
    row('  days not closed ✗', d.notClosed.length),
    row('groups balanced', d.balanced),
    row('groups unbalanced', d.groups - d.balanced),
    row('differences found', d.differences.length, counts(d.byKind)),
    row('  explained by the run', explained),
    row('  unexplained ✗', d.unexplained.length),
  ];
  for (const difference of d.differences.slice(0, LISTED_FAILING))
    out.push(
      `      ${differenceName(difference)}: ${difference.explained ?? `UNEXPLAINED, ${difference.unexplainedBecause}`}`,
    );
  return out;
}
