import { type SettlementTestbed, type SimLedger } from './settlement-hospital';

/**
 * What must hold between the simulator's ledger and what settlement published, for the given visits:
 * no visit settled (at discharge) twice, and every 2304 the platform applied is either published as Settled
 * (and still standing or cancelled by a published 2305) or reversed by 2601 and never published as Settled (or
 * published, then reversed in our books by the billing office: SettlementLocalReversalRecorded).
 * Returns the problems found, empty when all hold.
 */
export function ledgerProblems(
  ledger: SimLedger,
  testbed: SettlementTestbed,
  visits: readonly string[],
): string[] {
  const problems: string[] = [];
  for (const ipt_no of visits) {
    const mdtrt_ids = new Set(ledger.registrations.filter((r) => r.ipt_no === ipt_no).map((r) => r.mdtrt_id));
    const applied = ledger.settlements.filter((s) => mdtrt_ids.has(s.mdtrt_id));
    const standing = applied.filter((s) => s.status === 'settled' && s.mid_setl_flag === '0');
    if (standing.length > 1) problems.push(`${ipt_no} settled ${standing.length} times on the platform`);
    const settled = testbed.resultsOf('Settled', ipt_no).map((m) => m.data);
    const cancelled = testbed.resultsOf('SettlementCancelled', ipt_no).map((m) => m.data.init_setl_id);
    for (const s of applied) {
      const published = settled.filter((r) => r.medins_setl_id === s.msgid && r.setl_id === s.setl_id);
      // Reversed on the platform after we recorded it (at the centre's counter): the billing office has reversed
      // it in our books too (本地冲销, reconciliation), which the saga published.
      const reversedInOurBooks = testbed
        .resultsOf('SettlementLocalReversalRecorded', ipt_no)
        .some((m) => m.data.setl_id === s.setl_id);
      if (s.status === 'reversed' && published.length > 0 && !reversedInOurBooks) {
        problems.push(`${ipt_no}: 2304 ${s.msgid} published as Settled but reversed on the platform`);
      }
      if (s.status === 'settled' && published.length !== 1) {
        problems.push(
          `${ipt_no}: 2304 ${s.msgid} applied on the platform, published ${published.length} times`,
        );
      }
      if (s.status === 'cancelled' && (published.length !== 1 || !cancelled.includes(s.setl_id))) {
        problems.push(`${ipt_no}: settlement ${s.setl_id} cancelled on the platform, not as published`);
      }
    }
    for (const r of settled) {
      if (!applied.some((s) => s.setl_id === r.setl_id)) {
        problems.push(`${ipt_no}: Settled ${r.setl_id} published, unknown to the platform`);
      }
    }
  }
  return problems;
}

/** Prints a table (the test's closing note) to the console. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const text = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
  console.log(`\n${text}\n`);
}
