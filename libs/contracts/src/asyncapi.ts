import { createHash } from 'node:crypto';
import { describeDictionaries } from './asyncapi-dictionaries';
import { keyFieldOf, type Contract } from './contract';
import { envelopeSchema } from './envelope';
import { DeadLetterHeaders, DeadLetterPayloadHeaders, MessageHeaders } from './headers';
import { toJsonSchema, type JsonSchema } from './json-schema';
import { PATIENT_IDENTIFIER_FIELDS } from './patient-identifier-fields';
import { CONTRACTS, HIS_TOPICS } from './registry';
import { ALL_TOPICS, DLQ_SUFFIX, Topics, dlqTopic, isCompactedTopic } from './topics';

// The AsyncAPI 2.6 document a HIS vendor integrates from with nothing else: one channel per topic, one message
// per (type, version) with its envelope, headers, key, payload schema and a valid example, plus what Kafka
// itself needs (topics, partitions, compression). Deterministic, so the committed copy can be compared with a
// fresh generation; valid for the official parser without errors or warnings (asyncapi.spec.ts).

const EXAMPLE_ENVELOPE = {
  occurredAt: '2024-05-01T09:00:00.000+08:00',
  correlationId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  causationId: null,
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
};

const KAFKA_BINDING_VERSION = '0.4.0';
/** The partitions `npm start` creates per topic; the services work with any count. */
const PARTITIONS = 3;
/** The broker's default message.max.bytes: the largest record a topic takes unless configured otherwise. */
const MAX_MESSAGE_BYTES = 1_048_588;

const TAGS = {
  hisWrites: { name: 'his-writes', description: 'Written by the HIS, read by the insurance services' },
  hisReads: {
    name: 'his-reads',
    description: 'Written by the insurance services, for the HIS and the dashboard',
  },
  internal: { name: 'internal', description: 'Commands between the insurance services: not for the HIS' },
  deadLetter: {
    name: 'dead-letter',
    description: 'Messages a consumer refused or gave up on, with the reason',
  },
} as const;

export function messageName(contract: Pick<Contract, 'type' | 'version'>): string {
  return `${contract.type}.v${contract.version}`;
}

/**
 * A fixed envelope id per example (a name-based UUID): the services deduplicate by id, so examples produced
 * one after the other must not share one.
 */
