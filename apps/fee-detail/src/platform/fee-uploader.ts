import { type AggregatedStream, type HandleCommandResult } from '@yb/event-store';
import {
  missingFields,
  REVOKE_ALL_FEE_DETAILS,
  type CallResolution,
  type PlatformCallJournal,
  type PlatformCallRecord,
  type PlatformClient,
} from '@yb/platform-client';
import { type ClaimedKey, type OwedNothing, type RunAgain } from '@yb/service-runtime';
import { type FeeLedgerWorkflow } from '../fee-ledger/fee-ledger-workflow';
import { type FeeLedgerCommand } from '../fee-ledger/fee-ledger.commands';
import { type FeeLedgerEvent, type LineRefusal } from '../fee-ledger/fee-ledger.events';
import { insuredArea, type FeeLedgerState, type InFlightBatch } from '../fee-ledger/fee-ledger.state';
import { nextPlatformStep, type PlatformStep } from '../fee-ledger/next-platform-step';
import { type ConsumptionWatermark } from '../fee-ledger/consumption-watermark';
import { feeDetailRow, lineAnswer } from './fee-detail-wire';

export interface FeeUploaderOptions {
  /** Lines per 2301 call (default 50). */
  batchSize: number;
}

/**
 * How soon a totals question is looked at again while fee-detail has not consumed up to it: soon at first (what it
 * waits for is usually one offset commit away, the settlement's report published beside the question), then
 * doubling, so that a question waiting out a backlog asks the broker a few times a second at most.
 */
export const CATCHING_UP_RETRY_MS = { first: 5, max: 200 };

/**
 * A visit's ledger and the version it was folded up to; `markCleared` when the uploader's append that left it
 * owing nothing cleared the visit's mark (and lease) too.
 */
type Ledger = AggregatedStream<FeeLedgerState> & { readonly markCleared?: boolean };

/** A 2302 whose outcome is unknown: the visit's work stops here and is taken up again later. */
export class FeeUploadStalled extends Error {
  override readonly name = 'FeeUploadStalled';
}

interface RegisteredVisit {
  ipt_no: string;
  mdtrt_id: string;
  psn_no: string;
  med_type: string;
  insuplc_admdvs: string;
}

/**
 * Carries a visit's ledger to the platform, one step at a time (nextPlatformStep): every step is recorded in
 * the ledger before (the batch about to go) and after (the platform's answer) its call, and every call is
 * journaled by the PlatformClient. One uploader per visit at a time, across replicas (the worker's lease on
 * the visit's mark), so a batch found in flight is one whose sender died or whose outcome is unknown.
 */
export class FeeUploader {
  /** The next wait of each visit whose totals question waits for the consumer (CATCHING_UP_RETRY_MS). */
  private readonly catchingUp = new Map<string, number>();

  constructor(
    private readonly ledgers: FeeLedgerWorkflow,
    private readonly client: PlatformClient,
    private readonly journal: PlatformCallJournal,
    private readonly options: FeeUploaderOptions,
    private readonly watermark: Pick<ConsumptionWatermark, 'reached'>,
  ) {}

  /**
   * Runs the visit's steps until it owes the platform nothing, then says so (the worker clears its mark); throws FeeUploadStalled
   * on an unknown 2302 (the mark stays: the visit is taken up again). A totals question waits (RunAgain) until
   * fee-detail has consumed what was published before it: the lines it is about may still be on their way.
   * Starts from the ledger as it stood when the lease was claimed (`claimed`): one held at that version is not read.
   */
  async drive(ipt_no: string, claimed?: ClaimedKey): Promise<OwedNothing | RunAgain> {
    let ledger: Ledger = await this.ledgers.load(ipt_no, claimed?.streamVersion);
    for (;;) {
      const { state, version, markCleared } = ledger;
      const step = nextPlatformStep(state);
      // The step's append that left nothing owed cleared the mark; else the worker clears it with the lease's
      // release (one statement for both).
      if (!step) {
        // A question answered or withdrawn while it waited leaves no wait behind.
        this.catchingUp.delete(ipt_no);
        return { owedNothingAsOf: version, markCleared };
      }
      if (step.kind === 'revoke-all' || step.kind === 'answer-reconciliation') {
        const consumedThrough = state.reconciliation?.request.consumed_through ?? [];
        if (!(await this.watermark.reached(consumedThrough))) return { againInMs: this.catchUpWait(ipt_no) };
        this.catchingUp.delete(ipt_no);
      }
      // The ledger the step's own append left, not read back (a round trip per step): lines consumed since are
      // a later mark, which clearOwed(version) leaves, and the next step's append decides on a fresh read anyway.
      ledger = await this.run(ipt_no, state, step);
    }
  }

