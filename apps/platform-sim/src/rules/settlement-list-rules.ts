import { ADM_COND_TYPE, DSCG_WAY, HI_PAYMTD, STAS_TYPE, YES_NO } from './dictionaries';
import { date, datetime, node, num, requiredNode, str, Y, type InterfaceRules } from './rule-engine';

/**
 * 4101A 医疗保障基金结算清单信息上传 (spec §5.1) and 4102 结算清单状态修改 (spec part 2 §8.1). 4101A keeps of 4101's
 * required setlinfo fields those it still has (the spec: it "drops demographics and money totals the platform
 * already holds"): the identifiers, medcasno, dscg_caty, the bill, biz_sn, the settlement period, hi_paymtd
 * and the filling details; stas_type is 4101A's own. Its operations carry begin and end times where 4101 had a
 * date (required here as that date was); the other child rows keep their printed requirements. Lengths of
 * 4101A's fields are not in the spec: only presence, dates, numbers and the agreed dictionaries are checked.
 */
export const SETTLEMENT_LIST_RULES: Readonly<Record<string, InterfaceRules>> = {
  '4101A': {
    setlinfo: requiredNode({
      psn_no: Y(str(30)),
      mdtrt_id: Y(str(30)),
      setl_id: Y(str(30)),
      medcasno: Y(str()),
      adm_time: datetime(),
      dscg_time: datetime(),
      dscg_caty: Y(str()),
      dscg_way: str(3, DSCG_WAY),
      spga_nurscare_days: num(5),
      lv1_nurscare_days: num(5),
      scd_nurscare_days: num(5),
      lv3_nurscare_days: num(5),
      bill_code: Y(str()),
      bill_no: Y(str()),
      biz_sn: Y(str()),
      days_rinp_flag_31: str(3, YES_NO),
      setl_begn_date: Y(date()),
      setl_end_date: Y(date()),
      medins_fill_dept: Y(str()),
      medins_fill_psn: Y(str()),
      stas_type: Y(str(3, STAS_TYPE)),
      hi_paymtd: Y(str(3, HI_PAYMTD)),
    }),
    diseinfo: requiredNode({
      diag_type: Y(str(3)),
      diag_code: Y(str()),
      diag_name: Y(str()),
      adm_cond_type: str(3, ADM_COND_TYPE),
      maindiag_flag: str(3, YES_NO),
    }),
    oprninfo: node({
      oprn_oprt_type: Y(str()),
      oprn_oprt_name: Y(str()),
      oprn_oprt_code: Y(str()),
      oper_dr_code: Y(str()),
      oprn_oprt_begntime: Y(datetime()),
      oprn_oprt_endtime: Y(datetime()),
      anst_begntime: datetime(),
      anst_endtime: datetime(),
    }),
    icuinfo: node({
      scs_cutd_ward_type: Y(str()),
      scs_cutd_inpool_time: Y(str()),
      scs_cutd_exit_time: Y(str()),
      scs_cutd_sum_dura: Y(str()),
    }),
    opspdiseinfo: node({}),
    bldinfo: node({}),
  },
  '4102': {
    data: requiredNode(
      {},
      {
        children: {
          stastinfo: requiredNode({
            psn_no: Y(str(30)),
            setl_id: Y(str(30)),
            stas_type: Y(str(3, STAS_TYPE)),
          }),
        },
      },
    ),
  },
};
