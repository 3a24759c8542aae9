import { MED_TYPE } from './dictionaries';
import { datetime, requiredNode, str, Y, type InterfaceRules } from './rule-engine';

/**
 * The platform's queries (spec part 2 §7.2, §2.5 for 5204, §8.2 for 4103), from HN-SPEC 表191–212 and the OH/DG
 * models: input node `data` for all. Where HN requires a field OH leaves out (5201's endtime), it is optional.
 * 5206's cum_ym (yyyyMM) is checked by the ledger, which reads it.
 */
export const QUERY_RULES: Readonly<Record<string, InterfaceRules>> = {
  '5201': {
    data: requiredNode({
      psn_no: Y(str(30)),
      begntime: Y(datetime()),
      endtime: datetime(),
      med_type: Y(str(6, MED_TYPE)),
      mdtrt_id: str(30),
    }),
  },
  '5202': { data: requiredNode({ mdtrt_id: Y(str(30)), psn_no: Y(str(30)) }) },
  '5204': { data: requiredNode({ psn_no: Y(str(30)), setl_id: Y(str(30)), mdtrt_id: Y(str(30)) }) },
  '5205': { data: requiredNode({ psn_no: Y(str(30)), begntime: Y(datetime()), endtime: datetime() }) },
  '5206': { data: requiredNode({ psn_no: Y(str(30)), cum_ym: str(6) }) },
  '5301': { data: requiredNode({ psn_no: Y(str(30)) }) },
  '5302': { data: requiredNode({ psn_no: Y(str(30)), biz_appy_type: Y(str(3)) }) },
  '5303': { data: requiredNode({ psn_no: str(30), begntime: Y(datetime()), endtime: Y(datetime()) }) },
  '5304': { data: requiredNode({ psn_no: Y(str(30)), begntime: Y(datetime()), endtime: datetime() }) },
  '4103': { data: requiredNode({ psn_no: Y(str(30)), setl_id: Y(str(30)) }) },
};
