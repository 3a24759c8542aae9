import {
  missingFields,
  PlatformCallJournal,
  PlatformReversalError,
  reversalRefusalMeaning,
  reversalVerdict,
  type PlatformClient,
  type TypedInterfaces,
} from '@yb/platform-client';
import { type PlatformAnswer, type ReversalAnswer, type SettlementInfno } from '../saga/saga.commands';
import { insuredArea, settlementCertificate, type PendingStep, type SagaState } from '../saga/saga.state';

type Input<I extends keyof TypedInterfaces> = TypedInterfaces[I]['input'];
type PlatformStep = Extract<PendingStep, { kind: 'platform' }>;

/**
 * The saga's own platform calls: 2303/2304/2305 through the PlatformClient (journaled before sending) and
 * 2601 through client.reverse. Each send carries the key of its saga, step and attempt: after a crash, the same
 * step asked for again is answered from the journal (an interrupted send as UNKNOWN, hence reversed) instead of
 * being sent twice; a retry is a new attempt, hence a new key and a new msgid.
 */
export class SettlementCalls {
  private readonly journal: PlatformCallJournal;

  constructor(
    private readonly client: PlatformClient,
    dataSource: ConstructorParameters<typeof PlatformCallJournal>[0],
  ) {
    this.journal = new PlatformCallJournal(dataSource);
  }

  async send(ipt_no: string, state: SagaState, pending: PlatformStep): Promise<PlatformAnswer> {
    const saga = state.saga!;
    const attempt = saga.attempts[pending.step] ?? 1;
    const { visit } = state;
    // The saga starts only in a known area (AREA_MISSING otherwise): never the hospital's own.
    const insuplc_admdvs = insuredArea(visit)!;
    const result = await this.client.call(pending.infno, inputOf(state, pending), {
      visitKey: ipt_no,
      insuplc_admdvs,
      patientKind: { insutype: visit.insutype ?? undefined, psn_type: visit.psn_type ?? undefined },
      requestKey: `${saga.saga_id}:${pending.step}:${attempt}`,
    });
    const base = { infno: pending.infno, msgid: result.msgid };
    switch (result.status) {
      case 'SUCCEEDED': {
        // The rest keeps infno and output paired (one member per interface), so the decider's switch narrows it.
        const { attempts: _attempts, infcode: _infcode, warn_msg: _warn, ...answer } = result;
        return answer;
      }
      case 'APPLIED_UNREADABLE':
        return { ...base, status: 'APPLIED_UNREADABLE', missing: missingFields(result.problems) };
      case 'REJECTED':
        return { ...base, status: 'REJECTED', err_msg: result.err_msg };
      case 'UNKNOWN':
        return { ...base, status: 'UNKNOWN', reason: result.reason };
    }
  }

  /**
   * 2601 of `omsgid`; a reversal already recorded is answered from the journal by the client. A 2601 a dead
   * process left in flight (its original REVERSING) is sent again: a second 2601 of an applied one is refused as
   * already reversed, which the saga reads as reversed.
   */
  async reverse(omsgid: string): Promise<ReversalAnswer> {
    const row = await this.journal.find(omsgid);
    if (row?.status === 'REVERSING') await this.journal.markInterrupted(omsgid, 0);
    try {
      const result = await this.client.reverse(omsgid);
      return {
        omsgid,
        status: result.status,
        verdict: reversalVerdict(result.status, result.err_msg),
        ...(result.reversalMsgid && { reversal_msgid: result.reversalMsgid }),
        ...(result.err_msg !== undefined && { err_msg: result.err_msg }),
        ...(result.status === 'REVERSAL_REFUSED' && { refusal: reversalRefusalMeaning(result.err_msg) }),
      };
    } catch (err) {
      // e.g. no psn_no on the row: the reversal cannot run, which a person must resolve.
      if (err instanceof PlatformReversalError) {
        return { omsgid, status: 'UNKNOWN', verdict: 'needs-person', err_msg: err.message };
      }
      throw err;
    }
  }
}

/** The wire input of 2303/2304/2305, in the platform's field names, from what the saga holds. */
export function inputOf(state: SagaState, pending: PlatformStep): Input<SettlementInfno> {
  const { visit } = state;
  const saga = state.saga!;
  const psn_no = visit.psn_no!;
  const mdtrt_id = visit.mdtrt_id!;
  if (pending.infno === '2305') {
    return { data: { mdtrt_id, setl_id: saga.cancel!.setl_id, psn_no } } satisfies Input<'2305'>;
  }
  const request = saga.request!;
  // The certificate presented at discharge (an e-voucher token is fresh only now), else the admission's where
  // the HIS said it still holds; the saga does not start without one.
  const certificate = settlementCertificate(visit, request)!;
  const data = {
    psn_no,
    ...certificate,
    medfee_sumamt: request.medfee_sumamt,
    psn_setlway: request.psn_setlway,
    mdtrt_id,
    // The cashier's choice at confirmation, else the HIS's request.
    acct_used_flag: saga.acct_used_flag ?? request.acct_used_flag,
    insutype: visit.insutype!,
    mid_setl_flag: request.mid_setl_flag,
    ...(request.invono !== undefined && { invono: request.invono }),
  };
  // The policy-range amounts are the sums of the settled lines' 2301 answers (fee-detail's totals answer); a
  // saga whose answer lacked them (a line's answer unreadable) sends 2303's required four as zero, 2304 none.
  const policy = saga.policyAmounts;
  if (pending.infno === '2304') return { data: { ...data, ...policy } } satisfies Input<'2304'>;
  const zero = { fulamt_ownpay_amt: '0', overlmt_selfpay: '0', preselfpay_amt: '0', inscp_scp_amt: '0' };
  return { data: { ...data, ...(policy ?? zero) } } satisfies Input<'2303'>;
}
