import { createEnvelope, shanghaiDate, Topics } from '@yb/contracts';
import { CommandHandler, withAdvisoryLock, type EventStore, type HandleCommandResult } from '@yb/event-store';
import { type PlatformClient } from '@yb/platform-client';
import { outboxMessageOf, topicName, type ServiceConfig, type StreamCaches } from '@yb/service-runtime';
import { type DataSource } from 'typeorm';
import { type NationalItems } from '../lookup/national-items';
import { type HospitalItem, type ItemMappingCommand } from './item-mapping.commands';
import { ItemMappingDecider } from './item-mapping.decider';
import { type ItemMappingEvent } from './item-mapping.events';
import { owesPlatform, type ItemMappingState } from './item-mapping.state';

const STREAM_PREFIX = 'item-';
export const itemStream = (fixmedins_hilist_id: string) => `${STREAM_PREFIX}${fixmedins_hilist_id}`;

/** The mapping's validity when the person gives none. */
const OPEN_END = '2099-12-31';

/**
 * The hospital's items and their mappings: a stream per item; 3301 / 3302 sent off the consumer path (a
 * PlatformWorker keyed by item), the platform's answer recorded, and the outcome published on the compacted
 * mapping topic with the code's validity, price limit and self-pay ratio read from the lookup tables, for
 * fee-detail to hold in memory.
 */
export class ItemMappingWorkflow {
  private readonly items: CommandHandler<ItemMappingCommand, ItemMappingEvent, ItemMappingState>;
  private readonly mappingTopic: string;

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly client: PlatformClient,
    private readonly national: NationalItems,
    private readonly config: Pick<ServiceConfig, 'topicPrefix' | 'platform'>,
  ) {
    this.items = new CommandHandler(store, ItemMappingDecider);
    this.mappingTopic = topicName(config, Topics.catalogueMappings);
  }

  /** Its command handler's cache, under the name /metrics reports it by (StreamCacheMetrics). */
  streamCaches(): StreamCaches {
    return { 'item-mapping': this.items };
  }

  execute(
    id: string,
    command: ItemMappingCommand,
    options: { inbox?: { messageId: string; consumer: string } } = {},
  ): Promise<HandleCommandResult<ItemMappingEvent, ItemMappingState>> {
    return this.items.handle(itemStream(id), command, {
      ...(options.inbox && {
        inboxMessageId: options.inbox.messageId,
        inboxConsumer: options.inbox.consumer,
      }),
      owesWork: owesPlatform,
    });
  }

  recordItem(item: HospitalItem): Promise<HandleCommandResult<ItemMappingEvent, ItemMappingState>> {
    return this.execute(item.fixmedins_hilist_id, { type: 'RecordItem', item });
  }

  async confirm(
    request: {
      fixmedins_hilist_id: string;
      med_list_codg: string;
      begndate?: string;
      enddate?: string;
      by: string;
    },
    inbox?: { messageId: string; consumer: string },
  ): Promise<HandleCommandResult<ItemMappingEvent, ItemMappingState>> {
    const national = await this.national.find(request.med_list_codg);
    const now = new Date();
    return this.execute(
      request.fixmedins_hilist_id,
      {
        type: 'ConfirmMapping',
        ...(national && { national }),
        med_list_codg: request.med_list_codg,
        begndate: request.begndate ?? shanghaiDate(now),
        enddate: request.enddate ?? OPEN_END,
        by: request.by,
        at: now.toISOString(),
      },
      { inbox },
    );
  }

  withdraw(
    fixmedins_hilist_id: string,
    by: string,
    inbox?: { messageId: string; consumer: string },
  ): Promise<HandleCommandResult<ItemMappingEvent, ItemMappingState>> {
    return this.execute(
      fixmedins_hilist_id,
      { type: 'WithdrawMapping', by, at: new Date().toISOString() },
      { inbox },
    );
  }

  async state(fixmedins_hilist_id: string): Promise<ItemMappingState> {
    return (await this.items.aggregateStream(itemStream(fixmedins_hilist_id))).state;
  }

  async owed(): Promise<string[]> {
    return (await this.store.pendingWork(STREAM_PREFIX)).map((stream) => stream.slice(STREAM_PREFIX.length));
  }

  /** Sends what the item owes the platform (3301 or 3302), records the answer and publishes the outcome. */
  async drive(id: string): Promise<void> {
    await withAdvisoryLock(this.dataSource, 'catalogue item mapping', id, async () => {
      for (;;) {
        const { state, version } = await this.items.aggregateStream(itemStream(id));
        const { item, mapping } = state;
        if (!item || !mapping || !owesPlatform(state)) {
          await this.store.clearPendingWork(itemStream(id), version);
          return;
        }
        const withdrawing = mapping.status === 'withdrawing';
        // 3301 of a mapping the platform holds already replaces it with the same: sending again is harmless.
        const result = withdrawing
          ? await this.client.call(
              '3302',
              {
                data: {
                  fixmedins_code: this.config.platform.fixmedins_code,
                  fixmedins_hilist_id: id,
                  list_type: item.list_type,
                  med_list_codg: mapping.med_list_codg,
                },
              },
              { visitKey: itemStream(id) },
            )
          : await this.client.call(
              '3301',
              {
                data: [
                  {
                    fixmedins_hilist_id: id,
                    fixmedins_hilist_name: item.fixmedins_hilist_name,
                    list_type: item.list_type,
                    med_list_codg: mapping.med_list_codg,
                    begndate: mapping.begndate,
                    enddate: mapping.enddate,
                    ...(item.spec && { spec: item.spec }),
                    ...(item.dosform && { dosform: item.dosform }),
                    ...(item.prcunt && { prcunt: item.prcunt }),
                    ...(item.aprvno && { aprvno: item.aprvno }),
                  },
                ],
              },
              { visitKey: itemStream(id) },
            );
        if (result.status === 'UNKNOWN') throw new Error(`${result.infno} ${result.msgid}: ${result.reason}`);
        const applied = result.status !== 'REJECTED';
        const command: ItemMappingCommand = withdrawing
          ? applied
            ? { type: 'RecordWithdrawn', msgid: result.msgid }
            : { type: 'RecordWithdrawalRefused', msgid: result.msgid, err_msg: result.err_msg }
          : applied
            ? { type: 'RecordUploaded', msgid: result.msgid }
            : { type: 'RecordUploadRefused', msgid: result.msgid, err_msg: result.err_msg };
        const terms = applied && !withdrawing ? await this.national.terms(mapping.med_list_codg) : {};
        await this.items.handle(itemStream(id), command, {
          owesWork: owesPlatform,
          outbox: (events) =>
            events.some((e) => e.type === 'MappingUploaded' || e.type === 'MappingWithdrawn')
              ? [
                  outboxMessageOf(
                    this.mappingTopic,
                    createEnvelope({
                      type: 'ItemMappingPublished',
                      schemaVersion: 1,
                      key: id,
                      data: {
                        fixmedins_hilist_id: id,
                        status: withdrawing ? 'withdrawn' : 'mapped',
                        med_list_codg: mapping.med_list_codg,
                        list_type: mapping.list_type,
                        ...(mapping.hilist_name && { hilist_name: mapping.hilist_name }),
                        ...terms,
                        mapped_by: mapping.by,
                      },
                    }),
                  ),
                ]
              : [],
        });
      }
    });
  }
}
