import { requiredNode, str, Y, type InterfaceRules } from './rule-engine';

/** 9001 签到 / 9002 签退 (spec §2). mac is optional nationally (some regions require it). */
export const SIGN_IN_RULES: Readonly<Record<string, InterfaceRules>> = {
  '9001': {
    signIn: requiredNode({ opter_no: Y(str(20)), mac: str(20), ip: Y(str(20)) }),
  },
  '9002': {
    signOut: requiredNode({ sign_no: str(30), opter_no: Y(str(20)) }),
  },
};
