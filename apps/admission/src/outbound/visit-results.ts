import { createEnvelope, currentVersion, type DataOf, type Envelope, type MessageType } from '@yb/contracts';
import { type OutboxMessage } from '@yb/event-store';
import { outboxMessageOf } from '@yb/service-runtime';
import { type VisitEvent } from '../visit/visit.events';
import { type VisitState } from '../visit/visit.state';

/**
 * The results published on insurance.inpatient for the visit's new events (keyed by ipt_no, caused by the
 * message being handled, or the one whose request was answered; none for requests queued before causes were kept). Events that only move the visit along (received, queued, identified …) publish
 * nothing. Each result is validated against its contract before it reaches the outbox.
 */
export function resultMessages(
  topic: string,
  ipt_no: string,
  events: readonly VisitEvent[],
  state: VisitState,
  cause: Pick<Envelope, 'id' | 'correlationId'> | undefined,
): OutboxMessage[] {
  return events.flatMap((event) => {
    const result = resultOf(ipt_no, event, state);
    if (!result) return [];
    const schemaVersion = currentVersion(result.type);
    const envelope = createEnvelope({ ...result, schemaVersion, key: ipt_no, causedBy: cause });
    return [outboxMessageOf(topic, envelope)];
  });
}

function resultOf(
  ipt_no: string,
  event: VisitEvent,
  state: VisitState,
): { type: MessageType; data: unknown } | null {
  const mdtrt_id = state.mdtrt_id ?? undefined;
  const visit = { ipt_no, mdtrt_id };
  switch (event.type) {
    case 'Registered':
      return { type: 'AdmissionRegistered', data: registration(ipt_no, event.data, state) };
    case 'Changed':
      return { type: 'AdmissionChangeRegistered', data: { ...visit, msgid: event.data.msgid } };
    case 'Cancelled':
      return { type: 'AdmissionCancellationRegistered', data: { ...visit, msgid: event.data.msgid } };
    case 'Discharged':
      return { type: 'DischargeRegistered', data: { ...visit, ...event.data } };
    case 'DischargeUndone':
      return { type: 'DischargeUndone', data: { ...visit, msgid: event.data.msgid } };
    case 'SpecialAttributeRegistered':
      return { type: 'SpecialAttributeRegistered', data: { ...visit, ...event.data } };
    case 'SpecialAttributesQueried':
      return { type: 'SpecialAttributesQueried', data: { ...visit, ...event.data } };
    case 'PlatformRefused':
      return { type: 'PlatformRequestRejected', data: { ...visit, ...event.data } };
    case 'RequestRefused':
      return { type: 'AdmissionRequestRefused', data: { ...visit, ...event.data } };
    case 'AnswerUnreadable':
      return { type: 'PlatformAnswerUnreadable', data: { ...visit, ...event.data, needs_person: true } };
    case 'RegistrationReversed':
      return { type: 'AdmissionRegistrationReversed', data: { ipt_no, ...event.data } };
    case 'RegistrationUncertain':
      return {
        type: 'AdmissionOutcomeUncertain',
        data: { ipt_no, infno: '2401', ...event.data, needs_person: true },
      };
    case 'OutcomeUncertain':
      return { type: 'AdmissionOutcomeUncertain', data: { ...visit, ...event.data, needs_person: true } };
    // RegistrationNotApplied: the next 2401's result follows; the reason is in the stream and the call journal.
    case 'AdmissionReceived':
    case 'RequestQueued':
    case 'PersonIdentified':
    case 'EntitlementChecked':
    case 'RegistrationOutcomeUnknown':
    case 'RegistrationNotApplied':
    case 'ReversalUnanswered':
    case 'ChangeOutcomeUnknown':
    case 'DischargeOutcomeUnknown':
    case 'FeeLinesNoted':
      return null;
  }
}

/**
 * AdmissionRegistered: the mdtrt_id, and who the person is as the 2401 was sent (参保地, 险种, 医疗类别, 人员类别),
 * which every later call of the visit must carry; other services read it from here, never from the hospital's area.
 */
function registration(
  ipt_no: string,
  registered: Extract<VisitEvent, { type: 'Registered' }>['data'],
  state: VisitState,
): DataOf<'AdmissionRegistered'> {
  return {
    ipt_no,
    mdtrt_id: registered.mdtrt_id,
    psn_no: state.psn_no!,
    msgid: registered.msgid,
    ...(state.insuplc_admdvs !== null && { insuplc_admdvs: state.insuplc_admdvs }),
    ...(state.insutype !== null && { insutype: state.insutype }),
    ...(state.admission && { med_type: state.admission.med_type }),
    ...(state.psn_type !== null && { psn_type: state.psn_type }),
  };
}
