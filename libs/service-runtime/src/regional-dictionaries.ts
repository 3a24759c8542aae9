import { parseMessage, type DataOf } from '@yb/contracts';
import { CompactedTopicCopy } from '@yb/messaging';
import { extendDictionary, isDictionaryName } from '@yb/platform-client';
import { type Kafka } from 'kafkajs';
import { type Logger } from 'pino';

type Dictionary = DataOf<'DictionaryPublished'>;

/**
 * The region's 1901 dictionaries, as the catalogue service last published them (insurance.catalogue.dictionaries,
 * compacted), added to the platform client's built-in lists: a Hubei-local code is then accepted in what this
 * service sends, and a code in neither list is refused before the call, naming the dictionary. Read whole before
 * the service sends anything (ServiceLifecycle) and followed while it runs; codes are added, never removed.
 * Dictionaries the client does not check are noted and left.
 */
export class RegionalDictionaries {
  private readonly copy: CompactedTopicCopy;

  constructor(
    kafka: Kafka,
    topic: string,
    groupPrefix: string,
    private readonly logger: Logger,
  ) {
    this.copy = new CompactedTopicCopy({ kafka, topic, groupPrefix, apply: (value) => this.apply(value) });
  }

  start(): Promise<void> {
    return this.copy.start();
  }

  stop(): Promise<void> {
    return this.copy.stop();
  }

  private apply(value: string): void {
    let dictionary: Dictionary;
    try {
      const message = parseMessage(JSON.parse(value) as unknown);
      if (message.type !== 'DictionaryPublished') return;
      dictionary = message.data as Dictionary;
    } catch (err) {
      // The topic's next record of the type replaces it; the catalogue service is the one to fix.
      this.logger.warn({ err }, 'regional dictionary record breaks its contract: skipped');
      return;
    }
    const name = dictionary.type.toLowerCase();
    if (!isDictionaryName(name)) {
      this.logger.debug({ type: dictionary.type }, 'regional dictionary not checked by the platform client');
      return;
    }
    extendDictionary(
      name,
      dictionary.codes.map((c) => c.value),
    );
    this.logger.info(
      { type: name, admdvs: dictionary.admdvs, codes: dictionary.codes.length },
      'regional dictionary applied',
    );
  }
}
