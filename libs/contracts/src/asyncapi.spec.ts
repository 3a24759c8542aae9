import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ASYNCAPI_DOCUMENT_PATH, renderAsyncApiDocument } from './asyncapi-file';
import { messageName } from './asyncapi';
import { type Contract } from './contract';
import { PatientAdmittedV1 } from './his-inpatient';
import { toJsonSchema } from './json-schema';
import { CONTRACTS } from './registry';
import { ALL_TOPICS, dlqTopic } from './topics';

describe('AsyncAPI document', () => {
  it('is committed exactly as generated (regenerate with libs/contracts/scripts/generate-asyncapi.ts)', () => {
    // Compared as JSON: the committed file is prettier-formatted.
    expect(JSON.parse(readFileSync(ASYNCAPI_DOCUMENT_PATH, 'utf8'))).toEqual(
      JSON.parse(renderAsyncApiDocument()),
    );
  });

  const document = JSON.parse(renderAsyncApiDocument());

  it('documents every contract with an example and every topic with its dead-letter twin', () => {
    for (const contract of CONTRACTS as readonly Contract[]) {
      const message = document.components.messages[messageName(contract)];
      expect(message.examples[0].payload.data).toEqual(contract.example);
      expect(message.payload.properties.type.const).toBe(contract.type);
    }
    for (const topic of ALL_TOPICS) {
      expect(document.channels[topic]).toBeDefined();
      expect(document.channels[dlqTopic(topic)]).toBeDefined();
    }
  });

  it('states what an admission must carry: the certificate, and psn_no only when known', () => {
    const data = document.components.messages[messageName(PatientAdmittedV1)].payload.properties.data;
    expect(data.additionalProperties).toBe(false);
    expect(data.required).toEqual(expect.arrayContaining(['insutype', 'mdtrt_cert_type', 'mdtrt_cert_no']));
    expect(data.required).not.toContain('psn_no');
  });
});

describe('toJsonSchema', () => {
  it('converts the zod features the contracts use', () => {
    const schema = z
      .object({
        a: z.string().min(1).max(3).regex(/^x+$/),
        b: z.number().int().min(0).optional(),
        c: z.array(z.enum(['1', '2'])).min(1),
        d: z.boolean().nullable().describe('maybe'),
      })
      .strict();
    expect(toJsonSchema(schema)).toEqual({
      type: 'object',
      properties: {
        a: { type: 'string', minLength: 1, maxLength: 3, pattern: '^x+$' },
        b: { type: 'integer', minimum: 0 },
        c: { type: 'array', items: { type: 'string', enum: ['1', '2'] }, minItems: 1 },
        d: { anyOf: [{ type: 'boolean' }, { type: 'null' }], description: 'maybe' },
      },
      required: ['a', 'c', 'd'],
      additionalProperties: false,
    });
  });

  it('refuses a zod feature it cannot express rather than dropping it', () => {
    expect(() => toJsonSchema(z.map(z.string(), z.string()))).toThrow('unsupported zod type ZodMap');
  });
});
