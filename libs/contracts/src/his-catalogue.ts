import { z } from 'zod';
import { defineContract } from './contract';
import { code, unitPrice } from './field-formats';
import { Topics } from './topics';

// The hospital's own item list (its 收费项目 / 药品字典), published by the HIS on `his.catalogue`: what the
// catalogue service maps to the platform's national codes. Keyed by the HIS's list id, not a visit.

const hospitalItem = z
  .object({
    fixmedins_hilist_id: code(30).describe('定点医药机构目录编号: the HIS item code (2301 medins_list_codg)'),
    fixmedins_hilist_name: code(200).describe('定点医药机构目录名称'),
    list_type: z
      .enum(['101', '102', '103', '104', '105', '201', '301'])
      .describe('目录类别: 101 西药中成药 … 201 医疗服务项目, 301 医用耗材'),
    spec: z.string().max(200).optional().describe('规格'),
    prdr_name: z.string().max(200).optional().describe('生产厂家名称'),
    dosform: z.string().max(200).optional().describe('剂型'),
    prcunt: z.string().max(100).optional().describe('计价单位'),
    aprvno: z.string().max(30).optional().describe('批准文号'),
    pric: unitPrice().optional().describe('院内单价'),
  })
  .strict();

export const HospitalItemsPublishedV1 = defineContract({
  type: 'HospitalItemsPublished',
  version: 1,
  topic: Topics.hisCatalogue,
  key: 'list_id',
  summary:
    'The HIS publishes (part of) its item list; each item is kept and offered for mapping to a national code. An ' +
    'item published again with other fields is updated; an item left out is not removed.',
  data: z
    .object({
      list_id: code(64).describe('The HIS list (or page of it) this message carries'),
      items: z.array(hospitalItem).min(1).max(1000).describe('At most 1000 items per message'),
    })
    .strict(),
  example: {
    list_id: 'items-2026-12-03-1',
    items: [
      {
        fixmedins_hilist_id: 'YP000123',
        fixmedins_hilist_name: '阿莫西林胶囊',
        list_type: '101',
        spec: '0.25g',
        prdr_name: '华中药业',
        pric: '28.5',
      },
    ],
  },
});

export const HIS_CATALOGUE_CONTRACTS = [HospitalItemsPublishedV1] as const;
