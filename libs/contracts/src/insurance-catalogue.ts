import { z } from 'zod';
import { defineContract } from './contract';
import { code, platformDate } from './field-formats';
import { Topics } from './topics';

// What fee-detail needs of the catalogue, on a compacted topic keyed by the HIS item code: the latest record
// per item is the item's mapping, so a service reading the topic from the start holds every mapping in memory
// and checks a fee line without asking anyone.

export const ItemMappingPublishedV1 = defineContract({
  type: 'ItemMappingPublished',
  version: 1,
  topic: Topics.catalogueMappings,
  key: 'fixmedins_hilist_id',
  summary:
    'The mapping of one hospital item as the platform holds it (3301 accepted), or its withdrawal (3302): with the ' +
    "national code's validity and the platform's price limit (1318) and self-pay ratio (1319) as last downloaded.",
  data: z
    .object({
      fixmedins_hilist_id: code(30).describe('The HIS item code (2301 medins_list_codg)'),
      status: z.enum(['mapped', 'withdrawn']),
      med_list_codg: code(50).describe('The national code (2301 med_list_codg)'),
      list_type: code(3),
      hilist_name: z.string().max(200).optional().describe('The national name'),
      begndate: platformDate().optional().describe('The national code valid from'),
      enddate: platformDate().optional().describe('… until (absent: open)'),
      pric_uplmt_amt: z
        .string()
        .regex(/^\d+(\.\d+)?$/)
        .optional()
        .describe('定价上限金额 (1318); absent when the platform sets none'),
      selfpay_prop: z
        .string()
        .regex(/^\d+(\.\d+)?$/)
        .optional()
        .describe('先自付比例 (1319)'),
      mapped_by: code(64).describe('Who confirmed (or withdrew) the mapping'),
    })
    .strict(),
  example: {
    fixmedins_hilist_id: 'YP000123',
    status: 'mapped',
    med_list_codg: 'XJ01CAA040A001010101445',
    list_type: '101',
    hilist_name: '阿莫西林胶囊',
    begndate: '2024-01-01',
    pric_uplmt_amt: '30.00',
    selfpay_prop: '0',
    mapped_by: 'zhangli',
  },
});

export const INSURANCE_CATALOGUE_CONTRACTS = [ItemMappingPublishedV1] as const;
