// Losses a test seeds into a live chaos run, each the way it would happen for real: a legitimate HIS event in a
// dead-letter topic (as libs/messaging writes it), a HIS event a service's inbox already claims handled (so the
// service skips it: a loss nothing else shows), a 2301 sent to the sandbox outside our services (a charge
// the HIS never made), and two differences between the platform's books and ours that no fault of the run made —
// a settlement reversed at the centre's counter (2601) and one refunded at another till (2305). The harness must
// report each, naming the event, effect or difference.
import { createEnvelope, dlqTopic, parseMessage, type DataOf, type Envelope } from '@yb/contracts';
import { deadLetterRecord, openEnvelope, readTopic } from '@yb/messaging';
import {
  buildRequestEnvelope,
  platformClientConfigFromEnv,
  shanghaiSecondStamp,
  UNIFIED_PATH,
} from '@yb/platform-client';
import { databaseUrl, TEST_HOSPITAL, testHospitalEnv, withClient, testProducer } from '@yb/testing';
import { type LiveRun } from '../src/chaos-run';
import { type HisEvent, type ReconcileInput, type ResultMessage } from '../src/reconcile';

type FeeLine = DataOf<'FeeLinesCharged'>['lines'][number];

/** The record at a HIS event's position, as the simulator published it. */
async function recordOf(run: LiveRun, event: HisEvent) {
  const [record] = await readTopic(run.kafka, event.topic, {
    partition: event.partition,
    from: event.offset,
    limit: 1,
  });
  if (record?.offset !== event.offset)
    throw new Error(`no record at ${event.topic}/${event.partition}/${event.offset}`);
  return record;
}

/** Puts a copy of a legitimate HIS event's record into its dead-letter topic, as a consumer giving up would. */
export async function deadLetterLegitimateEvent(run: LiveRun, event: HisEvent): Promise<void> {
  const record = await recordOf(run, event);
  const { topic, message } = deadLetterRecord({
    ...record,
    groupId: 'seeded-by-the-test',
    reason: 'handler failed 5 times; last error: seeded by the test',
    attempts: 5,
    failedAt: new Date(),
  });
  const producer = testProducer(run.kafka);
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: [message] });
  } finally {
    await producer.disconnect();
  }
  if (topic !== dlqTopic(event.topic)) throw new Error(`dead letter went to ${topic}`);
}

/** A new FeeLinesCharged for the visit: one of its charged lines again under a new feedetl_sn. */
export async function newCharge(run: LiveRun, charged: HisEvent, feedetl_sn: string): Promise<Envelope> {
  const original = parseMessage(JSON.parse((await recordOf(run, charged)).value!.toString('utf8')));
  const charge = (original.data as DataOf<'FeeLinesCharged'>).lines.find((l: FeeLine) => !l.init_feedetl_sn);
  if (!charge) throw new Error(`${charged.ipt_no}: the event charges refunds only`);
  return createEnvelope({
    type: 'FeeLinesCharged',
    schemaVersion: 1,
    key: charged.ipt_no,
    data: { ipt_no: charged.ipt_no, lines: [{ ...charge, feedetl_sn }] },
  });
}

/** Marks the event handled in every consumer of the service's inbox, before the service reads it. */
export async function claimHandledInInbox(
  run: LiveRun,
  service: 'fee-detail',
  messageId: string,
): Promise<void> {
  const inbox = `"${run.hospital.schemaOf(service)}"."inbox"`;
  const inserted = await withClient(databaseUrl(), (c) =>
    c.query(
      `INSERT INTO ${inbox} (message_id, consumer) SELECT $1, consumer FROM ${inbox} GROUP BY consumer`,
      [messageId],
    ),
  );
  if (!inserted.rowCount) throw new Error(`${service}'s inbox has no consumer to claim ${messageId} for`);
}

/**
 * Sends the sandbox a 2301 for a registered visit outside our services, on a sign-in the hospital holds open (as
 * any other client of the hospital could): one of the visit's lines under a new feedetl_sn, the same charge twice
 * on the platform. Returns the 2301's msgid.
 */
export async function injectDuplicate2301(
  run: LiveRun,
  input: ReconcileInput,
  charged: HisEvent,
  feedetl_sn: string,
): Promise<string> {
  const { mdtrt_id, psn_no, insuplc_admdvs, med_type } = registrationOf(input, charged.ipt_no);
  const { lines } = (await newCharge(run, charged, feedetl_sn)).data as DataOf<'FeeLinesCharged'>;
  const { msgid } = await callOutsideOurServices(run, {
    infno: '2301',
    input: { feedetail: lines.map((l) => ({ ...l, mdtrt_id, psn_no, med_type: med_type ?? '21' })) },
    insuplc_admdvs,
    serial: '9999',
  });
  return msgid;
}

