import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { createEnvelope, type DataOf, type Operator } from '@yb/contracts';
import { randomUUID } from 'node:crypto';
import { EventStore, type OutboxMessage } from '@yb/event-store';
import { outboxMessageOf } from '@yb/service-runtime';
import { DataSource } from 'typeorm';
import { type SessionUser } from '../auth/auth.service';
import { DASHBOARD_TOPICS, type DashboardTopics } from '../dashboard-topics';
import { DASHBOARD_TABLES, type DashboardTables } from '../read-model/dashboard-tables';
import { standingSettlement } from '../read-model/settlements.read-model';
import { OPERATOR_ACTION_REQUESTED, type OperatorActionRequested } from '../read-model/recorded-messages';

export type OperatorCommand =
  | 'RetrySettlement'
  | 'CancelSettlement'
  | 'ConfirmPreSettlement'
  | 'AcknowledgeAuditFinding'
  | 'RerunReportUpload'
  | 'RunReportUploads'
  | 'ReconcileDay'
  | 'ExplainReconciliationDifference'
  | 'AdoptPlatformAmounts'
  | 'ReverseSettlementLocally'
  | 'ConfirmItemMapping'
  | 'WithdrawItemMapping'
  | 'DownloadCatalogue'
  | 'DecideHeldFeeLines';

export interface ActionAccepted {
  /** The command's message id (the envelope id): what the receiving service records. */
  message_id: string;
  command_type: OperatorCommand | 'HospitalItemsPublished';
  /** true when this request id was already sent: nothing was sent again. */
  duplicate: boolean;
}

const ACTION_CONSUMER = 'billing-dashboard.operator-action';

/**
 * The operator actions: each checks the read model (the target exists and is in a state the action fits), then
 * records who asked (OperatorActionRequested in the dashboard's log) and the command (outbox) in one transaction;
 * the relay puts the command on Kafka. A request id sent twice (a double click, a retried request) sends once.
 */
