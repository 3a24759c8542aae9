import { randomUUID } from 'node:crypto';
import { createEnvelope, PatientAdmittedV1, type Envelope } from '@yb/contracts';
import { KafkaPublisher } from '@yb/messaging';
import { PlatformCallJournal } from '@yb/platform-client';
import { createTestTopics, testKafka, uniqueName, waitFor } from '@yb/testing';
import Decimal from 'decimal.js';
import { EventStore } from '@yb/event-store';
import { FeeLedgerWorkflow } from '../src/fee-ledger/fee-ledger-workflow';
import { ConsumptionWatermark } from '../src/fee-ledger/consumption-watermark';
import { CATCHING_UP_RETRY_MS, FeeUploader } from '../src/platform/fee-uploader';
import { FeeDetailHarness } from './support/fee-detail-harness';
import { AMOXICILLIN, BED, CEFTRIAXONE, line, PERSONS, type SimVisit } from './support/test-fees';

// fee-detail over the real Kafka and PostgreSQL, against the simulated platform in a child process. The
// admission service is not part of this app: the test registers visits with 2401 itself and publishes the
// AdmissionRegistered result the admission service would.

describe('fee-detail service (Kafka + PostgreSQL + platform simulator)', () => {
  const h = new FeeDetailHarness();
  const published: Envelope[] = [];
  const mdtrtIds: Record<string, string> = {};

  beforeAll(() => h.start('fee_detail', { batchSize: 2, timeoutMs: 1_500 }), 120_000);
  const laterDeleted: { delete(): Promise<void> }[] = [];
  afterAll(async () => {
    await h.stop();
    for (const topics of laterDeleted) await topics.delete();
  }, 60_000);

  const simVisit = (ipt_no: string) => h.sim.admin<SimVisit>('GET', `/sim/ledger/visits/${mdtrtIds[ipt_no]}`);
  const activeLines = async (ipt_no: string) =>
    (await simVisit(ipt_no)).feeLines.filter((l) => l.status === 'uploaded');

  async function admitAndRegister(
    ipt_no: string,
    person: (typeof PERSONS)['A'],
    beforeRegistration: () => Promise<void>,
  ) {
    const { psn_no, insutype, insuplc_admdvs } = person;
    published.push(
      await h.publish('PatientAdmitted', ipt_no, {
        ...PatientAdmittedV1.example,
        ipt_no,
        psn_no,
        insutype,
        insuplc_admdvs,
      }),
    );
    await beforeRegistration();
    const { mdtrt_id, msgid } = await h.register(ipt_no, psn_no, insutype, insuplc_admdvs);
    mdtrtIds[ipt_no] = mdtrt_id;
    published.push(await h.publish('AdmissionRegistered', ipt_no, { ipt_no, mdtrt_id, psn_no, msgid }));
  }

  const sortedSns = (lines: { feedetl_sn: string }[]) => lines.map((l) => l.feedetl_sn).sort();

  it('uploads several days of fees, charged before and after registration, with a refund and a void', async () => {
    const ipt_no = 'ZY-FD-A';
    await admitAndRegister(ipt_no, PERSONS.A, async () => {
      published.push(
        await h.publish('FeeLinesCharged', ipt_no, {
          ipt_no,
          lines: [
            line('A1', 1, BED, '1', '50'),
            line('A2', 1, AMOXICILLIN, '2', '18.3'),
            line('A3', 1, CEFTRIAXONE, '1', '45'),
          ],
        }),
      );
    });
    published.push(
      await h.publish('FeeLinesCharged', ipt_no, {
        ipt_no,
        lines: [line('A4', 2, BED, '1', '50'), line('A5', 2, AMOXICILLIN, '-1', '18.3', 'A2')],
      }),
    );
    published.push(
      await h.publish('FeeLinesCharged', ipt_no, {
        ipt_no,
        lines: [line('A6', 3, AMOXICILLIN, '3', '18.3')],
      }),
    );
    // Voided once on the platform (a line voided before its batch went is only withdrawn: no 2302).
    await waitFor('A4 uploaded', () =>
      h.resultsOf('FeeLinesUploaded', ipt_no).find((m) => m.data.lines.some((l) => l.feedetl_sn === 'A4')),
    );
    published.push(
      await h.publish('FeeLinesVoided', ipt_no, { ipt_no, feedetl_sns: ['A4'], reason: '误收费' }),
    );

    await waitFor('A4 revoked on the platform', () => h.resultsOf('FeeLinesRevoked', ipt_no)[0]);
    const active = await waitFor('the active lines on the platform', async () => {
      const lines = await activeLines(ipt_no);
      return sortedSns(lines).join() === 'A1,A2,A3,A5,A6' ? lines : undefined;
    });

    const uploaded = h.resultsOf('FeeLinesUploaded', ipt_no).flatMap((m) => m.data.lines);
    expect(sortedSns(uploaded)).toEqual(['A1', 'A2', 'A3', 'A4', 'A5', 'A6']);
    for (const simLine of active) {
      const result = uploaded.find((l) => l.feedetl_sn === simLine.feedetl_sn)!;
      expect(result).toMatchObject({
        det_item_fee_sumamt: simLine.det_item_fee_sumamt,
        chrgitm_lv: simLine.chrgitm_lv,
      });
    }
    const voided = (await simVisit(ipt_no)).feeLines.find((l) => l.feedetl_sn === 'A4')!;
    expect(voided.status).toBe('revoked');
    expect(h.resultsOf('FeeLinesRevoked', ipt_no)[0].data).toMatchObject({
      cause: 'VOID',
      feedetl_sns: ['A4'],
      msgid: voided.revokedByMsgid,
    });
    // 50.00 + 36.60 + 45.00 - 18.30 + 54.90
    expect(new Decimal((await simVisit(ipt_no)).uploadedTotal).toFixed(2)).toBe('168.20');
  }, 60_000);

  it('holds the lines of a visit registered in an unknown area (AdmissionRegistered v1) until the HIS names it', async () => {
    const ipt_no = 'ZY-FD-E';
    const { psn_no, insutype, insuplc_admdvs } = PERSONS.C;
    // The HIS knows the person only by certificate: no area in its admission.
    const { psn_no: _known, ...certificateOnly } = PatientAdmittedV1.example;
    await h.publish('PatientAdmitted', ipt_no, { ...certificateOnly, ipt_no, insutype });
    const { mdtrt_id, msgid } = await h.register(ipt_no, psn_no, insutype, insuplc_admdvs);
    mdtrtIds[ipt_no] = mdtrt_id;
    await h.publish('FeeLinesCharged', ipt_no, { ipt_no, lines: [line('E1', 1, BED, '1', '50')] });
    // A registration recorded before v2 names no area.
    await h.publish('AdmissionRegistered', ipt_no, { ipt_no, mdtrt_id, psn_no, msgid });

    const held = await waitFor('InsuredAreaMissing', () => h.resultsOf('InsuredAreaMissing', ipt_no)[0]);
    expect(held.data).toMatchObject({
      mdtrt_id,
      service: 'fee-detail',
      held: ['2301', '2302'],
      needs_person: true,
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await activeLines(ipt_no)).toEqual([]);

    // A person has the HIS name the area: the line goes up, routed to Beijing.
    await h.publish('AdmissionChanged', ipt_no, { ...certificateOnly, ipt_no, insutype, insuplc_admdvs });
    const [uploaded] = await waitFor('E1 on the platform', async () => {
      const lines = await activeLines(ipt_no);
      return lines.length === 1 ? lines : undefined;
    });
    expect(uploaded!.feedetl_sn).toBe('E1');
    const { messages } = await h.sim.admin<{ messages: { msgid: string; insuplc_admdvs?: string }[] }>(
      'GET',
      '/sim/ledger',
    );
    expect(messages.find((m) => m.msgid === uploaded!.msgid)?.insuplc_admdvs).toBe('110000');
    expect(h.resultsOf('InsuredAreaMissing', ipt_no)).toHaveLength(1);
  });

  it('lines a process recorded but died before uploading are uploaded by the next worker, found by their mark', async () => {
    const ipt_no = 'ZY-FD-MARK';
    const { psn_no, insutype, insuplc_admdvs } = PERSONS.D;
    const { mdtrt_id } = await h.register(ipt_no, psn_no, insutype, insuplc_admdvs);
    mdtrtIds[ipt_no] = mdtrt_id;
    // What a handler records before the process dies: no message, nobody scheduled the visit in this process.
    const ledgers = new FeeLedgerWorkflow(new EventStore(h.dataSource), h.topics.names.insurance);
    await ledgers.execute(ipt_no, { type: 'NoteAdmission', med_type: '21', insuplc_admdvs });
    await ledgers.execute(ipt_no, { type: 'RegisterVisit', registration: { mdtrt_id, psn_no } });
    await ledgers.execute(ipt_no, { type: 'ChargeFeeLines', lines: [line('M1', 1, BED, '1', '50')] });
    expect(await ledgers.owedVisits()).toContain(ipt_no);

    await waitFor('M1 uploaded by the sweep', async () =>
      (await activeLines(ipt_no)).find((l) => l.feedetl_sn === 'M1'),
    );
    await waitFor('the mark cleared', async () =>
      (await ledgers.owedVisits()).includes(ipt_no) ? undefined : true,
    );
  }, 60_000);

  it('answers a totals question only once fee-detail has consumed what was published before it (a watermark)', async () => {
    const ipt_no = 'ZY-FD-WM';
    const kafka = testKafka();
    const topics = await createTestTopics(['his']);
    const admin = kafka.admin();
    await admin.connect();
    try {
      // Records on the HIS topic before the question: the group below has not consumed them yet.
      const publisher = new KafkaPublisher(kafka);
      await publisher.connect();
      for (const n of [1, 2, 3])
        await publisher.publish(
          topics.names.his,
          createEnvelope({
            type: 'FeeLinesVoided',
            schemaVersion: 1,
            key: `K${n}`,
            data: { ipt_no: `K${n}`, feedetl_sns: ['X'] },
          }),
        );
      await publisher.disconnect();
      const groupId = uniqueName('fee-detail-wm');
      // The group's consumer skips those records (not fee-detail's types): it commits them when the watermark
      // asks it to (KafkaConsumerHost.commitSkippedOffsets), once it has read them.
      let skippedThem = false;
      const commitSkipped = async () => {
        if (skippedThem)
          await admin.setOffsets({
            groupId,
            topic: topics.names.his,
            partitions: [{ partition: 0, offset: '3' }],
          });
      };
      const watermark = new ConsumptionWatermark(
        async () => admin,
        groupId,
        [topics.names.his],
        commitSkipped,
      );
      const ledgers = new FeeLedgerWorkflow(new EventStore(h.dataSource), h.topics.names.insurance);
      const uploader = new FeeUploader(
        ledgers,
        h.testClient,
        new PlatformCallJournal(h.dataSource),
        { batchSize: 2 },
        watermark,
      );
      const consumed_through = await watermark.capture();
      expect(consumed_through).toEqual([{ topic: topics.names.his, partition: 0, offset: '3' }]);
      await ledgers.execute(ipt_no, { type: 'NoteAdmission', med_type: '21', insuplc_admdvs: '420100' });
      await ledgers.execute(ipt_no, {
        type: 'RequestReconciliation',
        request: {
          message_id: randomUUID(),
          correlation_id: randomUUID(),
          his_sumamt: '0.00',
          consumed_through,
        },
      });

      // Looked at again soon, then less and less often while the group has not consumed that far.
      const { first, max } = CATCHING_UP_RETRY_MS;
      const waits = [];
      for (let i = 0; i < 8; i++) waits.push(await uploader.drive(ipt_no));
      expect(waits.map((w) => ('againInMs' in w ? w.againInMs : w))).toEqual(
        Array.from({ length: 8 }, (_, i) => Math.min(first * 2 ** i, max)),
      );
      expect((await ledgers.load(ipt_no)).state.reconciliation).not.toBeNull();

      // The group's consumer has read the records, and commits them as the watermark looks: the question is answered.
      skippedThem = true;
      // The answer's append left nothing owed: it cleared the visit's mark itself.
      expect(await uploader.drive(ipt_no)).toEqual({
        owedNothingAsOf: expect.any(Number),
        markCleared: true,
      });
      expect((await ledgers.load(ipt_no)).state.reconciliation).toBeNull();
    } finally {
      await admin.disconnect();
      // Deleted at the end: the harness's own worker may still be looking at this visit's question.
      laterDeleted.push(topics);
    }
  }, 60_000);

  it('the same HIS events published twice change nothing', async () => {
    const ipt_no = 'ZY-FD-A';
    const before = await simVisit(ipt_no);
    const resultCount = h.results.length;
    for (const envelope of published)
      await h.publish(envelope.type as 'FeeLinesCharged', ipt_no, undefined, envelope);
    // A new line after the replays, on the same partition: once it is up, the replays were handled.
    await h.publish('FeeLinesCharged', ipt_no, { ipt_no, lines: [line('A7', 4, BED, '1', '50')] });
    await waitFor('A7 uploaded', () =>
      h.resultsOf('FeeLinesUploaded', ipt_no).find((m) => m.data.lines[0].feedetl_sn === 'A7'),
    );

    const after = await simVisit(ipt_no);
    expect(after.feeLines.filter((l) => l.feedetl_sn !== 'A7')).toEqual(before.feeLines);
    const visitResults = h.results.slice(resultCount).filter((m) => m.key === ipt_no);
    expect(visitResults.map((m) => m.type)).toEqual(['FeeLinesUploaded']);
  }, 60_000);

  it('a 2301 applied but unanswered (timeout) is revoked line by line and uploaded again: each line once', async () => {
    const ipt_no = 'ZY-FD-B';
    await h.sim.admin('POST', '/sim/faults', {
      infno: '2301',
      mode: 'timeout-after-apply',
      latencyMs: 4_000,
      times: 1,
    });
    await admitAndRegister(ipt_no, PERSONS.B, async () => undefined);
    await h.publish('FeeLinesCharged', ipt_no, {
      ipt_no,
      lines: [
        line('B1', 1, BED, '1', '50'),
        line('B2', 1, AMOXICILLIN, '1', '18.3'),
        line('B3', 1, CEFTRIAXONE, '2', '45'),
      ],
    });

    await waitFor('B1..B3 uploaded', () => {
      const sns = h
        .resultsOf('FeeLinesUploaded', ipt_no)
        .flatMap((m) => m.data.lines.map((l) => l.feedetl_sn));
      return sns.sort().join() === 'B1,B2,B3' ? sns : undefined;
    });
    const lines = (await simVisit(ipt_no)).feeLines;
    const active = lines.filter((l) => l.status === 'uploaded');
    expect(sortedSns(active)).toEqual(['B1', 'B2', 'B3']);
    // The first batch reached the platform once, was revoked, and went up again under a new msgid.
    const revoked = lines.filter((l) => l.status === 'revoked');
    expect(sortedSns(revoked)).toEqual(['B1', 'B2']);
    const unknownMsgid = revoked[0].msgid;
    expect(active.filter((l) => l.msgid === unknownMsgid)).toEqual([]);
    expect(await h.journal.find(unknownMsgid)).toMatchObject({
      infno: '2301',
      status: 'RESOLVED',
      resolution: { outcome: 'UNDONE' },
    });
  }, 60_000);

  it('drifted totals are re-synchronised (2302 "0000", full re-upload) before the answer "in agreement"', async () => {
    const ipt_no = 'ZY-FD-A';
    const his_sumamt = (await simVisit(ipt_no)).uploadedTotal;
    // Someone revokes A3 at the platform's own front end: the platform now holds less than the HIS charged.
    const revocation = await h.testClient.call(
      '2302',
      { data: [{ feedetl_sn: 'A3', mdtrt_id: mdtrtIds[ipt_no], psn_no: PERSONS.A.psn_no }] },
      { visitKey: ipt_no, insuplc_admdvs: PERSONS.A.insuplc_admdvs },
    );
    expect(revocation.status).toBe('SUCCEEDED');
    const platform_sumamt = (await simVisit(ipt_no)).uploadedTotal;
    expect(new Decimal(platform_sumamt).eq(his_sumamt)).toBe(false);

    const command = await h.publish('ReconcileFeeTotals', ipt_no, { ipt_no, his_sumamt, platform_sumamt });
    const answer = await waitFor('the answer', () => h.resultsOf('FeeTotalsReconciled', ipt_no)[0]);

    expect(answer.causationId).toBe(command.id);
    expect(answer.data).toMatchObject({ mdtrt_id: mdtrtIds[ipt_no], agreed: true, resynchronised: true });
    expect(new Decimal(answer.data.platform_sumamt).eq(his_sumamt)).toBe(true);
    expect(h.resultsOf('FeeLinesRevoked', ipt_no).map((m) => m.data)).toContainEqual(
      expect.objectContaining({ cause: 'RESYNC', feedetl_sns: ['0000'] }),
    );
    const after = await simVisit(ipt_no);
    expect(new Decimal(after.uploadedTotal).eq(his_sumamt)).toBe(true);
    expect(sortedSns(after.feeLines.filter((l) => l.status === 'uploaded'))).toEqual([
      'A1',
      'A2',
      'A3',
      'A5',
      'A6',
      'A7',
    ]);
  }, 60_000);
});