/** One of the run's settlements as the platform holds it, with the visit's registration. */
function platformSettlementOf(input: ReconcileInput, settled: ResultMessage) {
  const setl_id = String(settled.data['setl_id']);
  const settlement = input.ledger.settlements.find((s) => s.setl_id === setl_id);
  if (settlement?.status !== 'settled') throw new Error(`${setl_id} does not stand on the platform`);
  return { settlement, registration: registrationOf(input, settled.key) };
}

/**
 * The centre reverses one of the run's settlements at its counter (2601 of the saga's 2304, outside our
 * services): the platform no longer holds a settlement our ledger holds (HOSPITAL_ONLY). Returns its setl_id.
 */
export async function reverseSettlementOnPlatform(
  run: LiveRun,
  input: ReconcileInput,
  settled: ResultMessage,
): Promise<string> {
  const { settlement, registration } = platformSettlementOf(input, settled);
  await callOutsideOurServices(run, {
    infno: '2601',
    input: { data: { psn_no: registration.psn_no, omsgid: settlement.msgid, oinfno: '2304' } },
    insuplc_admdvs: registration.insuplc_admdvs,
    serial: '9998',
  });
  return settlement.setl_id;
}

/**
 * One of the run's settlements refunded at another till (2305 outside our services): the platform holds a refund
 * our ledger never heard of (PLATFORM_ONLY, a refund row). Returns the refund's setl_id.
 */
export async function refundSettlementOnPlatform(
  run: LiveRun,
  input: ReconcileInput,
  settled: ResultMessage,
): Promise<string> {
  const { settlement, registration } = platformSettlementOf(input, settled);
  const { output } = await callOutsideOurServices(run, {
    infno: '2305',
    input: {
      data: { mdtrt_id: settlement.mdtrt_id, setl_id: settlement.setl_id, psn_no: registration.psn_no },
    },
    insuplc_admdvs: registration.insuplc_admdvs,
    serial: '9997',
  });
  return (output as { setlinfo: { setl_id: string } }).setlinfo.setl_id;
}

/** The visit's AdmissionRegistered as our services published it. */
function registrationOf(input: ReconcileInput, ipt_no: string): DataOf<'AdmissionRegistered'> {
  const registration = input.results.find((r) => r.type === 'AdmissionRegistered' && r.key === ipt_no);
  if (!registration) throw new Error(`${ipt_no} is not registered`);
  // psn_no travels sealed on our topics (the harness's results keep it so: the reconciliation never reads it).
  return openEnvelope(registration).data as DataOf<'AdmissionRegistered'>;
}

/**
 * Sends the sandbox one call outside our services, on a sign-in the hospital holds open (as any other client of
 * the hospital could: another till, the centre's counter). `serial` ends the msgid, so that calls made within
 * one second differ. Refused: an error.
 */
async function callOutsideOurServices(
  run: LiveRun,
  call: { infno: string; input: unknown; insuplc_admdvs: string | undefined; serial: string },
): Promise<{ msgid: string; output: unknown }> {
  const config = platformClientConfigFromEnv(testHospitalEnv(run.hospital.sim.url, 'unused'));
  const { signIns } = await run.hospital.sim.admin<{ signIns: { sign_no: string; signed_out: boolean }[] }>(
    'GET',
    '/sim/ledger',
  );
  const open = signIns.find((s) => !s.signed_out);
  if (!open) throw new Error('the hospital holds no open sign-in on the sandbox');
  const at = new Date();
  const msgid = `${TEST_HOSPITAL.fixmedins_code}${shanghaiSecondStamp(at)}${call.serial}`;
  const envelope = buildRequestEnvelope(config, {
    infno: call.infno,
    msgid,
    input: call.input,
    at,
    operator: TEST_HOSPITAL.operator,
    sign_no: open.sign_no,
    insuplc_admdvs: call.insuplc_admdvs,
  });
  const response = await fetch(`${run.hospital.sim.url}${UNIFIED_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json;charset=utf-8' },
    body: JSON.stringify(envelope),
  });
  const answer = (await response.json()) as { infcode: number | string; err_msg?: string; output?: unknown };
  if (Number(answer.infcode) !== 0)
    throw new Error(`${call.infno} refused: ${answer.err_msg ?? response.status}`);
  return { msgid, output: answer.output };
}
