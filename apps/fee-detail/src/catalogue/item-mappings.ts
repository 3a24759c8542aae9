import { randomUUID } from 'node:crypto';
import { parseMessage, type DataOf } from '@yb/contracts';
import { type Consumer, type Kafka } from 'kafkajs';

export type ItemMapping = DataOf<'ItemMappingPublished'>;

/** The hospital items' mappings as catalogue last published them: by HIS item code, in memory. */
export interface ItemMappingLookup {
  mappingOf(medins_list_codg: string): ItemMapping | undefined;
}

/**
 * fee-detail's copy of the compacted mapping topic (insurance.catalogue.mappings): read from its start by a
 * consumer group of this process alone (nothing committed), so every process holds every item's latest record,
 * and kept up to date while it runs. A fee line is then checked without a round trip: a Map lookup. start()
 * resolves once the records published before it are in memory, so no line is checked against an empty copy.
 */
export class ItemMappings implements ItemMappingLookup {
  private readonly mappings = new Map<string, ItemMapping>();
  private consumer: Consumer | undefined;
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
  ) {}

  mappingOf(medins_list_codg: string): ItemMapping | undefined {
    const mapping = this.mappings.get(medins_list_codg);
    return mapping?.status === 'mapped' ? mapping : undefined;
  }

  /** Told after an item is mapped (not during start's catch-up): held lines of it may now go up. */
  onMapped(listener: () => void): void {
    this.listeners.push(listener);
  }

  async start(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    const ends = new Map<number, bigint>();
    try {
      for (const { partition, high, low } of await admin.fetchTopicOffsets(this.topic)) {
        if (BigInt(high) > BigInt(low)) ends.set(partition, BigInt(high));
      }
    } finally {
      await admin.disconnect();
    }
    let caughtUp: () => void = () => undefined;
    const reached = new Promise<void>((resolve) => (caughtUp = resolve));
    const consumer = this.kafka.consumer({
      groupId: `fee-detail-mappings-${randomUUID()}`,
      maxWaitTimeInMs: 200,
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const mapped = message.value ? this.apply(message.value.toString('utf8')) : false;
        if (mapped && ends.size === 0) for (const listener of this.listeners) listener();
        const end = ends.get(partition);
        if (end !== undefined && BigInt(message.offset) + 1n >= end) ends.delete(partition);
        if (ends.size === 0) caughtUp();
      },
    });
    if (ends.size === 0) caughtUp();
    await reached;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }

  /**
   * A record that breaks its contract is skipped: the next record of the item replaces it anyway. True when
   * the record maps its item.
   */
  private apply(text: string): boolean {
    try {
      const message = parseMessage(JSON.parse(text) as unknown);
      if (message.type !== 'ItemMappingPublished') return false;
      const mapping = message.data as ItemMapping;
      this.mappings.set(mapping.fixmedins_hilist_id, mapping);
      return mapping.status === 'mapped';
    } catch {
      return false;
    }
  }
}
