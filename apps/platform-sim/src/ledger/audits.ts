import { auditEncounters } from './audit-rules';
import { optionalString, requireNode, requireRows, type JsonObject } from './input-fields';
import type { LedgerContext } from './ledger-context';
import { reject } from './platform-rejection';
import { money } from './wire-amounts';

/** trig_scen values each analysis accepts (spec §4): 事前 3101 → 1–5, 事中 3102 → 6–10. */
const SCENES: Record<string, readonly string[]> = {
  '3101': ['1', '2', '3', '4', '5'],
  '3102': ['6', '7', '8', '9', '10'],
};

/** 3101 明细审核事前分析 / 3102 事中分析: runs the rules over the request; nothing is stored. */
export function analyse(ctx: LedgerContext): JsonObject {
  const data = requireNode(ctx.req.input, 'data');
  const trigScen = optionalString(data, 'trig_scen');
  const ruleIds = optionalString(data, 'rule_ids');
  if (!trigScen && !ruleIds) reject('入参[data.trig_scen]与[data.rule_ids]不能同时为空');
  const allowed = SCENES[ctx.req.infno] ?? [];
  const wrong = trigScen?.split(',').find((s) => !allowed.includes(s.trim()));
  if (wrong !== undefined) reject(`触发场景[${wrong}]不适用于交易[${ctx.req.infno}]`);
  const patients = requireRows(data, 'patient_dtos');
  const task_id = optionalString(data, 'task_id') ?? null;
  return {
    result: auditEncounters(patients).map((f) => {
      const jr_id = `JR${ctx.stamp}${ctx.nextSerial(8)}`;
      return {
        jr_id,
        rule_id: f.rule_id,
        rule_name: f.rule_name,
        vola_cont: f.vola_cont,
        patn_id: f.patn_id,
        mdtrt_id: f.mdtrt_id,
        judge_result_detail_dtos: f.rx_ids.map((rx_id, i) => ({
          jrd_id: `${jr_id}${String(i + 1).padStart(2, '0')}`,
          patn_id: f.patn_id,
          mdtrt_id: f.mdtrt_id,
          rx_id,
          vola_item_type: i === 0 ? '1' : '2',
          vola_amt: money(f.vola_amt),
        })),
        vola_amt: money(f.vola_amt),
        vola_amt_stas: '1',
        sev_deg: f.sev_deg,
        vola_evid: f.vola_evid,
        vola_bhvr_type: f.vola_bhvr_type,
        task_id,
      };
    }),
  };
}
