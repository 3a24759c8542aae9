import { type PlatformClient } from '@yb/platform-client';
import { type CatalogueInfno } from '../lookup/catalogue-kinds';

/** One page as the platform answered it. */
export type PageAnswer =
  | {
      readonly status: 'page';
      readonly rows: readonly Record<string, unknown>[];
      /** Pages the platform announces (1901: the dictionary types asked). */
      readonly pages?: number;
    }
  | { readonly status: 'refused'; readonly err_msg: string }
  /** No answer, or one we cannot read: the page is asked again later (a query changes nothing). */
  | { readonly status: 'unanswered'; readonly reason: string };

export interface PageRequest {
  readonly infno: CatalogueInfno;
  readonly page_num: number;
  readonly cursor: string;
  readonly pageSize: number;
  readonly dictionaryTypes: readonly string[];
  readonly admdvs: string;
  readonly today: string;
}

const wholeOrUndefined = (value: unknown): number | undefined => {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : undefined;
};

/** Asks the platform for one page of a catalogue download (1901: the page-th dictionary type). */
export async function fetchPage(client: PlatformClient, request: PageRequest): Promise<PageAnswer> {
  const { infno, page_num } = request;
  const options = { visitKey: `catalogue-${infno}` };
  const result =
    infno === '1901'
      ? await client.call(
          '1901',
          {
            data: {
              type: request.dictionaryTypes[page_num - 1],
              parentValue: '',
              admdvs: request.admdvs,
              date: request.today,
              valiFlag: '1',
            },
          },
          options,
        )
      : await client.call(
          infno,
          { data: { updt_time: request.cursor, page_num, page_size: request.pageSize } },
          options,
        );
  switch (result.status) {
    case 'SUCCEEDED': {
      if (infno === '1901') {
        const output = result.output as { list: Record<string, unknown>[] };
        return { status: 'page', rows: output.list, pages: request.dictionaryTypes.length };
      }
      const output = result.output as { data: Record<string, unknown>[]; pages?: string | null };
      const pages = wholeOrUndefined(output.pages);
      return { status: 'page', rows: output.data, ...(pages !== undefined && { pages }) };
    }
    case 'REJECTED':
      return { status: 'refused', err_msg: `${result.infcode} ${result.err_msg}` };
    case 'APPLIED_UNREADABLE':
      return { status: 'unanswered', reason: `unreadable answer (msgid ${result.msgid})` };
    case 'UNKNOWN':
      return { status: 'unanswered', reason: `${result.reason} (msgid ${result.msgid})` };
  }
}
