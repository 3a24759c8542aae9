import { z } from 'zod';
import { defineContract } from './contract';
import { code } from './field-formats';
import { operatorExample, operatorSchema } from './operator';
import { Topics, commandTopic } from './topics';

// The quality service's commands (from the settlement saga and the dashboard, on `insurance.commands.quality`)
// and its answers. Findings themselves travel as AuditFindingsRaised (insurance-inpatient.ts).

const ipt_no = code(30).describe('住院号');
const mdtrt_id = code(30).describe('就诊ID returned by 2401');
/** 3102 事中 scenarios of an inpatient settlement: 9 住院预结算 (before 2303), 8 住院结算 (before 2304). */
const settlementTrigScen = z.enum(['8', '9']).describe('触发场景: 9 住院预结算, 8 住院结算');

export const AuditSettlementV1 = defineContract({
  type: 'AuditSettlement',
  version: 1,
  topic: commandTopic('quality'),
  summary:
    'The saga asks for the 3102 事中 audit of the stay before 2303 (trig_scen 9) or 2304 (trig_scen 8); answered ' +
    'by SettlementAuditCompleted (causationId = this command).',
  data: z
    .object({
      ipt_no,
      mdtrt_id,
      trig_scen: settlementTrigScen,
      saga_id: code(64).describe('The settlement saga asking; echoed in the answer'),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    trig_scen: '9',
    saga_id: 'setl-ZY20240501001-1',
  },
});

export const AcknowledgeAuditFindingV1 = defineContract({
  type: 'AcknowledgeAuditFinding',
  version: 1,
  topic: commandTopic('quality'),
  summary:
    'A person accepts a blocking finding so that settlement may go on; answered by AuditFindingAcknowledged, and ' +
    'by SettlementAuditCompleted once no blocking finding of the audit remains.',
  data: z
    .object({
      ipt_no,
      jr_id: code(50).describe('违规标识 of the finding'),
      comment: code(500).describe('Why the finding is accepted'),
      requested_by: operatorSchema,
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    jr_id: 'JR0001',
    comment: '已与主治医生核实，属二线用药',
    requested_by: operatorExample,
  },
});

export const SettlementAuditCompletedV1 = defineContract({
  type: 'SettlementAuditCompleted',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary:
    'The answer to AuditSettlement: whether settlement may proceed, after the 3102 call, a person’s ' +
    'acknowledgement, or a deadline past which the audit was unavailable (the policy decides).',
  data: z
    .object({
      ipt_no,
      mdtrt_id,
      trig_scen: settlementTrigScen,
      saga_id: code(64),
      outcome: z
        .enum(['PASSED', 'BLOCKED', 'ACKNOWLEDGED', 'UNAVAILABLE'])
        .describe(
          'PASSED: no blocking finding; BLOCKED: blocking findings wait for a person; ACKNOWLEDGED: a person accepted ' +
            'every blocking finding; UNAVAILABLE: the audit could not be had before its deadline',
        ),
      may_proceed: z.boolean().describe('true when the saga may go on to the next platform step'),
      blocking_jr_ids: z.array(code(50)).describe('违规标识 of the blocking findings not yet acknowledged'),
      reason: z.string().max(4000).optional().describe('For BLOCKED and UNAVAILABLE: why, for a person'),
      unanswered: z
        .boolean()
        .optional()
        .describe(
          'UNAVAILABLE because the platform never answered 3102 (timeout, unreachable, 5xx): no verdict, so the ' +
            'saga asks again; absent or false: the platform answered (refused it)',
        ),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    trig_scen: '9',
    saga_id: 'setl-ZY20240501001-1',
    outcome: 'BLOCKED',
    may_proceed: false,
    blocking_jr_ids: ['JR0001'],
    reason: '限定支付范围: 头孢呋辛钠限二线用药',
  },
});

export const AuditFindingAcknowledgedV1 = defineContract({
  type: 'AuditFindingAcknowledged',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary: 'A person accepted a finding (who, when, why); the dashboard takes it off the queue.',
  data: z
    .object({
      ipt_no,
      jr_id: code(50),
      comment: code(500),
      acknowledged_by: operatorSchema,
      remaining_blocking: z.number().int().min(0).describe('Blocking findings of the visit still waiting'),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    jr_id: 'JR0001',
    comment: '已与主治医生核实，属二线用药',
    acknowledged_by: operatorExample,
    remaining_blocking: 0,
  },
});

export const AuditAcknowledgementRefusedV1 = defineContract({
  type: 'AuditAcknowledgementRefused',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary:
    'The answer to an AcknowledgeAuditFinding that cannot be applied (unknown jr_id, or a finding that blocks ' +
    'nothing): nothing was acknowledged; reason says why, for the person who asked.',
  data: z
    .object({
      ipt_no,
      jr_id: code(50),
      reason: code(500).describe('Why the acknowledgement was refused'),
      requested_by: operatorSchema,
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    jr_id: 'JR0002',
    reason: '违规标识[JR0002]不是阻断结算的审核结果，无需确认',
    requested_by: operatorExample,
  },
});

export const AuditUnavailableV1 = defineContract({
  type: 'AuditUnavailable',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary:
    'A 3101/3102 audit could not be had (platform errors or timeouts until its deadline); what the policy decided.',
  data: z
    .object({
      ipt_no,
      mdtrt_id: mdtrt_id.optional(),
      infno: z.enum(['3101', '3102']),
      trig_scen: z.string().regex(/^\d{1,2}$/, { message: 'must be a trig_scen code' }),
      attempts: z.number().int().min(1).describe('Calls made before giving up'),
      reason: code(4000).describe('The last error'),
      settlement_may_proceed: z.boolean().describe('What the policy decided for settlement (3102 only)'),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    infno: '3102',
    trig_scen: '9',
    attempts: 4,
    reason: 'timeout after 30000 ms',
    settlement_may_proceed: true,
  },
});

export const QUALITY_CONTRACTS = [
  AuditSettlementV1,
  AcknowledgeAuditFindingV1,
  SettlementAuditCompletedV1,
  AuditFindingAcknowledgedV1,
  AuditUnavailableV1,
  AuditAcknowledgementRefusedV1,
] as const;
