import { type Contract } from './contract';
import { envelopeSchema } from './envelope';
import { DeadLetterHeaders, MessageHeaders } from './headers';
import { toJsonSchema, type JsonSchema } from './json-schema';
import { CONTRACTS } from './registry';
import { ALL_TOPICS, Topics, dlqTopic } from './topics';

// The AsyncAPI 2.6 document a HIS vendor integrates from: one channel per topic, one message per
// (type, version) with its envelope, headers, payload schema and a valid example. Deterministic, so the
// committed copy can be compared with a fresh generation.

const EXAMPLE_ENVELOPE = {
  id: '0f8fad5b-d9cb-469f-a165-70867728950e',
  occurredAt: '2024-05-01T09:00:00.000+08:00',
  correlationId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  causationId: null,
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
};

/** Topics the HIS writes (our services read); the rest our services write. */
const HIS_WRITES = new Set<string>([Topics.hisInpatient, Topics.hisClinical]);

export function messageName(contract: Pick<Contract, 'type' | 'version'>): string {
  return `${contract.type}.v${contract.version}`;
}

function headersSchema(): JsonSchema {
  return {
    type: 'object',
    properties: {
      [MessageHeaders.traceparent]: {
        type: 'string',
        description: 'W3C trace context, same as envelope.traceparent',
      },
      [MessageHeaders.messageId]: { type: 'string', format: 'uuid', description: 'Same as envelope.id' },
      [MessageHeaders.messageType]: { type: 'string', description: 'Same as envelope.type' },
      [MessageHeaders.schemaVersion]: {
        type: 'string',
        description: 'Same as envelope.schemaVersion, as text',
      },
      [MessageHeaders.contentType]: { type: 'string', const: 'application/json' },
    },
    required: [MessageHeaders.messageId, MessageHeaders.messageType, MessageHeaders.schemaVersion],
  };
}

function payloadSchema(contract: Contract): JsonSchema {
  const envelope = toJsonSchema(envelopeSchema) as { properties: Record<string, JsonSchema> };
  return {
    ...envelope,
    properties: {
      ...envelope.properties,
      type: { type: 'string', const: contract.type, description: 'Message type' },
      schemaVersion: { type: 'integer', const: contract.version, description: 'Version of the data schema' },
      data: toJsonSchema(contract.data),
    },
  };
}

function message(contract: Contract): JsonSchema {
  const parsed = contract.data.safeParse(contract.example);
  if (!parsed.success) {
    throw new Error(
      `example of ${messageName(contract)} does not satisfy its schema: ${parsed.error.message}`,
    );
  }
  const key = (contract.example as { ipt_no: string }).ipt_no;
  return {
    name: messageName(contract),
    title: `${contract.type} v${contract.version}`,
    summary: contract.summary,
    contentType: 'application/json',
    headers: headersSchema(),
    payload: payloadSchema(contract),
    bindings: {
      kafka: { key: { type: 'string', description: 'The HIS visit id (ipt_no), same as envelope.key' } },
    },
    examples: [
      {
        name: `${contract.type}-example`,
        headers: {
          [MessageHeaders.traceparent]: EXAMPLE_ENVELOPE.traceparent,
          [MessageHeaders.messageId]: EXAMPLE_ENVELOPE.id,
          [MessageHeaders.messageType]: contract.type,
          [MessageHeaders.schemaVersion]: String(contract.version),
          [MessageHeaders.contentType]: 'application/json',
        },
        payload: {
          id: EXAMPLE_ENVELOPE.id,
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
  'consumer refused; republish a corrected message to the original topic.';

function deadLetterMessage(): JsonSchema {
  return {
    name: 'DeadLetter',
    title: 'Dead letter',
    summary: 'A message a consumer could not handle, with the reason',
    headers: {
      type: 'object',
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
      },
      required: Object.values(DeadLetterHeaders),
    },
    payload: { description: 'The original payload, unchanged' },
    examples: [
      {
        name: 'invalid-fee-line',
        headers: {
          [DeadLetterHeaders.reason]:
            'invalid FeeLinesCharged v1: data.lines[0].cnt: must be a signed decimal string …',
          [DeadLetterHeaders.originalTopic]: Topics.hisInpatient,
          [DeadLetterHeaders.originalPartition]: '3',
          [DeadLetterHeaders.originalOffset]: '1024',
          [DeadLetterHeaders.consumerGroup]: 'fee-detail',
          [DeadLetterHeaders.attempts]: '0',
          [DeadLetterHeaders.failedAt]: '2024-05-01T01:00:00.000Z',
        },
      },
    ],
  };
}

export function buildAsyncApiDocument(): JsonSchema {
  const contracts = CONTRACTS as readonly Contract[];
  const messages: Record<string, JsonSchema> = { DeadLetter: deadLetterMessage() };
  for (const contract of contracts) messages[messageName(contract)] = message(contract);

  const channels: Record<string, JsonSchema> = {};
  for (const topic of ALL_TOPICS) {
    const onTopic = contracts.filter((c) => c.topic === topic);
    const operation = HIS_WRITES.has(topic) ? 'publish' : 'subscribe';
    const refs = onTopic.map((c) => ({ $ref: `#/components/messages/${messageName(c)}` }));
    channels[topic] = {
      description: `Keyed by ipt_no; ${
        HIS_WRITES.has(topic) ? 'the HIS publishes, our services consume' : 'our services publish'
      }.${onTopic.length === 0 ? ' Internal commands between services; not for the HIS.' : ''}`,
      ...(refs.length > 0 && {
        [operation]: {
          operationId: `${operation}${topic.replace(/(^|\.)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}`,
          message: refs.length === 1 ? refs[0] : { oneOf: refs },
        },
      }),
    };
    channels[dlqTopic(topic)] = {
      description: DEAD_LETTER_DESCRIPTION,
      subscribe: { message: { $ref: '#/components/messages/DeadLetter' } },
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
        'Every message is a JSON envelope {id, type, schemaVersion, occurredAt, key, correlationId, ' +
        'causationId, traceparent, data}; the Kafka key is the HIS visit id (ipt_no) so that one visit stays ' +
        'in order. Money is a decimal string (16,2), never a number. A message that fails validation is ' +
        'moved to <topic>.dlq with the reason. Generated from libs/contracts; do not edit by hand.',
    },
    defaultContentType: 'application/json',
    servers: {
      kafka: { url: '{brokers}', protocol: 'kafka', variables: { brokers: { default: '127.0.0.1:9092' } } },
    },
    channels,
    components: { messages },
  };
}