  private catchUpWait(ipt_no: string): number {
    const wait = this.catchingUp.get(ipt_no) ?? CATCHING_UP_RETRY_MS.first;
    this.catchingUp.set(ipt_no, Math.min(wait * 2, CATCHING_UP_RETRY_MS.max));
    return wait;
  }

  /**
   * PlatformClient.recover()'s resolver for this service's calls left UNKNOWN or PENDING by a crash: the
   * visit is driven, which undoes a batch still in flight (2302 line by line) and resends owed revocations.
   */
  async resolveCall(call: PlatformCallRecord): Promise<CallResolution> {
    if (call.infno !== '2301' && call.infno !== '2302') {
      throw new Error(`fee-detail does not resolve ${call.infno} calls`);
    }
    const driven = await this.drive(call.visitKey);
    if ('owedNothingAsOf' in driven && !driven.markCleared)
      await this.ledgers.clearOwed(call.visitKey, driven.owedNothingAsOf);
    return call.infno === '2301'
      ? {
          outcome: 'UNDONE',
          note: 'the batch was revoked line by line (2302) and uploaded again with a new msgid',
        }
      : { outcome: 'APPLIED', note: 'the revocation was sent again; revoking twice has one effect' };
  }

  private async run(ipt_no: string, state: FeeLedgerState, step: PlatformStep): Promise<Ledger> {
    const execute = (command: FeeLedgerCommand) => this.record(ipt_no, command);
    switch (step.kind) {
      case 'upload-batch':
        return this.uploadBatch(ipt_no);
      case 'undo-batch':
        return this.undoBatch(this.visitOf(ipt_no, state), step.batch);
      case 'revoke-lines': {
        const result = await this.revoke(this.visitOf(ipt_no, state), step.feedetl_sns);
        if (result.status === 'UNKNOWN') throw new FeeUploadStalled(`2302 ${result.msgid}: ${result.reason}`);
        return execute(
          result.status !== 'REJECTED'
            ? { type: 'RecordLinesRevoked', msgid: result.msgid, feedetl_sns: step.feedetl_sns }
            : {
                type: 'RecordRevocationRejected',
                msgid: result.msgid,
                feedetl_sns: step.feedetl_sns,
                err_msg: result.err_msg,
              },
        );
      }
      case 'revoke-all': {
        const result = await this.revoke(this.visitOf(ipt_no, state), [REVOKE_ALL_FEE_DETAILS]);
        if (result.status === 'UNKNOWN')
          throw new FeeUploadStalled(`2302 "0000" ${result.msgid}: ${result.reason}`);
        return execute(
          result.status !== 'REJECTED'
            ? { type: 'RecordAllLinesRevoked', msgid: result.msgid }
            : { type: 'AnswerReconciliation', failure: `2302 "0000" 被拒绝: ${result.err_msg}` },
        );
      }
      case 'answer-reconciliation':
        return execute({ type: 'AnswerReconciliation' });
    }
  }

  private async uploadBatch(ipt_no: string): Promise<Ledger> {
    const startedBatch = await this.ledgers.execute(
      ipt_no,
      { type: 'StartBatch', batch_size: this.options.batchSize },
      { byUploader: true },
    );
    if (startedBatch.kind !== 'handled' || !startedBatch.state.batch)
      return this.loaded(startedBatch, ipt_no);
    const batch = startedBatch.state.batch;
    const visit = this.visitOf(ipt_no, startedBatch.state);
    const lines = batch.feedetl_sns.map((sn) => startedBatch.state.lines.get(sn)!.line);
    const result = await this.client.call(
      '2301',
      { feedetail: lines.map((line) => feeDetailRow(line, visit)) },
      {
        visitKey: ipt_no,
        psn_no: visit.psn_no,
        insuplc_admdvs: visit.insuplc_admdvs,
        // A batch found in flight after a crash is answered from the journal, not uploaded a second time.
        requestKey: `fee-${ipt_no}#${batch.batch_no}`,
      },
    );
    const { batch_no } = batch;
    const record = (command: FeeLedgerCommand) => this.record(ipt_no, command);
    switch (result.status) {
      case 'SUCCEEDED':
        return record({
          type: 'RecordBatchUploaded',
          batch_no,
          msgid: result.msgid,
          answers: result.output.result.map(lineAnswer),
        });
      case 'APPLIED_UNREADABLE':
        // The lines are on the platform (never sent again); their amounts are not: a person checks the batch.
        return record({
          type: 'RecordBatchUploaded',
          batch_no,
          msgid: result.msgid,
          answers: [],
          unreadable: missingFields(result.problems),
        });
      case 'REJECTED':
        return record({
          type: 'RecordBatchRejected',
          batch_no,
          msgid: result.msgid,
          infcode: result.infcode,
          err_msg: result.err_msg,
        });
      case 'UNKNOWN':
        return record({
          type: 'RecordBatchUnknown',
          batch_no,
          msgid: result.msgid,
          reason: result.reason,
        });
    }
  }

