import { parseMessage, type DataOf } from '@yb/contracts';
import { CompactedTopicCopy } from '@yb/messaging';
import { type Kafka } from 'kafkajs';

export type ItemMapping = DataOf<'ItemMappingPublished'>;

/** The hospital items' mappings as catalogue last published them: by HIS item code, in memory. */
export interface ItemMappingLookup {
  mappingOf(medins_list_codg: string): ItemMapping | undefined;
}

/**
 * fee-detail's copy of the compacted mapping topic (insurance.catalogue.mappings), every item's latest record in
 * memory: a fee line is then checked without a round trip, a Map lookup. start() resolves once the records
 * published before it are in memory, so no line is checked against an empty copy.
 */
export class ItemMappings implements ItemMappingLookup {
  private readonly mappings = new Map<string, ItemMapping>();
  private readonly copy: CompactedTopicCopy;
  private readonly listeners: (() => void)[] = [];

  constructor(kafka: Kafka, topic: string) {
    this.copy = new CompactedTopicCopy({
      kafka,
      topic,
      groupPrefix: 'fee-detail-mappings',
      apply: (value, live) => this.apply(value, live),
    });
  }

  mappingOf(medins_list_codg: string): ItemMapping | undefined {
    const mapping = this.mappings.get(medins_list_codg);
    return mapping?.status === 'mapped' ? mapping : undefined;
  }

  /** Told after an item is mapped (not during start's catch-up): held lines of it may now go up. */
  onMapped(listener: () => void): void {
    this.listeners.push(listener);
  }

  start(): Promise<void> {
    return this.copy.start();
  }

  stop(): Promise<void> {
    return this.copy.stop();
  }

  /**
   * A record that breaks its contract is skipped: the next record of the item replaces it anyway. A live record
   * that maps its item tells the listeners.
   */
  private apply(text: string, live: boolean): void {
    let mapping: ItemMapping;
    try {
      const message = parseMessage(JSON.parse(text) as unknown);
      if (message.type !== 'ItemMappingPublished') return;
      mapping = message.data as ItemMapping;
    } catch {
      return;
    }
    this.mappings.set(mapping.fixmedins_hilist_id, mapping);
    if (live && mapping.status === 'mapped') for (const listener of this.listeners) listener();
  }
}
