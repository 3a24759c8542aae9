import { INSUTYPE, MDTRT_CERT_TYPE, MED_TYPE } from './dictionaries';
import { datetime, given, requiredNode, str, Y, type InterfaceRules } from './rule-engine';

/** mdtrt_cert_type 03 社会保障卡: the card's identification code must come with the card number. */
const SOCIAL_SECURITY_CARD = '03';

/**
 * 1101 人员信息获取 (national table; the spec's part 1 §7.1 names it, its fields are the national ones):
 * the certificate the HIS read, card_sn with a social-security card, optionally the person's name.
 * 2001 人员待遇享受检查 (part 2 §7.1).
 */
export const PERSON_RULES: Readonly<Record<string, InterfaceRules>> = {
  '1101': {
    data: requiredNode(
      {
        mdtrt_cert_type: Y(str(3, MDTRT_CERT_TYPE)),
        mdtrt_cert_no: Y(str(50)),
        card_sn: str(32),
        begntime: datetime(),
        psn_cert_type: str(6),
        certno: str(50),
        psn_name: str(50),
      },
      {
        rowCheck: (row, at) =>
          row['mdtrt_cert_type'] === SOCIAL_SECURITY_CARD && !given(row['card_sn'])
            ? `入参[${at('card_sn')}]不能为空：就诊凭证类型为社会保障卡时必须传卡识别码`
            : undefined,
      },
    ),
  },
  '2001': {
    data: requiredNode({
      psn_no: Y(str(30)),
      insutype: Y(str(6, INSUTYPE)),
      fixmedins_code: Y(str(12)),
      med_type: Y(str(6, MED_TYPE)),
      begntime: Y(datetime()),
      endtime: datetime(),
      dise_codg: str(30),
      dise_name: str(500),
      oprn_oprt_code: str(30),
      oprn_oprt_name: str(500),
      matn_type: str(6),
      birctrl_type: str(6),
    }),
  },
};
