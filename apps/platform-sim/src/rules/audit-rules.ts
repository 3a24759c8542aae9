import { given, datetime, date, node, num, requiredNode, str, type InterfaceRules } from './rule-engine';

/**
 * 3101 明细审核事前分析 / 3102 事中分析 (spec §4): data → patient_dtos[] → fsi_encounter_dtos[] → diagnoses,
 * orders, operations. The spec marks no field of these rows required; the platform needs trig_scen or
 * rule_ids ("与rule_ids指定其一即可"). hilist_code is not held to the printed 20 characters: the platform takes
 * the full national code (longer), as the team found.
 */

const DIAGNOSIS = node({
  dise_id: str(50),
  inout_dise_type: str(3),
  maindise_flag: str(3),
  dias_srt_no: str(2),
  dise_codg: str(30),
  dise_name: str(200),
});

const ORDER = node({
  rx_id: str(50),
  long_drord_flag: str(3),
  hilist_code: str(),
  pric: num(16, 6),
  sumamt: num(16, 2),
});

const ENCOUNTER = node(
  {
    mdtrt_id: str(30),
    medins_id: str(50),
    medins_name: str(200),
    medins_admdvs: str(6),
    medins_type: str(3),
    medins_lv: str(3),
    dscg_date: datetime(),
    dscg_main_dise_codg: str(20),
    dscg_main_dise_name: str(50),
    med_mdtrt_type: str(3),
    medfee_sumamt: num(16, 2),
    setl_totlnum: num(4),
  },
  { children: { fsi_diagnose_dtos: DIAGNOSIS, fsi_order_dtos: ORDER } },
);

const PATIENT = node(
  {
    patn_id: str(50),
    patn_name: str(50),
    gend: str(3),
    brdy: date(),
    poolarea: str(10),
    curr_mdtrt_id: str(50),
  },
  { children: { fsi_encounter_dtos: ENCOUNTER } },
);

const ANALYSIS: InterfaceRules = {
  data: requiredNode(
    { trig_scen: str(), rule_ids: str(), task_id: str() },
    {
      children: { patient_dtos: { ...PATIENT, required: true } },
      rowCheck: (row, at) =>
        given(row['trig_scen']) || given(row['rule_ids'])
          ? undefined
          : `入参[${at('trig_scen')}]与[${at('rule_ids')}]不能同时为空`,
    },
  ),
};

export const AUDIT_RULES: Readonly<Record<string, InterfaceRules>> = { '3101': ANALYSIS, '3102': ANALYSIS };
