import { z } from 'zod';
import { defineContract } from './contract';
import { operatorExample, operatorSchema } from './operator';
import { commandTopic } from './topics';

// The catalogue service's commands (from the billing dashboard, on `insurance.commands.catalogue`, keyed by
// the infno).

/** The catalogues and dictionaries the catalogue service downloads (Hubei's list: 1312A instead of 1301–1306). */
export const DOWNLOADABLE_CATALOGUES = ['1312', '1312A', '1318', '1319', '1901'] as const;

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
        .describe('The catalogue query: 1312/1312A 医保目录, 1318 限价, 1319 先自付比例, 1901 字典'),
      requested_by: operatorSchema,
    })
    .strict(),
  example: { infno: '1318', requested_by: operatorExample },
});

export const CATALOGUE_CONTRACTS = [DownloadCatalogueV1] as const;
