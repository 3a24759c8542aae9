import { readFileSync } from 'node:fs';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { z } from 'zod';
import {
  ASYNCAPI_DOCUMENT_PATH,
  HIS_INTEGRATION_PATH,
  renderAsyncApiDocument,
  renderHisIntegration,
} from './asyncapi-file';
import { messageName } from './asyncapi';
import { keyFieldOf, type Contract } from './contract';
import { PatientAdmittedV1 } from './his-inpatient';
import { toJsonSchema } from './json-schema';
import { CONTRACTS, HIS_TOPICS } from './registry';
import { ALL_TOPICS, dlqTopic } from './topics';

describe('AsyncAPI document', () => {
  it('is committed exactly as generated (regenerate with libs/contracts/scripts/generate-asyncapi.ts)', () => {
    // Compared as JSON: the committed file is prettier-formatted.
    expect(JSON.parse(readFileSync(ASYNCAPI_DOCUMENT_PATH, 'utf8'))).toEqual(
      JSON.parse(renderAsyncApiDocument()),
    );
  });

  it("keeps docs/his-integration.md's example records and result list as generated", () => {
    // Compared without the spacing prettier gives tables (the script formats the page).
    const squash = (text: string) => text.replace(/-{3,}/g, '---').replace(/\s+/g, ' ');
    const committed = readFileSync(HIS_INTEGRATION_PATH, 'utf8');
    expect(squash(committed)).toBe(squash(renderHisIntegration(committed)));
  });

  const document = JSON.parse(renderAsyncApiDocument());

  /** The official parser's errors and warnings on a document, one line each. */
  async function parserFindings(text: string) {
    const { document: parsed, diagnostics } = await new Parser().parse(text);
    const findings = diagnostics
      .filter((d) => d.severity === DiagnosticSeverity.Error || d.severity === DiagnosticSeverity.Warning)
      .map((d) => `${d.code} at ${d.path.join('.')}: ${d.message}`);
    return { parsed, findings };
  }

  it('passes the official parser (@asyncapi/parser) without an error or a warning', async () => {
    const { parsed, findings } = await parserFindings(renderAsyncApiDocument());
    expect(findings).toEqual([]);
    expect(parsed?.allMessages().length).toBe(CONTRACTS.length + ALL_TOPICS.length);
  });

  it('would report a document the parser finds fault with (a message without its messageId)', async () => {
    const seeded = JSON.parse(renderAsyncApiDocument());
    const [first] = Object.keys(seeded.components.messages);
    delete seeded.components.messages[first].messageId;
    const { findings } = await parserFindings(JSON.stringify(seeded));
    expect(findings.join('\n')).toMatch(/messageId/);
  });

  it("keys every example by its contract's key field, and says so in the key binding", () => {
    for (const contract of CONTRACTS as readonly Contract[]) {
      const message = document.components.messages[messageName(contract)];
      const field = keyFieldOf(contract);
      expect(message.examples[0].payload.key).toBe((contract.example as Record<string, unknown>)[field]);
      expect(message.bindings.kafka.key.description).toContain(`data.${field}`);
      expect(message.payload.required).toEqual(expect.arrayContaining(['key', 'data']));
    }
    const byRunDate = (CONTRACTS as readonly Contract[]).filter((c) => keyFieldOf(c) === 'run_date');
    expect(byRunDate.map((c) => c.type).sort()).toEqual(['ReportBacklogSummarized', 'RunReportUploads']);
  });

  it('gives the national code lists of the dictionaries the HIS fields use, not examples of them', () => {
    const data = document.components.messages[messageName(PatientAdmittedV1)].payload.properties.data;
    expect(Object.keys(data.properties.insutype['x-enumDescriptions'])).toHaveLength(14);
    expect(data.properties.insutype.description).toMatch(
      /^险种类型 \(platform dictionary insutype\): 310 职工基本医疗保险;/,
    );
    expect(data.properties.mdtrt_cert_type.enum).toEqual(['01', '02', '03']);
    expect(data.properties.diagnoses.items.properties.maindiag_flag['x-enumDescriptions']).toEqual({
      '0': '否',
      '1': '是',
    });
    for (const contract of (CONTRACTS as readonly Contract[]).filter((c) => HIS_TOPICS.has(c.topic))) {
      expect(JSON.stringify(document.components.messages[messageName(contract)].payload)).not.toMatch(
        /e\.g\./,
      );
    }
  });

  it('marks no header required: the services read the envelope, the traceparent header first when present', () => {
    const message = document.components.messages[messageName(PatientAdmittedV1)];
    expect(message.headers.required).toBeUndefined();
    expect(message.payload.required).not.toContain('traceparent');
    expect(message.payload.required).not.toContain('causationId');
  });

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
