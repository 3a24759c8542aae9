import { commandTopic, createEnvelope, operatorExample, Topics } from '@yb/contracts';
import { testFeeLine, waitFor } from '@yb/testing';
import Decimal from 'decimal.js';
import { AMOXICILLIN, SettlementTestbed } from './support/settlement-hospital';

// A fee line whose hospital item is not mapped yet, over the real stack (admission, fee-detail, settlement as
// child processes, the platform simulator, Kafka, PostgreSQL): fee-detail holds it, the saga's totals question
// is answered "not in agreement" naming it, so the settlement fails with that reason for the billing office
// and nothing is settled; once the catalogue publishes the mapping the line goes up and a retry settles.

describe('settlement while a fee line is held for its item mapping', () => {
  let testbed: SettlementTestbed;

  beforeAll(async () => {
    testbed = await SettlementTestbed.start({
      label: 'held',
      services: ['admission', 'fee-detail', 'settlement'],
      serviceEnv: { settlement: { SETTLEMENT_AUDIT_ENABLED: 'false' } },
    });
  }, 180_000);

  afterAll(async () => {
    await testbed?.stop();
  }, 60_000);

  it('refuses to settle while the line is held, and settles once the mapping released and uploaded it', async () => {
    const visit = testbed.visit('H');
    await visit.admitAndCharge();
    const item = `YP-${visit.ipt_no}`;
    const { med_list_codg: _national, ...charged } = testFeeLine(
      `${visit.ipt_no}-H1`,
      2,
      'unused',
      '1',
      '18.3',
    );
    const heldLine = { ...charged, medins_list_codg: item };
    await testbed.publisher.publish(
      testbed.hospital.topics.hisInpatient,
      createEnvelope({
        type: 'FeeLinesCharged',
        schemaVersion: 1,
        key: visit.ipt_no,
        data: { ipt_no: visit.ipt_no, lines: [heldLine] },
      }),
    );
    await waitFor('the held line', () => testbed.resultsOf('FeeLinesHeld', visit.ipt_no)[0]);
    const total = new Decimal(visit.total).plus(heldLine.det_item_fee_sumamt).toFixed(2);
    await visit.discharge();
    await visit.requestSettlement('0', total);

    const failed = await testbed.terminal(visit.ipt_no);
    expect(failed.saga_state).toBe('FAILED');
    const [settlementFailed] = await waitFor('SettlementFailed', () => {
      const found = testbed.resultsOf('SettlementFailed', visit.ipt_no);
      return found.length > 0 ? found : undefined;
    });
    expect(settlementFailed.data.step).toBe('FEE_RECONCILIATION');
    expect(settlementFailed.data.reason).toContain(
      `1条明细暂挂未上传(院内项目尚无医保目录对照)：${heldLine.feedetl_sn}[${item}]`,
    );
    expect(testbed.resultsOf('Settled', visit.ipt_no)).toEqual([]);

    await testbed.publisher.publish(
      testbed.hospital.topic(Topics.catalogueMappings),
      createEnvelope({
        type: 'ItemMappingPublished',
        schemaVersion: 1,
        key: item,
        data: {
          fixmedins_hilist_id: item,
          status: 'mapped',
          med_list_codg: AMOXICILLIN,
          list_type: '101',
          begndate: '2024-01-01',
          mapped_by: 'zhangli',
        },
      }),
    );
    await waitFor('the held line uploaded', () =>
      testbed
        .resultsOf('FeeLinesUploaded', visit.ipt_no)
        .find((m) => m.data.lines.some((l) => l.feedetl_sn === heldLine.feedetl_sn)),
    );
    await testbed.publisher.publish(
      testbed.hospital.topic(commandTopic('settlement')),
      createEnvelope({
        type: 'RetrySettlement',
        schemaVersion: 1,
        key: visit.ipt_no,
        data: {
          ipt_no: visit.ipt_no,
          saga_id: failed.saga_id,
          comment: '目录对照已确认',
          requested_by: operatorExample,
        },
      }),
    );
    const retried = await testbed.terminal(visit.ipt_no, { saga_id: `setl-${visit.ipt_no}-2` });
    expect(retried.saga_state).toBe('SETTLED');
    const settled = await testbed.resultOf('Settled', visit.ipt_no);
    expect(settled.data.medfee_sumamt).toBe(total);
  }, 240_000);
});