function exampleId(name: string): string {
  const hex = createHash('sha1').update(`yibao-inpatient-hub example ${name}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `his.inpatient` → `HisInpatient`, `insurance.platform-calls.dlq` → `InsurancePlatformCallsDlq`. */
function pascal(topic: string): string {
  return topic.replace(/(^|[.-])(\w)/g, (_m, _sep, c: string) => c.toUpperCase());
}

function keyDescription(contract: Contract): string {
  const field = keyFieldOf(contract);
  return field === 'ipt_no'
    ? 'The HIS visit id (data.ipt_no), equal to envelope.key: one visit stays in order on one partition'
    : `data.${field}, equal to envelope.key (this message is not about one visit)`;
}

function tagOf(topic: string) {
  if (HIS_TOPICS.has(topic)) return TAGS.hisWrites;
  return topic.startsWith('insurance.commands.') ? TAGS.internal : TAGS.hisReads;
}

function headersSchema(): JsonSchema {
  return {
    type: 'object',
    description:
      'All optional: the services read the envelope, never rely on a header. Our services set them all on what ' +
      'they publish, for tools and the dead-letter topics.',
    properties: {
      [MessageHeaders.traceparent]: {
        type: 'string',
        pattern: '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
        description:
          'W3C trace context of the span that published the record. A reader continues the trace from this ' +
          'header; envelope.traceparent names the step that produced the message (the same trace, one span ' +
          'up) and is the fallback when the header is absent.',
      },
      [MessageHeaders.messageId]: { type: 'string', format: 'uuid', description: 'Same as envelope.id' },
      [MessageHeaders.messageType]: { type: 'string', description: 'Same as envelope.type' },
      [MessageHeaders.schemaVersion]: {
        type: 'string',
        pattern: '^[1-9][0-9]*$',
        description: 'Same as envelope.schemaVersion, as text',
      },
      [MessageHeaders.contentType]: { type: 'string', const: 'application/json' },
    },
  };
}

function payloadSchema(contract: Contract): JsonSchema {
  const envelope = toJsonSchema(envelopeSchema) as {
    properties: Record<string, JsonSchema>;
    required: string[];
  };
  const data = toJsonSchema(contract.data);
  return {
    ...envelope,
    properties: {
      ...envelope.properties,
      type: { type: 'string', const: contract.type, description: 'Message type' },
      schemaVersion: { type: 'integer', const: contract.version, description: 'Version of the data schema' },
      key: { ...envelope.properties.key, description: keyDescription(contract) },
      data: HIS_TOPICS.has(contract.topic) ? describeDictionaries(data) : sealedIdentifiers(data),
    },
    required: [...envelope.required, 'data'],
  };
}

/** How the services send a patient identifier field (psn_no in a result): sealed with the hospital's key. */
const SEALED_VALUE: JsonSchema = {
  type: 'object',
  description:
    "Sealed (AES-256-GCM under the hospital's key, bound to the envelope id): the hospital's services open it; " +
    'a HIS reading the results has the value from its own records (1101, the card) and the visit by ipt_no',
  properties: {
    enc: { type: 'string', const: 'A256GCM' },
    kid: { type: 'string', description: 'Which key of the hospital sealed it' },
    iv: { type: 'string', contentEncoding: 'base64' },
    ct: { type: 'string', contentEncoding: 'base64' },
    tag: { type: 'string', contentEncoding: 'base64' },
  },
  required: ['enc', 'kid', 'iv', 'ct', 'tag'],
};

/** A result's data schema with each patient identifier field as sent: sealed (clear only without keys). */
function sealedIdentifiers<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map((s: unknown) => sealedIdentifiers(s)) as T;
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === 'properties'
        ? Object.fromEntries(
            Object.entries(value as Record<string, JsonSchema>).map(([field, fieldSchema]) => [
              field,
              PATIENT_IDENTIFIER_FIELDS.includes(field)
                ? {
                    description: `${(fieldSchema.description as string | undefined) ?? field}: sealed on the wire`,
                    anyOf: [SEALED_VALUE, fieldSchema],
                  }
                : sealedIdentifiers(fieldSchema),
            ]),
          )
        : sealedIdentifiers(value),
    ]),
  ) as T;
}

const TOLERANCE =
  'The schema shows the canonical form, which is what to send. The services also accept, and normalise ' +
  'before anything else reads it: "" or null for an optional field (= not given); a whole number as a ' +
  'numeric string ("1"); money, quantity and price as a JSON number or a numeric string (36.6, "036.60"), ' +
  'never rounded: more fraction digits than the precision are refused; a code of a closed list as a JSON ' +
  'number (maindiag_flag: 1); one object where a list is expected. "" or null for a required field is ' +
  'refused, naming the field. Free codes sent as numbers are refused (0301 as 301 would be another code).';

function message(contract: Contract): JsonSchema {
  const parsed = contract.data.safeParse(contract.example);
  if (!parsed.success) {
    throw new Error(
      `example of ${messageName(contract)} does not satisfy its schema: ${parsed.error.message}`,
    );
  }
  const key = (contract.example as Record<string, unknown>)[keyFieldOf(contract)];
  if (typeof key !== 'string') {
    throw new Error(`example of ${messageName(contract)} has no ${keyFieldOf(contract)} to key it by`);
  }
  const name = messageName(contract);
  return {
    messageId: name,
    name,
    title: `${contract.type} v${contract.version}`,
    summary: contract.summary,
    ...(HIS_TOPICS.has(contract.topic) && { description: TOLERANCE }),
    contentType: 'application/json',
    tags: [tagOf(contract.topic)],
    headers: headersSchema(),
    payload: payloadSchema(contract),
    bindings: {
      kafka: {
        key: { type: 'string', minLength: 1, maxLength: 30, description: keyDescription(contract) },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
    examples: [
      {
        name: `${contract.type}-example`,
        summary: `A complete ${contract.type} v${contract.version} record (key ${key})`,
        headers: {
          [MessageHeaders.traceparent]: EXAMPLE_ENVELOPE.traceparent,
          [MessageHeaders.messageId]: exampleId(name),
          [MessageHeaders.messageType]: contract.type,
          [MessageHeaders.schemaVersion]: String(contract.version),
          [MessageHeaders.contentType]: 'application/json',
        },
        payload: {
          id: exampleId(name),
          type: contract.type,
          schemaVersion: contract.version,
          occurredAt: EXAMPLE_ENVELOPE.occurredAt,
          key,
          correlationId: EXAMPLE_ENVELOPE.correlationId,
          causationId: EXAMPLE_ENVELOPE.causationId,
          traceparent: EXAMPLE_ENVELOPE.traceparent,
          data: contract.example,
        },
      },
    ],
  };
}

const DEAD_LETTER_DESCRIPTION =
  'Dead letters of the topic of the same name without ".dlq": the original key, payload (bytes as sent, ' +
  'even when not JSON) and headers, plus headers saying why and where it failed. Read it to find what a ' +
  'consumer refused; republish a corrected message to the original topic. Created by the services when ' +
  'they start, with the broker default partition count.';

/** The dead letters of one topic (one message each: a messageId is unique across the document's channels). */
function deadLetterMessage(topic: string): JsonSchema {
  const name = deadLetterName(topic);
  return {
    messageId: name,
    name,
    title: `Dead letter of ${topic}`,
    summary: `A message a consumer of ${topic} could not handle, with the reason`,
    description:
      'Keyed and partitioned like the original. A record is dead-lettered when it is not JSON, its envelope ' +
      'or data breaks the contract, its key differs from envelope.key, or its handler failed on every attempt ' +
      '(not for transient faults such as the platform or the database being down: those are waited out).',
    tags: [TAGS.deadLetter],
    headers: {
      type: 'object',
      description: "The original record's headers (see its message), plus these, which are always set",
      properties: {
        [DeadLetterHeaders.reason]: { type: 'string', description: 'Validation error or last handler error' },
        [DeadLetterHeaders.originalTopic]: { type: 'string' },
        [DeadLetterHeaders.originalPartition]: { type: 'string' },
        [DeadLetterHeaders.originalOffset]: { type: 'string' },
        [DeadLetterHeaders.consumerGroup]: { type: 'string', description: 'The consumer group that gave up' },
        [DeadLetterHeaders.attempts]: {
          type: 'string',
          description: 'Handler attempts made (0: refused at the edge)',
        },
        [DeadLetterHeaders.failedAt]: { type: 'string', format: 'date-time' },
        [DeadLetterPayloadHeaders.location]: {
          type: 'string',
          description:
            'Only on a dead letter too large for the topic even compressed, which then has no payload: where ' +
            "the payload is kept (`postgres:<schema>.dead_letter_payloads/<id>` in the service's database, or " +
            "`original-record`: the original topic, partition and offset, until that topic's retention)",
        },
        [DeadLetterPayloadHeaders.bytes]: {
          type: 'string',
          description: 'With dlq-payload-location: the size of the payload left out, in bytes',
        },
        [DeadLetterPayloadHeaders.sealed]: {
          type: 'string',
          description:
            'Set when the payload is sealed (it holds patient identifiers): the id of the hospital key it is ' +
            "sealed under. Only the hospital's operators open it (npm run dlq); find your record by the " +
            'message-id header and dlq-original-topic / -partition / -offset',
        },
      },
      required: Object.values(DeadLetterHeaders),
    },
    payload: {
      description:
        'The original payload (not necessarily JSON), gzip-compressed on the wire; sealed (AES-256-GCM over ' +
        'its gzip) when dlq-payload-sealed is set; none when dlq-payload-location is set',
    },
    bindings: {
      kafka: {
        key: { type: 'string', description: "The original record's key, unchanged" },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
    ...(topic === Topics.hisInpatient && {
      examples: [
        {
          name: 'invalid-fee-line',
          summary: 'A FeeLinesCharged whose quantity was not a number',
          headers: {
            [DeadLetterHeaders.reason]:
              'invalid FeeLinesCharged v1: data.lines[0].cnt: must be a signed decimal string …',
            [DeadLetterHeaders.originalTopic]: Topics.hisInpatient,
            [DeadLetterHeaders.originalPartition]: '2',
            [DeadLetterHeaders.originalOffset]: '1024',
            [DeadLetterHeaders.consumerGroup]: 'fee-detail',
            [DeadLetterHeaders.attempts]: '0',
            [DeadLetterHeaders.failedAt]: '2024-05-01T01:00:00.000Z',
          },
          payload: `{"id":"${exampleId('FeeLinesCharged.v1')}","type":"FeeLinesCharged", …}`,
        },
      ],
    }),
  };
}

function deadLetterName(topic: string): string {
  return `DeadLetter.${topic}`;
}

function channelBindings(topic: string, partitions: number | undefined): JsonSchema {
  return {
    kafka: {
      topic,
      ...(partitions !== undefined && { partitions }),
      topicConfiguration: {
        'cleanup.policy': [isCompactedTopic(topic) ? 'compact' : 'delete'],
        'max.message.bytes': MAX_MESSAGE_BYTES,
      },
      bindingVersion: KAFKA_BINDING_VERSION,
    },
  };
}

function channelDescription(topic: string, onTopic: readonly Contract[]): string {
  const keys = [...new Set(onTopic.map((c) => keyFieldOf(c)))];
  const keyed =
    keys.length <= 1
      ? `Keyed by ${keys[0] ?? 'ipt_no'}`
      : `Keyed by ipt_no (the visit), except ${onTopic
          .filter((c) => keyFieldOf(c) !== 'ipt_no')
          .map((c) => `${c.type} (${keyFieldOf(c)})`)
          .join(', ')}`;
  const who = HIS_TOPICS.has(topic)
    ? 'The HIS publishes, the insurance services consume.'
    : topic.startsWith('insurance.commands.')
      ? 'Internal commands between the insurance services; not for the HIS.'
      : 'The insurance services publish; the HIS and the dashboard read.';
  return `${keyed}. ${who} Created with ${PARTITIONS} partitions by \`npm start\` (provisioning creates every topic before the services start: they refuse to subscribe to a missing one); per-key order holds for any count, but changing the count later moves keys between partitions, so create it with its final count.`;
}

/** Servers, compression and topic creation: what Kafka needs that no message schema says. */
const KAFKA_DESCRIPTION =
  'Plain Kafka, no schema registry: the value is the JSON envelope (UTF-8), the key the string named per ' +
  'message. Produce with acks=all. Compression: none, gzip, snappy, lz4 or zstd (the services register the ' +
  'snappy, lz4 and zstd codecs their Kafka client lacks). Records above 1 MiB (the broker default ' +
  'message.max.bytes) are refused by the broker. Topics are not auto-created for the services; provision ' +
  `${ALL_TOPICS.filter((t) => HIS_TOPICS.has(t)).join(', ')} and the others before starting them.`;

export function buildAsyncApiDocument(): JsonSchema {
  const contracts = CONTRACTS as readonly Contract[];
  const messages: Record<string, JsonSchema> = {};
  for (const contract of contracts) messages[messageName(contract)] = message(contract);
  for (const topic of ALL_TOPICS) messages[deadLetterName(topic)] = deadLetterMessage(topic);

  const channels: Record<string, JsonSchema> = {};
  for (const topic of ALL_TOPICS) {
    const onTopic = contracts.filter((c) => c.topic === topic);
    const operation = HIS_TOPICS.has(topic) ? 'publish' : 'subscribe';
    const refs = onTopic.map((c) => ({ $ref: `#/components/messages/${messageName(c)}` }));
    channels[topic] = {
      description: channelDescription(topic, onTopic),
      ...(refs.length > 0 && {
        [operation]: {
          operationId: `${operation}${pascal(topic)}`,
          summary: HIS_TOPICS.has(topic)
            ? 'The HIS sends these; the services read them'
            : 'The services send these; subscribe to read them',
          tags: [tagOf(topic)],
          message: refs.length === 1 ? refs[0] : { oneOf: refs },
        },
      }),
      bindings: channelBindings(topic, PARTITIONS),
    };
    const dlq = dlqTopic(topic);
    channels[dlq] = {
      description: DEAD_LETTER_DESCRIPTION,
      subscribe: {
        operationId: `subscribe${pascal(dlq)}`,
        summary: `Read what the consumers of ${topic} refused, with the reason`,
        tags: [TAGS.deadLetter],
        message: { $ref: `#/components/messages/${deadLetterName(topic)}` },
      },
      bindings: channelBindings(dlq, undefined),
    };
  }

  return {
    asyncapi: '2.6.0',
    id: 'urn:yibao-inpatient-hub',
    info: {
      title: 'Inpatient insurance hub — Kafka messages',
      version: '1.0.0',
      description:
        'Messages between the hospital HIS and the inpatient insurance services (国家医保信息平台, Hubei). ' +
        'Every record value is a JSON envelope {id, type, schemaVersion, occurredAt, key, correlationId, ' +
        'causationId, traceparent, data}; the record key equals envelope.key (the HIS visit id ipt_no unless ' +
        'the message says otherwise) so that one visit stays in order. Money is a decimal string (16,2). A ' +
        `record that fails validation is moved to <topic>${DLQ_SUFFIX} with the reason. ${KAFKA_DESCRIPTION} ` +
        'A walk-through with kafka-console-producer.sh is in docs/his-integration.md. Generated from ' +
        'libs/contracts; do not edit by hand.',
      // example.org-style placeholders (RFC 2606): each hospital publishes the document with its own contact.
      contact: {
        name: "The hospital's integration team (replace with your own before handing the document out)",
        url: 'https://hospital.example/his-integration',
        email: 'his-integration@hospital.example',
      },
      license: { name: 'UNLICENSED (proprietary, for the hospital and its HIS vendors)' },
    },
    tags: Object.values(TAGS),
    defaultContentType: 'application/json',
    servers: {
      kafka: {
        url: '{brokers}',
        protocol: 'kafka',
        description: KAFKA_DESCRIPTION,
        variables: {
          brokers: {
            default: '127.0.0.1:9092',
            description: 'Bootstrap brokers (host:port); the local stack of `npm start` listens here',
          },
        },
      },
    },
    channels,
    components: { messages },
  };
}
