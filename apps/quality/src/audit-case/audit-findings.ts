import Decimal from 'decimal.js';
import { type AuditPolicy } from '../quality-config';
import { type PlatformFinding } from './audit-case.commands';
import { type AuditFinding, type AuditInfno } from './audit-case.events';

/**
 * The platform's findings as the case keeps and publishes them: the lines involved mapped back from
 * judge_result_detail_dtos (rx_id is the feedetl_sn the request sent), the amount in 16,2, and whether the
 * policy makes it block settlement (only 3102 findings ever do: 3101 is informative).
 */
export function findingsOf(
  result: readonly PlatformFinding[],
  context: { msgid: string; infno: AuditInfno; knownLines: ReadonlySet<string>; policy: AuditPolicy },
): AuditFinding[] {
  return result.map((row, i) => {
    const rule_id = clip(row.rule_id, 50) ?? '未提供';
    const rule_name = clip(row.rule_name, 200) ?? rule_id;
    const sev_deg = clip(row.sev_deg, 3) ?? '未知';
    const lines = (row.judge_result_detail_dtos ?? [])
      .map((d) => d.rx_id)
      .filter((sn): sn is string => typeof sn === 'string' && context.knownLines.has(sn));
    const vola_evid = clip(row.vola_evid, 2000);
    const vola_bhvr_type = clip(row.vola_bhvr_type, 6);
    return {
      // The platform names each finding; a nameless one is named after the answer that carried it.
      jr_id: clip(row.jr_id, 50) ?? `${context.msgid}-${i + 1}`,
      rule_id,
      rule_name,
      vola_cont: clip(row.vola_cont, 500) ?? rule_name,
      vola_amt: new Decimal(row.vola_amt ?? 0).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2),
      sev_deg,
      ...(vola_evid !== undefined && { vola_evid }),
      ...(vola_bhvr_type !== undefined && { vola_bhvr_type }),
      feedetl_sns: [...new Set(lines)],
      blocking: context.infno === '3102' && isBlocking(rule_id, sev_deg, context.policy),
    };
  });
}

function isBlocking(rule_id: string, sev_deg: string, policy: AuditPolicy): boolean {
  return policy.blockingSevDeg.includes(sev_deg) || policy.blockingRuleIds.includes(rule_id);
}

/**
 * A 3101 about some lines (an uploaded batch, the lines of executed orders) keeps the findings that involve
 * them: the other lines go along as context, and what the rules find in them was reported when they were
 * the subject. An audit of the whole visit (trig_scen 3, 3102) keeps everything.
 */
export function aboutFocus(
  findings: readonly AuditFinding[],
  focusLines: ReadonlySet<string> | null,
): AuditFinding[] {
  if (!focusLines) return [...findings];
  return findings.filter((f) => f.feedetl_sns.some((sn) => focusLines.has(sn)));
}

/** Two findings of the same rule on the same lines: a person who accepted one has accepted the other. */
export function sameConcern(a: Pick<AuditFinding, 'rule_id' | 'feedetl_sns'>, b: typeof a): boolean {
  return a.rule_id === b.rule_id && [...a.feedetl_sns].sort().join() === [...b.feedetl_sns].sort().join();
}

function clip(value: string | null | undefined, max: number): string | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  return [...value].slice(0, max).join('');
}