@Injectable()
export class OperatorActions {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(DASHBOARD_TABLES) private readonly t: DashboardTables,
    @Inject(DASHBOARD_TOPICS) private readonly topics: DashboardTopics,
  ) {}

  async retrySettlement(
    user: SessionUser,
    ipt_no: string,
    saga_id: string,
    comment: string,
    requestId?: string,
  ) {
    const [saga] = await this.db.query(
      `SELECT state FROM ${this.t.sagas} WHERE saga_id = $1 AND ipt_no = $2`,
      [saga_id, ipt_no],
    );
    if (!saga) throw new NotFoundException(`no saga ${saga_id} for this visit`);
    // A saga waiting for a person waits for an acknowledgement, not a retry.
    if (!['FAILED', 'COMPENSATION_FAILED'].includes(saga.state)) {
      throw new ConflictException(`saga ${saga_id} is ${saga.state}: only a stopped saga can be retried`);
    }
    return this.send(
      user,
      'retry-settlement',
      'RetrySettlement',
      this.topics.settlementCommands,
      ipt_no,
      requestId,
      {
        ipt_no,
        saga_id,
        comment,
        requested_by: operator(user),
      },
    );
  }

  async cancelSettlement(
    user: SessionUser,
    ipt_no: string,
    input: { setl_id?: string; undo_discharge: boolean; reason: string },
    requestId?: string,
  ) {
    const settlements: { setl_id: string }[] = await this.db.query(
      `SELECT setl_id FROM ${this.t.settlements} WHERE ipt_no = $1 AND ${standingSettlement()}
       AND ($2::text IS NULL OR setl_id = $2)`,
      [ipt_no, input.setl_id ?? null],
    );
    if (settlements.length === 0)
      throw new ConflictException('the visit has no settlement that can be cancelled');
    return this.send(
      user,
      'cancel-settlement',
      'CancelSettlement',
      this.topics.settlementCommands,
      ipt_no,
      requestId,
      {
        ipt_no,
        ...(input.setl_id && { setl_id: input.setl_id }),
        undo_discharge: input.undo_discharge,
        reason: input.reason,
        requested_by: operator(user),
      },
    );
  }

  /** A cashier's decision on the split of a saga waiting in AWAITING_CONFIRMATION. */
  async confirmPreSettlement(
    user: SessionUser,
    ipt_no: string,
    input: Omit<DataOf<'ConfirmPreSettlement'>, 'ipt_no' | 'requested_by'>,
    requestId?: string,
  ) {
    const [saga] = await this.db.query(
      `SELECT state FROM ${this.t.sagas} WHERE saga_id = $1 AND ipt_no = $2`,
      [input.saga_id, ipt_no],
    );
    if (!saga) throw new NotFoundException(`no saga ${input.saga_id} for this visit`);
    if (saga.state !== 'AWAITING_CONFIRMATION') {
      throw new ConflictException(
        `saga ${input.saga_id} is ${saga.state}: it does not wait for a confirmation`,
      );
    }
    return this.send(
      user,
      'confirm-pre-settlement',
      'ConfirmPreSettlement',
      this.topics.settlementCommands,
      ipt_no,
      requestId,
      { ipt_no, ...input, requested_by: operator(user) },
    );
  }

  async acknowledgeFinding(
    user: SessionUser,
    ipt_no: string,
    jr_id: string,
    comment: string,
    requestId?: string,
  ) {
    const [finding] = await this.db.query(
      `SELECT blocking, acknowledged_at FROM ${this.t.findings} WHERE ipt_no = $1 AND jr_id = $2`,
      [ipt_no, jr_id],
    );
    if (!finding) throw new NotFoundException(`no finding ${jr_id} for this visit`);
    if (finding.acknowledged_at) throw new ConflictException(`finding ${jr_id} is already acknowledged`);
    return this.send(
      user,
      'acknowledge-finding',
      'AcknowledgeAuditFinding',
      this.topics.qualityCommands,
      ipt_no,
      requestId,
      {
        ipt_no,
        jr_id,
        comment,
        requested_by: operator(user),
      },
    );
  }

  async rerunReport(
    user: SessionUser,
    ipt_no: string,
    input: { infno: DataOf<'RerunReportUpload'>['infno']; report_ref: string; comment: string },
    requestId?: string,
  ) {
    const [report] = await this.db.query(
      `SELECT state FROM ${this.t.reports} WHERE ipt_no = $1 AND infno = $2 AND report_ref = $3`,
      [ipt_no, input.infno, input.report_ref],
    );
    if (!report) throw new NotFoundException(`no ${input.infno} report ${input.report_ref} for this visit`);
    return this.send(
      user,
      'rerun-report',
      'RerunReportUpload',
      this.topics.reportingCommands,
      ipt_no,
      requestId,
      {
        ipt_no,
        ...input,
        requested_by: operator(user),
      },
    );
  }

  runReportUploads(user: SessionUser, run_date: string, requestId?: string) {
    // Keyed by the run date, as the reporting service keys its runs.
    return this.send(
      user,
      'run-report-uploads',
      'RunReportUploads',
      this.topics.reportingCommands,
      run_date,
      requestId,
      {
        run_date,
        requested_by: operator(user),
      },
    );
  }

  /** 对账 now for one settlement day (reconciliation keys its runs by the day): 3201, or the period checks asked. */
  reconcileDay(
    user: SessionUser,
    stmt_date: string,
    requestId?: string,
    checks?: DataOf<'ReconcileDay'>['checks'],
  ) {
    return this.send(
      user,
      'reconcile-day',
      'ReconcileDay',
      this.topics.reconciliationCommands,
      stmt_date,
      requestId,
      { stmt_date, ...(checks && { checks }), requested_by: operator(user) },
    );
  }

  /** A difference (差账) marked as explained: only one the day found and nobody resolved yet. */
  async explainDifference(
    user: SessionUser,
    stmt_date: string,
    setl_id: string,
    explanation: string,
    requestId?: string,
  ) {
    await this.openDifference(stmt_date, setl_id);
    return this.send(
      user,
      'explain-difference',
      'ExplainReconciliationDifference',
      this.topics.reconciliationCommands,
      stmt_date,
      requestId,
      { stmt_date, setl_id, explanation, requested_by: operator(user) },
    );
  }

  /** The platform's record adopted for a difference of amounts (5203 by reconciliation): AMOUNTS_DIFFER only. */
  async adoptPlatformAmounts(user: SessionUser, stmt_date: string, setl_id: string, requestId?: string) {
    await this.openDifference(stmt_date, setl_id, 'AMOUNTS_DIFFER');
    return this.send(
      user,
      'adopt-platform-amounts',
      'AdoptPlatformAmounts',
      this.topics.reconciliationCommands,
      stmt_date,
      requestId,
      { stmt_date, setl_id, requested_by: operator(user) },
    );
  }

  /** A settlement only we hold reversed in our books (nothing sent to the platform): HOSPITAL_ONLY only. */
  async reverseLocally(
    user: SessionUser,
    stmt_date: string,
    setl_id: string,
    reason: string,
    requestId?: string,
  ) {
    await this.openDifference(stmt_date, setl_id, 'HOSPITAL_ONLY');
    return this.send(
      user,
      'reverse-locally',
      'ReverseSettlementLocally',
      this.topics.reconciliationCommands,
      stmt_date,
      requestId,
      { stmt_date, setl_id, reason, requested_by: operator(user) },
    );
  }

  /** A difference the day found, nobody resolved yet (and of the kind the action is for): 404 / 409 otherwise. */
  private async openDifference(stmt_date: string, setl_id: string, kind?: string): Promise<void> {
    const [difference] = await this.db.query(
      `SELECT kind, resolution FROM ${this.t.reconciliationDifferences} WHERE stmt_date = $1 AND setl_id = $2`,
      [stmt_date, setl_id],
    );
    if (!difference) throw new NotFoundException(`no difference ${setl_id} on ${stmt_date}`);
    if (difference.resolution)
      throw new ConflictException(`difference ${setl_id} is already resolved (${difference.resolution})`);
    if (kind && difference.kind !== kind)
      throw new ConflictException(`difference ${setl_id} is ${difference.kind}; this action is for ${kind}`);
  }

  /** An item mapped to a national code (3301 by catalogue): only an item the HIS (or an import) published. */
  async confirmMapping(
    user: SessionUser,
    input: Omit<DataOf<'ConfirmItemMapping'>, 'requested_by'>,
    requestId?: string,
  ) {
    await this.hospitalItem(input.fixmedins_hilist_id);
    return this.send(
      user,
      'confirm-mapping',
      'ConfirmItemMapping',
      this.topics.catalogueCommands,
      input.fixmedins_hilist_id,
      requestId,
      { ...input, requested_by: operator(user) },
    );
  }

  /**
   * A decision on a visit's held fee lines (fee-detail carries it out): only lines still held; UPLOAD_ANYWAY only
   * for lines held for their price (a line held for its mapping has no national code to go up with).
   */
  async decideHeldLines(
    user: SessionUser,
    input: Omit<DataOf<'DecideHeldFeeLines'>, 'requested_by'>,
    requestId?: string,
  ) {
    const held: { feedetl_sn: string; priced: boolean }[] = await this.db.query(
      `SELECT feedetl_sn, finding IS NOT NULL AS priced FROM ${this.t.heldLines}
       WHERE ipt_no = $1 AND feedetl_sn = ANY($2::text[]) AND released_at IS NULL`,
      [input.ipt_no, input.feedetl_sns],
    );
    const notHeld = input.feedetl_sns.filter((sn) => !held.some((h) => h.feedetl_sn === sn));
    if (notHeld.length > 0)
      throw new ConflictException(`fee lines ${notHeld.join(', ')} of this visit are not held`);
    const unpriced = held.filter((h) => !h.priced).map((h) => h.feedetl_sn);
    if (input.decision === 'UPLOAD_ANYWAY' && unpriced.length > 0)
      throw new ConflictException(
        `fee lines ${unpriced.join(', ')} wait for their item's mapping: they can only be voided`,
      );
    return this.send(
      user,
      'decide-held-lines',
      'DecideHeldFeeLines',
      this.topics.feeDetailCommands,
      input.ipt_no,
      requestId,
      { ...input, requested_by: operator(user) },
    );
  }

  /** A catalogue downloaded now (besides the daily run): catalogue goes on with a download already running. */
  downloadCatalogue(user: SessionUser, infno: DataOf<'DownloadCatalogue'>['infno'], requestId?: string) {
    return this.send(
      user,
      'download-catalogue',
      'DownloadCatalogue',
      this.topics.catalogueCommands,
      infno,
      requestId,
      { infno, requested_by: operator(user) },
    );
  }

  /** A mapping withdrawn (3302 by catalogue): only one the platform holds. */
  async withdrawMapping(user: SessionUser, fixmedins_hilist_id: string, requestId?: string) {
    const item = await this.hospitalItem(fixmedins_hilist_id);
    if (item.mapping_status !== 'mapped')
      throw new ConflictException(`item ${fixmedins_hilist_id} is not mapped: nothing to withdraw`);
    return this.send(
      user,
      'withdraw-mapping',
      'WithdrawItemMapping',
      this.topics.catalogueCommands,
      fixmedins_hilist_id,
      requestId,
      { fixmedins_hilist_id, requested_by: operator(user) },
    );
  }

  /**
   * The hospital's item list from a CSV file, already validated whole: published as the HIS publishes it
   * (HospitalItemsPublished, ≤ 1000 items a message) with the action, all in one transaction, so an import is
   * sent whole or not at all; the relay publishes it.
   */
  async importItems(
    user: SessionUser,
    items: DataOf<'HospitalItemsPublished'>['items'],
    requestId?: string,
  ): Promise<ActionAccepted & { list_id: string; items: number; messages: number }> {
    const message_id = requestId ?? randomUUID();
    // The list's id is the records' key (≤ 30 characters): one per import, a part number per message.
    const list_id = `csv-${message_id.replace(/-/g, '').slice(0, 20)}`;
    const messages = [];
    for (let part = 1; (part - 1) * 1000 < items.length; part += 1) {
      const envelope = createEnvelope({
        type: 'HospitalItemsPublished',
        schemaVersion: 1,
        key: `${list_id}-${part}`,
        data: { list_id: `${list_id}-${part}`, items: items.slice((part - 1) * 1000, part * 1000) },
      });
      messages.push(outboxMessageOf(this.topics.hisCatalogue, envelope));
    }
    const result = await this.record(
      user,
      'import-items',
      'HospitalItemsPublished',
      this.topics.hisCatalogue,
      list_id,
      message_id,
      { list_id, items: items.length },
      messages,
    );
    return {
      message_id,
      command_type: 'HospitalItemsPublished',
      duplicate: result,
      list_id,
      items: items.length,
      messages: messages.length,
    };
  }

  /**
   * An action another service did at once over HTTP (清算申请 with apps/reconciliation): who asked and what the
   * service answered, recorded after its answer; no command leaves.
   */
  async recordCall(
    user: SessionUser,
    action: string,
    command_type: string,
    service: string,
    key: string,
    target: Record<string, unknown>,
    requestId?: string,
  ): Promise<void> {
    await this.record(
      user,
      action,
      command_type,
      `http:${service}`,
      key,
      requestId ?? randomUUID(),
      target,
      [],
    );
  }

  private async hospitalItem(fixmedins_hilist_id: string): Promise<{ mapping_status: string | null }> {
    const [item] = await this.db.query(
      `SELECT mapping_status FROM ${this.t.hospitalItems}
       WHERE fixmedins_hilist_id = $1 AND fixmedins_hilist_name IS NOT NULL`,
      [fixmedins_hilist_id],
    );
    if (!item) throw new NotFoundException(`no hospital item ${fixmedins_hilist_id}`);
    return item;
  }

  private async send<T extends OperatorCommand>(
    user: SessionUser,
    action: string,
    type: T,
    topic: string,
    key: string,
    requestId: string | undefined,
    data: DataOf<T>,
  ): Promise<ActionAccepted> {
    const envelope = createEnvelope({
      type,
      schemaVersion: 1,
      key,
      data,
      ...(requestId && { id: requestId }),
    });
    const { requested_by: _who, ...target } = data as Record<string, unknown>;
    const duplicate = await this.record(user, action, type, topic, key, envelope.id, target, [
      outboxMessageOf(topic, envelope),
    ]);
    return { message_id: envelope.id, command_type: type, duplicate };
  }

  /** Who asked for what (OperatorActionRequested) with what leaves (the outbox), once per message id. */
  private async record(
    user: SessionUser,
    action: string,
    command_type: string,
    topic: string,
    key: string,
    message_id: string,
    target: Record<string, unknown>,
    outbox: OutboxMessage[],
  ): Promise<boolean> {
    const recorded: OperatorActionRequested = {
      message_id,
      action,
      command_type,
      topic,
      ipt_no: key,
      target,
      requested_by: operator(user),
    };
    const result = await this.store.appendToStream(
      `operator-actions-${key}`,
      'any',
      [
        {
          type: OPERATOR_ACTION_REQUESTED,
          data: recorded,
          metadata: { occurred_at: new Date().toISOString() },
        },
      ],
      { inboxMessageId: message_id, inboxConsumer: ACTION_CONSUMER, outbox },
    );
    return result.kind === 'duplicate-message';
  }
}

export function operator(user: SessionUser): Operator {
  if (user.role === 'viewer') throw new Error('a viewer cannot act (the guard refuses before this)');
  return { username: user.username, role: user.role };
}
