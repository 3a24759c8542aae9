import { type KafkaConsumerHost } from '@yb/messaging';
import { type PlatformWorker } from '@yb/service-runtime';
import { insuredArea } from '../saga/saga.state';
import { type SettlementWorkflow } from '../saga/settlement-workflow';
import { type SlipWorkflow } from '../slip/slip-workflow';

/**
 * A recorded settlement (its own Settled, read back from insurance.inpatient) owes the platform's slip: noted in
 * the slip's stream (inbox: once per Settled) and handed to the slip worker; the consumer never waits for YH03.
 */
export function registerSlipHandlers(
  host: KafkaConsumerHost,
  sagas: Pick<SettlementWorkflow, 'load'>,
  slips: SlipWorkflow,
  worker: Pick<PlatformWorker, 'schedule'>,
): void {
  host.handle('Settled', async ({ envelope }) => {
    const { ipt_no, mdtrt_id, setl_id } = envelope.data;
    const { visit } = await sagas.load(ipt_no);
    const psn_no = envelope.data.psn_no ?? visit.psn_no;
    const insuplc_admdvs = insuredArea(visit);
    // A settlement is made only for a registered visit in a known area: without them this is not ours.
    if (psn_no === null || insuplc_admdvs === null) {
      throw new Error(`settlement ${setl_id} of ${ipt_no}: no person or insured area recorded for the visit`);
    }
    await slips.execute(
      setl_id,
      { type: 'OweSlip', slip: { ipt_no, mdtrt_id, setl_id, psn_no, insuplc_admdvs } },
      { cause: { id: envelope.id, correlationId: envelope.correlationId }, consumer: 'settlement.slip' },
    );
    worker.schedule(setl_id, 0);
  });
}
