import { z } from 'zod';
import { defineContract } from './contract';
import { DOWNLOADABLE_CATALOGUES } from './commands-catalogue';
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

// The region's dictionaries for every service that calls the platform, on a compacted topic keyed by the
// dictionary type: a service reading it from the start accepts a region's local codes (a Hubei 医疗类别, say)
// that the national lists built into the platform client lack.

export const DictionaryPublishedV1 = defineContract({
  type: 'DictionaryPublished',
  version: 1,
  topic: Topics.catalogueDictionaries,
  key: 'type',
  summary:
    "One 1901 dictionary of the hospital's region as last downloaded: its valid codes. Services add them to the " +
    "platform client's built-in lists (codes are added, never removed at run time).",
  data: z
    .object({
      type: code(50).describe('1901 字典类型, as the platform names it (e.g. med_type, MED_TYPE)'),
      admdvs: code(6).describe('The region the dictionary is of (1901 admdvs)'),
      codes: z
        .array(
          z
            .object({
              value: code(50).describe('字典值'),
              label: z.string().max(200).describe('字典标签'),
            })
            .strict(),
        )
        .max(10_000),
      downloaded_at: z.string().datetime({ offset: true }),
    })
    .strict(),
  example: {
    type: 'med_type',
    admdvs: '420100',
    codes: [
      { value: '21', label: '普通住院' },
      { value: '52', label: '生育住院' },
    ],
    downloaded_at: '2026-12-03T02:00:00.000+08:00',
  },
});

// Each completed download is a new local version of its catalogue, on a compacted topic keyed by the infno: the
// latest record per catalogue is what the hospital holds now (the dashboard's 目录 page shows it).

export const CatalogueVersionDownloadedV1 = defineContract({
  type: 'CatalogueVersionDownloaded',
  version: 1,
  topic: Topics.catalogueVersions,
  key: 'infno',
  summary:
    'A catalogue download completed: the version the hospital now holds (the newest 版本号 or updt_time loaded), ' +
    'the rows this download brought, what started it and when it ended.',
  data: z
    .object({
      infno: z.enum(DOWNLOADABLE_CATALOGUES),
      version: z
        .string()
        .max(40)
        .describe("The newest 版本号 (files) or updt_time (paged queries) held; '' for 1901 (asked whole)"),
      rows: z.number().int().nonnegative().describe('Rows this download loaded (0: nothing newer)'),
      trigger: z.enum(['schedule', 'operator', 'start']),
      requested_by: code(64).optional().describe('Who asked, for an operator download'),
      started_at: z.string().datetime({ offset: true }),
      downloaded_at: z.string().datetime({ offset: true }),
    })
    .strict(),
  example: {
    infno: '1314',
    version: '1314V0004',
    rows: 400,
    trigger: 'operator',
    requested_by: 'zhangli',
    started_at: '2026-12-03T03:00:00.000+08:00',
    downloaded_at: '2026-12-03T03:00:02.500+08:00',
  },
});

export const INSURANCE_CATALOGUE_CONTRACTS = [
  ItemMappingPublishedV1,
  DictionaryPublishedV1,
  CatalogueVersionDownloadedV1,
] as const;
