import { z } from 'zod';
import { defineContract } from './contract';
import { code, platformDate } from './field-formats';
import { operatorExample, operatorSchema } from './operator';
import { commandTopic } from './topics';

// The catalogue service's commands (from the billing dashboard, on `insurance.commands.catalogue`, keyed by
// the infno).

/** The catalogues and dictionaries the catalogue service downloads (Hubei's list: 1312A instead of 1301–1306). */
export const DOWNLOADABLE_CATALOGUES = [
  '1307',
  '1308',
  '1310',
  '1311',
  '1312',
  '1312A',
  '1313',
  '1314',
  '1315',
  '1318',
  '1319',
  '1901',
] as const;

export const DownloadCatalogueV1 = defineContract({
  type: 'DownloadCatalogue',
  version: 1,
  topic: commandTopic('catalogue'),
  key: 'infno',
  summary:
    'A person asks for a catalogue download now (besides the daily schedule): the rows newer than the local ' +
    'cursor, page by page; a download already running goes on instead of starting again.',
  data: z
    .object({
      infno: z
        .enum(DOWNLOADABLE_CATALOGUES)
        .describe(
          'The catalogue: files by 版本号 — 1307 疾病与诊断, 1308 手术操作, 1310 按病种付费病种, 1311 日间手术治疗病种, ' +
            '1313 肿瘤形态学, 1314 中医疾病, 1315 中医证候; paged — 1312/1312A 医保目录, 1318 限价, 1319 先自付比例; 1901 字典',
        ),
      requested_by: operatorSchema,
    })
    .strict(),
  example: { infno: '1318', requested_by: operatorExample },
});

const fixmedins_hilist_id = code(30).describe('定点医药机构目录编号: the HIS item code');

export const ConfirmItemMappingV1 = defineContract({
  type: 'ConfirmItemMapping',
  version: 1,
  topic: commandTopic('catalogue'),
  key: 'fixmedins_hilist_id',
  summary:
    "A person maps one of the hospital's items to a national code (a suggestion or one searched for); the mapping " +
    'is uploaded with 3301 and, once the platform holds it, published to fee-detail (ItemMappingPublished).',
  data: z
    .object({
      fixmedins_hilist_id,
      med_list_codg: code(50).describe('The national code (医疗目录编码 / hilist_code)'),
      begndate: platformDate().optional().describe('Mapping valid from (default: today)'),
      enddate: platformDate().optional().describe('… until (default: 2099-12-31)'),
      requested_by: operatorSchema,
    })
    .strict(),
  example: {
    fixmedins_hilist_id: 'YP000123',
    med_list_codg: 'XJ01CAA040A001010101445',
    requested_by: operatorExample,
  },
});

export const WithdrawItemMappingV1 = defineContract({
  type: 'WithdrawItemMapping',
  version: 1,
  topic: commandTopic('catalogue'),
  key: 'fixmedins_hilist_id',
  summary:
    "A person withdraws an item's mapping: 3302, then fee-detail is told the item is no longer mapped.",
  data: z.object({ fixmedins_hilist_id, requested_by: operatorSchema }).strict(),
  example: { fixmedins_hilist_id: 'YP000123', requested_by: operatorExample },
});

export const CATALOGUE_CONTRACTS = [
  DownloadCatalogueV1,
  ConfirmItemMappingV1,
  WithdrawItemMappingV1,
] as const;
