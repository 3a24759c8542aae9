// A platform request body built by hand (no client, no validation, no journal): the raw paths' way to call the
// sandbox, so that what the platform client adds can be told apart.
import { shanghaiDateTime } from '@yb/platform-client';
import { TEST_HOSPITAL } from '@yb/testing';

export interface RawPlatformRequest {
  readonly infno: string;
  readonly msgid: string;
  readonly input: unknown;
  readonly now: Date;
  readonly insuplc_admdvs?: string;
  readonly sign_no?: string;
  readonly operator?: { readonly opter_type: string; readonly opter: string; readonly opter_name: string };
}

export function rawPlatformRequestBody(r: RawPlatformRequest): Record<string, unknown> {
  const operator = r.operator ?? TEST_HOSPITAL.operator;
  return {
    infno: r.infno,
    msgid: r.msgid,
    mdtrtarea_admvs: TEST_HOSPITAL.mdtrtarea_admvs,
    insuplc_admdvs: r.insuplc_admdvs ?? '',
    recer_sys_code: 'YBXT',
    dev_no: '',
    dev_safe_info: '',
    cainfo: '',
    signtype: '',
    infver: 'V1.0',
    opter_type: operator.opter_type,
    opter: operator.opter,
    opter_name: operator.opter_name,
    inf_time: shanghaiDateTime(r.now),
    fixmedins_code: TEST_HOSPITAL.fixmedins_code,
    fixmedins_name: TEST_HOSPITAL.fixmedins_name,
    sign_no: r.sign_no ?? '',
    input: r.input,
  };
}
