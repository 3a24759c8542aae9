import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { type MessageOf, type MessageType } from '@yb/contracts';
import { KafkaConsumerHost } from '@yb/messaging';
import { PlatformCallRecovery } from '@yb/service-runtime';
import { type AuditCaseCommand, type AuditCause } from '../audit-case/audit-case.commands';
import { AuditCaseWorkflow } from '../audit-case/audit-case-workflow';
import { AuditRunner } from '../platform/audit-runner';

type Handled = MessageOf<MessageType>;

const causeOf = (m: Handled): AuditCause => ({
  id: m.id,
  correlationId: m.correlationId,
  traceparent: m.traceparent,
});
const now = () => new Date().toISOString();

/** Each message type quality acts on, and the audit-case command it becomes. */
const COMMAND_OF: { [T in MessageType]?: (message: MessageOf<T>) => AuditCaseCommand } = {
  // his.inpatient
  PatientAdmitted: (m) => ({ type: 'NoteAdmission', admission: m.data }),
  AdmissionChanged: (m) => ({ type: 'NoteAdmission', admission: m.data }),
  FeeLinesCharged: (m) => ({ type: 'NoteFeeLinesCharged', lines: m.data.lines }),
  FeeLinesVoided: (m) => ({ type: 'NoteFeeLinesVoided', feedetl_sns: m.data.feedetl_sns }),
  DischargeRequested: (m) => ({ type: 'NoteDischarge', discharge: m.data }),
  // his.clinical
  MedicalOrdersRecorded: (m) => ({ type: 'NoteOrders', orders: m.data.orders, cause: causeOf(m), at: now() }),
  MedicalRecordHomepageRecorded: (m) => ({ type: 'NoteHomepage', homepage: m.data }),
  // insurance.inpatient: admission's and fee-detail's results
  AdmissionRegistered: (m) => ({
    type: 'NoteRegistration',
    mdtrt_id: m.data.mdtrt_id,
    psn_no: m.data.psn_no,
    ...(m.data.insuplc_admdvs && { insuplc_admdvs: m.data.insuplc_admdvs }),
    cause: causeOf(m),
    at: now(),
  }),
  FeeLinesUploaded: (m) => ({
    type: 'NoteFeeLinesUploaded',
    mdtrt_id: m.data.mdtrt_id,
    feedetl_sns: m.data.lines.map((l) => l.feedetl_sn),
    cause: causeOf(m),
    at: now(),
  }),
  FeeLinesRevoked: (m) => ({ type: 'NoteFeeLinesRevoked', feedetl_sns: m.data.feedetl_sns }),
  DischargeRegistered: (m) => ({ type: 'NoteDischargeRegistered', endtime: m.data.endtime }),
  // insurance.commands.quality: the settlement saga and the billing office
  AuditSettlement: (m) => ({
    type: 'AuditSettlement',
    mdtrt_id: m.data.mdtrt_id,
    trig_scen: m.data.trig_scen,
    saga_id: m.data.saga_id,
    cause: causeOf(m),
    at: now(),
  }),
  AcknowledgeAuditFinding: (m) => ({
    type: 'AcknowledgeFinding',
    jr_id: m.data.jr_id,
    comment: m.data.comment,
    requested_by: m.data.requested_by,
    at: now(),
  }),
};

/**
 * Registers quality's handlers on the service's consumer (thin: the audit case decides, the runner calls
 * the platform after the handler's transaction committed), and the resolver for 3101/3102 calls a crash
 * left unsettled.
 */
@Injectable()
export class QualityHandlers implements OnModuleInit {
  constructor(
    @Inject(KafkaConsumerHost) private readonly host: KafkaConsumerHost,
    @Inject(PlatformCallRecovery) private readonly recovery: PlatformCallRecovery,
    @Inject(AuditCaseWorkflow) private readonly cases: AuditCaseWorkflow,
    @Inject(AuditRunner) private readonly runner: AuditRunner,
  ) {}

  onModuleInit(): void {
    for (const [type, toCommand] of Object.entries(COMMAND_OF) as [
      MessageType,
      (m: Handled) => AuditCaseCommand,
    ][]) {
      this.host.handle(type, async ({ envelope }) => {
        const events = await this.cases.handle(envelope.key, toCommand(envelope), {
          envelope,
          consumer: `quality.${type}`,
        });
        if (events.some((e) => e.type === 'AuditRequested')) this.runner.kick(envelope.key);
      });
    }
    this.recovery.resolveWith(['3101', '3102'], AuditRunner.resolveCall);
  }
}
