// The chaos run's table: what the HIS published and what became of it, the dead letters by reason, the hostile
// records, the sagas; and the verdict (lost, duplicated, stuck or a hostile record not dead-lettered = failure).
import { type ChaosResult } from './chaos-run';
import { failures, OUTCOMES } from './reconcile';

const row = (label: string, value: string | number, note = '') =>
  `  ${label.padEnd(50)} ${String(value).padStart(7)}${note ? `  ${note}` : ''}`;

const counts = (byKey: Readonly<Record<string, number>>) =>
  Object.entries(byKey)
    .sort(([, a], [, b]) => b - a)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || 'none';

export function chaosReport(result: ChaosResult): string {
  const r = result.reconciliation;
  const o = result.options;
  const out: string[] = [];
  const hit = result.faults.filter((f) => f.hit).length;
  out.push(
    `chaos run: ${o.durationMs / 1000} s of HIS load (${o.beds} beds, ${o.ratePerSecond}/s, seed ${o.seed}), ` +
      `services ${result.services.join(', ')}, ${o.partitions} partitions, platform timeout ${o.clientTimeoutMs} ms`,
    `disruptions: ${result.crashes.length} kill -9 + restart (${result.crashes
      .map((c) => `${c.service} ${(c.restartMs / 1000).toFixed(1)} s`)
      .join(', ')}); ${result.faults.length} platform faults armed, ${hit} hit ` +
      `(${result.faults.map((f) => `${f.fault.mode}@${f.fault.infno}${f.hit ? '' : ' not hit'}`).join(', ')}); ` +
      `${r.hostile.published + r.hostile.refusedByBroker} hostile records`,
    `quiescence: ${result.quiescent ? 'reached' : 'NOT reached'} after ${(result.quiesceMs / 1000).toFixed(1)} s`,
    '',
    row('HIS events published', r.published, counts(r.byType)),
  );
  for (const outcome of OUTCOMES) out.push(row(`  ${outcome}`, r.outcomes[outcome]));
  out.push(
    row(
      'effects duplicated on the platform',
      r.registrationsDuplicated + r.settlementsDuplicated + r.lines.uploadedTwice,
      `registrations standing twice ${r.registrationsDuplicated}, settlements twice ${r.settlementsDuplicated}, ` +
        `fee lines held twice ${r.lines.uploadedTwice}`,
    ),
    row(
      'fee lines the HIS left standing',
      r.lines.expected,
      `on the platform once ${r.lines.uploadedOnce}; held (visit not registered) ${r.lines.heldUnregistered}; voided lines gone ${r.lines.voidedAndGone}`,
    ),
    row('results republished (same id, deduplicated)', r.resultsRepublished),
    row(
      'dead-lettered records (original records)',
      `${r.deadLetters.records} (${r.deadLetters.originals})`,
      `HIS events ${r.deadLetters.ofHisMessages}, hostile ${r.hostile.deadLettered}, other ${r.deadLetters.ofOther}`,
    ),
  );
  for (const [reason, n] of Object.entries(r.deadLetters.byReason)
    .sort(([, a], [, b]) => b - a)
    .slice(0, 12))
    out.push(`      ${String(n).padStart(4)}× ${reason}`);
  out.push(
    row('hostile records published', r.hostile.published, counts(r.hostile.publishedByFamily)),
    row('hostile records dead-lettered', r.hostile.deadLettered),
    row('hostile records NOT dead-lettered', r.hostile.notDeadLettered),
    row('hostile records not yet read (backlog)', r.hostile.notYetRead),
    row(
      'hostile records refused by the broker',
      r.hostile.refusedByBroker,
      'over message.max.bytes: never published',
    ),
    r.sagas.counted
      ? row(
          'sagas not terminal',
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
    out.push(row('manifest messages missing from his.inpatient', r.missingFromTopic));
  for (const [outcome, list] of Object.entries(r.examples)) {
    out.push(`  e.g. ${outcome}:`);
    for (const example of list ?? []) out.push(`      ${example}`);
  }
  const problems = failures(r);
  out.push(
    '',
    problems.length === 0
      ? 'verdict: PASS (0 lost, 0 duplicated, 0 stuck; every hostile record dead-lettered)'
      : `verdict: FAIL: ${problems.join('; ')}`,
  );
  return out.join('\n');
}
