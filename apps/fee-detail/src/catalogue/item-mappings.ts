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

  constructor(kafka: Kafka, topic: string) {
    this.copy = new CompactedTopicCopy({
      kafka,
      topic,
      groupPrefix: 'fee-detail-mappings',
      apply: (value) => this.apply(value),
    });
  }

  mappingOf(medins_list_codg: string): ItemMapping | undefined {
    const mapping = this.mappings.get(medins_list_codg);
    return mapping?.status === 'mapped' ? mapping : undefined;
  }

  start(): Promise<void> {
    return this.copy.start();
  }

  stop(): Promise<void> {
    return this.copy.stop();
  }
  /** A record that breaks its contract is skipped: the next record of the item replaces it anyway. */
  private apply(text: string): void {
    try {
      const message = parseMessage(JSON.parse(text) as unknown);
      if (message.type !== 'ItemMappingPublished') return;
      const mapping = message.data as ItemMapping;
      this.mappings.set(mapping.fixmedins_hilist_id, mapping);
    } catch {
      return;
    }
  }
}
