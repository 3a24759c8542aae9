import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { type MessageOf, type MessageType } from '@yb/contracts';
import { KafkaConsumerHost, PermanentHandlerError } from '@yb/messaging';
import { dictionaryProblems } from '@yb/platform-client';
import { ADMISSION_CONFIG, type AdmissionConfig } from '../admission-config';
import { type VisitCommand } from '../visit/visit.commands';
import { VisitWorkflow } from '../visit/visit-workflow';

/**
 * An admission whose codes the region's dictionaries (built in, extended by its 1901 download) do not hold is
 * refused at the edge (dead-lettered with the field and the dictionary, replayable once the code is known) rather
 * than left to a 2401 the platform client would never send.
 */
function checkedAdmission<T extends Readonly<Record<string, unknown>>>(admission: T): T {
  const problems = dictionaryProblems(admission);
  if (problems.length > 0) throw new PermanentHandlerError(problems.join('; '));
  return admission;
}

/** Each message type admission acts on, and the visit command it becomes. */
const commandsOf = ({
  entitlementCheck,
}: AdmissionConfig): { [T in MessageType]?: (message: MessageOf<T>) => VisitCommand } => ({
  // his.inpatient
  PatientAdmitted: (m) => ({ type: 'AdmitPatient', admission: checkedAdmission(m.data), entitlementCheck }),
  AdmissionChanged: (m) => ({ type: 'ChangeAdmission', admission: checkedAdmission(m.data) }),
  AdmissionCancelled: (m) => ({ type: 'CancelAdmission', reason: m.data.reason }),
  SpecialAttributeRecorded: (m) => ({ type: 'RecordSpecialAttribute', attribute: m.data }),
  // insurance.commands.admission (the settlement saga, the billing office)
  DischargePatient: (m) => ({ type: 'Discharge', discharge: m.data }),
  UndoDischarge: (m) => ({ type: 'UndoDischarge', reason: m.data.reason }),
  QuerySpecialAttributes: () => ({ type: 'QuerySpecialAttributes' }),
});

/**
 * insurance.inpatient: fee-detail's results, so that 2404 is refused while fee lines remain. A visit's
 * consecutive notes of a batch are one append (VisitWorkflow.noteFeeLines).
 */
const FEE_LINE_NOTES = {
  FeeLinesUploaded: (m: MessageOf<'FeeLinesUploaded'>): VisitCommand => ({
    type: 'NoteFeeLinesUploaded',
    feedetl_sns: m.data.lines.map((l) => l.feedetl_sn),
  }),
  FeeLinesRevoked: (m: MessageOf<'FeeLinesRevoked'>): VisitCommand => ({
    type: 'NoteFeeLinesRevoked',
    feedetl_sns: m.data.feedetl_sns,
  }),
};

/** Registers admission's handlers on the service's consumer (thin: the visit workflow does the work). */
@Injectable()
export class AdmissionHandlers implements OnModuleInit {
  constructor(
    @Inject(KafkaConsumerHost) private readonly host: KafkaConsumerHost,
    @Inject(VisitWorkflow) private readonly visits: VisitWorkflow,
    @Inject(ADMISSION_CONFIG) private readonly config: AdmissionConfig,
  ) {}

  onModuleInit(): void {
    for (const [type, toCommand] of Object.entries(commandsOf(this.config)) as [
      MessageType,
      (m: MessageOf<MessageType>) => VisitCommand,
    ][]) {
      this.host.handle(type, async ({ envelope }) => {
        await this.visits.handle(envelope.key, toCommand(envelope), {
          envelope,
          consumer: `admission.${type}`,
        });
      });
    }
    // Each type its own group handler, so that the inbox keeps one consumer name per type.
    for (const [type, toCommand] of Object.entries(FEE_LINE_NOTES) as [
      keyof typeof FEE_LINE_NOTES,
      (m: MessageOf<keyof typeof FEE_LINE_NOTES>) => VisitCommand,
    ][]) {
      const consumer = `admission.${type}`;
      this.host.handleGroup([type], async (messages, done) => {
        const notes = messages.map(({ envelope }) => ({
          command: toCommand(envelope),
          source: { envelope, consumer },
        }));
        await this.visits.noteFeeLines(messages[0].envelope.key, notes, consumer, done);
      });
    }
  }
}
