import { PatientAdmittedV1 } from '@yb/contracts';
import { testFeeLine } from '@yb/testing';
import { type AuditPolicy } from '../quality-config';
import { type AuditCause, type PlatformFinding } from './audit-case.commands';
import { auditCaseDecider, visitAdmission } from './audit-case.decider';
import { type AuditCaseEvent, type RequestedAudit } from './audit-case.events';

/** Shared givens of the audit-case specs (decider and request builder). */
export const IPT_NO = 'ZY20240501001';
export const MDTRT_ID = '420000G0000012345678';
export const PSN_NO = '42000000000000000001234';
export const AT = '2024-05-08T02:00:00.000Z';
export const OPERATOR = { username: 'zhangli', role: 'operator' as const };

export const POLICY: AuditPolicy = {
  blockingSevDeg: ['2'],
  blockingRuleIds: ['R-ALWAYS'],
  deadlineMs: 10_000,
  retryInitialMs: 1_000,
  retryMaxMs: 4_000,
  proceedWhenUnavailable: false,
};

export const decider = auditCaseDecider(POLICY);

export const cause = (id: string): AuditCause => ({ id, correlationId: `corr-${id}`, traceparent: null });
export const plus = (ms: number, at = AT) => new Date(Date.parse(at) + ms).toISOString();

export const LINE_1 = testFeeLine('FY0001', 2, 'XJ01DDA068B002010101445', '1', '43.2');
export const LINE_2 = testFeeLine('FY0002', 2, 'XJ01DDA068B002010101445', '1', '43.2');

const { psn_no: _psn, ...admission } = PatientAdmittedV1.example;

/** A registered visit with two uploaded lines (the events only: no audit asked for). */
export const registeredVisit: AuditCaseEvent[] = [
  { type: 'AdmissionNoted', data: { admission: visitAdmission(admission) } },
  { type: 'RegistrationNoted', data: { mdtrt_id: MDTRT_ID, psn_no: PSN_NO, insuplc_admdvs: '420100' } },
  { type: 'FeeLinesChargedNoted', data: { lines: [LINE_1, LINE_2] } },
  { type: 'FeeLinesUploadedNoted', data: { mdtrt_id: MDTRT_ID, feedetl_sns: ['FY0001', 'FY0002'] } },
];

export function requested3102(trig_scen: '8' | '9' = '9', id = 'cmd-1'): RequestedAudit {
  return {
    audit_id: `3102-${trig_scen}-${id}`,
    infno: '3102',
    trig_scen,
    requested_at: AT,
    deadline: plus(POLICY.deadlineMs),
    settlement: { saga_id: 'saga-1', mdtrt_id: MDTRT_ID, trig_scen },
    cause: cause(id),
  };
}

/** The simulator's double-charge finding on the two lines. */
export function doubleCharge(jr_id: string, sev_deg = '2'): PlatformFinding {
  return {
    jr_id,
    rule_id: 'SIM-R002',
    rule_name: '重复收费',
    vola_cont: '项目重复收费',
    vola_amt: '43.2',
    sev_deg,
    vola_evid: '《医疗保障基金使用监督管理条例》第十五条',
    vola_bhvr_type: '1',
    judge_result_detail_dtos: [{ rx_id: 'FY0001' }, { rx_id: 'FY0002' }],
  };
}

export function doubleChargeFinding(jr_id: string, blocking = true) {
  return {
    jr_id,
    rule_id: 'SIM-R002',
    rule_name: '重复收费',
    vola_cont: '项目重复收费',
    vola_amt: '43.20',
    sev_deg: '2',
    vola_evid: '《医疗保障基金使用监督管理条例》第十五条',
    vola_bhvr_type: '1',
    feedetl_sns: ['FY0001', 'FY0002'],
    blocking,
  };
}
