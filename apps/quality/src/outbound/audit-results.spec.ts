import { type Envelope } from '@yb/contracts';
import { type AuditCaseEvent } from '../audit-case/audit-case.events';
import { evolveAuditCase, initialAuditCaseState } from '../audit-case/audit-case.state';
import {
  AT,
  doubleChargeFinding,
  IPT_NO,
  MDTRT_ID,
  OPERATOR,
  registeredVisit,
  requested3102,
} from '../audit-case/audit-case.test-kit';
import { auditResultMessages } from './audit-results';

const published = (events: AuditCaseEvent[], given: AuditCaseEvent[], handling?: { id: string }) => {
  const state = [...given, ...events].reduce(evolveAuditCase, initialAuditCaseState);
  const cause = handling && { id: handling.id, correlationId: `corr-${handling.id}` };
  return auditResultMessages('insurance.inpatient', IPT_NO, events, state, cause).map(
    (m) => JSON.parse(m.payload) as Envelope<Record<string, unknown>>,
  );
};

describe('what the audit case publishes', () => {
  const requested: AuditCaseEvent[] = [...registeredVisit, { type: 'AuditRequested', data: requested3102() }];
  const completed: AuditCaseEvent = {
    type: 'AuditCompleted',
    data: { audit_id: '3102-9-cmd-1', msgid: 'M1', attempts: 1, findings: [doubleChargeFinding('JR1')] },
  };
  const answered: AuditCaseEvent = {
    type: 'SettlementAuditAnswered',
    data: {
      audit_id: '3102-9-cmd-1',
      outcome: 'BLOCKED',
      may_proceed: false,
      blocking_jr_ids: ['JR1'],
      reason: '重复收费: 项目重复收费',
    },
  };

  it("answers the saga's AuditSettlement: caused by it, in its correlation, saga_id echoed", () => {
    const [findings, answer] = published([completed, answered], requested, { id: 'runner-has-none' });
    expect(findings).toMatchObject({
      type: 'AuditFindingsRaised',
      key: IPT_NO,
      causationId: 'cmd-1',
      correlationId: 'corr-cmd-1',
      data: {
        ipt_no: IPT_NO,
        mdtrt_id: MDTRT_ID,
        infno: '3102',
        trig_scen: '9',
        findings: [doubleChargeFinding('JR1')],
      },
    });
    expect(answer).toMatchObject({
      type: 'SettlementAuditCompleted',
      causationId: 'cmd-1',
      correlationId: 'corr-cmd-1',
      data: {
        ipt_no: IPT_NO,
        mdtrt_id: MDTRT_ID,
        trig_scen: '9',
        saga_id: 'saga-1',
        outcome: 'BLOCKED',
        may_proceed: false,
        blocking_jr_ids: ['JR1'],
        reason: '重复收费: 项目重复收费',
      },
    });
  });

  it('publishes an acknowledgement as caused by the command, with the blocking findings still waiting', () => {
    const acknowledged: AuditCaseEvent = {
      type: 'FindingAcknowledged',
      data: { jr_id: 'JR1', comment: '已核实', acknowledged_by: OPERATOR, at: AT },
    };
    const [ack] = published([acknowledged], [...requested, completed, answered], { id: 'ack-1' });
    expect(ack).toMatchObject({
      type: 'AuditFindingAcknowledged',
      causationId: 'ack-1',
      data: {
        ipt_no: IPT_NO,
        jr_id: 'JR1',
        comment: '已核实',
        acknowledged_by: OPERATOR,
        remaining_blocking: 0,
      },
    });
  });

  it('publishes nothing for what only records the visit, nor for an audit without findings that answers no saga', () => {
    const { settlement: _s, ...request3101 } = {
      ...requested3102(),
      audit_id: '3101-3-r',
      infno: '3101' as const,
    };
    const given: AuditCaseEvent[] = [...registeredVisit, { type: 'AuditRequested', data: request3101 }];
    expect(
      published(
        [
          ...registeredVisit,
          { type: 'AuditCompleted', data: { audit_id: '3101-3-r', msgid: 'M1', attempts: 1, findings: [] } },
        ],
        given,
      ),
    ).toEqual([]);
  });
});