  /**
   * 2301 is not reversible by 2601: each line of the batch is revoked with its own 2302, refund lines first.
   * A refused revocation means the platform does not hold the line; the line goes up again either way, and
   * the platform refuses a feedetl_sn it already holds, so no line can end up there twice.
   */
  private async undoBatch(visit: RegisteredVisit, batch: InFlightBatch): Promise<Ledger> {
    const claimed =
      batch.unknownMsgid !== undefined && (await this.journal.claimForResolution(batch.unknownMsgid));
    const revoked: string[] = [];
    const absent: LineRefusal[] = [];
    try {
      for (const feedetl_sn of [...batch.feedetl_sns].reverse()) {
        const result = await this.revoke(visit, [feedetl_sn]);
        if (result.status === 'UNKNOWN') throw new FeeUploadStalled(`2302 ${result.msgid}: ${result.reason}`);
        if (result.status !== 'REJECTED') revoked.push(feedetl_sn);
        else absent.push({ feedetl_sn, reason: result.err_msg });
      }
    } catch (err) {
      if (claimed) await this.journal.releaseResolution(batch.unknownMsgid!);
      throw err;
    }
    const ledger = await this.record(visit.ipt_no, {
      type: 'RecordBatchUndone',
      batch_no: batch.batch_no,
      revoked,
      absent,
    });
    if (claimed) {
      await this.journal.recordResolution(batch.unknownMsgid!, {
        outcome: revoked.length > 0 ? 'UNDONE' : 'NOT_APPLIED',
        note: `2302 revoked ${revoked.length} of ${batch.feedetl_sns.length} lines; the batch goes up again`,
      });
    }
    return ledger;
  }

  /** Runs a ledger command; the ledger it leaves is the one a read would give (CommandHandler.handleAll). */
  private async record(ipt_no: string, command: FeeLedgerCommand): Promise<Ledger> {
    return this.loaded(await this.ledgers.execute(ipt_no, command, { byUploader: true }), ipt_no);
  }

  /** The ledger after a command: the handled one's own, or read afresh (a duplicate carries none). */
  private async loaded(
    result: HandleCommandResult<FeeLedgerEvent, FeeLedgerState>,
    ipt_no: string,
  ): Promise<Ledger> {
    return result.kind === 'handled'
      ? { state: result.state, version: result.nextExpectedVersion, markCleared: result.owedWorkCleared }
      : this.ledgers.load(ipt_no);
  }

  private revoke(visit: RegisteredVisit, feedetl_sns: string[]) {
    const { mdtrt_id, psn_no } = visit;
    return this.client.call(
      '2302',
      { data: feedetl_sns.map((feedetl_sn) => ({ feedetl_sn, mdtrt_id, psn_no })) },
      { visitKey: visit.ipt_no, psn_no, insuplc_admdvs: visit.insuplc_admdvs },
    );
  }

  private visitOf(ipt_no: string, state: FeeLedgerState): RegisteredVisit {
    const insuplc_admdvs = insuredArea(state);
    if (!state.registration || !state.admission || insuplc_admdvs === undefined) {
      throw new Error(`visit ${ipt_no} has lines on the platform but no registration in a known area`);
    }
    const { mdtrt_id, psn_no } = state.registration;
    return { ipt_no, mdtrt_id, psn_no, med_type: state.admission.med_type, insuplc_admdvs };
  }
}
