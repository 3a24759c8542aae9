import Decimal from 'decimal.js';
import { type Output5262, type PlatformClient } from '@yb/platform-client';
import { type PeriodInfno } from '../reconciliation-day/reconciliation-day.events';
import { type ListedSettlement } from './compare-details';
import { answerOf, type Answer } from './statement-calls';

/** A settlement day's window as a period check asks it (Beijing time, as setl_time is). */
export interface SettlementWindow {
  readonly begntime: string;
  readonly endtime: string;
}

export const dayWindow = (stmt_date: string): SettlementWindow => ({
  begntime: `${stmt_date} 00:00:00`,
  endtime: `${stmt_date} 23:59:59`,
});

/**
 * "List the platform's settlements in a window": Hubei's 5262 (our own area's insured) / 5267 (异地). A province
 * whose fields differ gets its own implementation; the comparison only needs ListedSettlement rows.
 */
export interface SettlementWindowSource {
  list(infno: PeriodInfno, window: SettlementWindow): Promise<Answer<ListedSettlement[]>>;
}

/** The most pages one check reads: a day of a large hospital at 100 a page, with room to spare. */
const MAX_PAGES = 1_000;

/**
 * Hubei's 5262 / 5267 as the README chose them (after Dongguan's 90502): begntime / endtime, page_num /
 * page_size in; totalRow / totalPage, setlinfo[] out. Every page is read, from the first until the last one
 * the platform names (totalPage), or until a page comes back short when it names none. A row listed twice (a
 * page boundary moved while reading) counts once. A read-only query: a call without an answer is asked again.
 */
export class HubeiSettlementWindow implements SettlementWindowSource {
  constructor(
    private readonly client: PlatformClient,
    /** Our own area (NHSA_MDTRTAREA_ADMVS): the agency of a 5262 row that names none. */
    private readonly ownArea: string,
    private readonly pageSize = 100,
  ) {}

  async list(infno: PeriodInfno, window: SettlementWindow): Promise<Answer<ListedSettlement[]>> {
    const rows = new Map<string, ListedSettlement>();
    for (let page_num = 1; page_num <= MAX_PAGES; page_num += 1) {
      const answer = answerOf(
        infno,
        window.begntime,
        await this.client.call(
          infno,
          { data: { ...window, page_num, page_size: this.pageSize } },
          { visitKey: `reconciliation:${window.begntime.slice(0, 10)}` },
        ),
      );
      if (answer.kind === 'refused') return answer;
      const { setlinfo, totalPage } = answer.value;
      for (const s of setlinfo) {
        const agency = agencyOf(s) ?? (infno === '5262' ? this.ownArea : undefined);
        // A 异地 row without its agency cannot be grouped (nor cleared): the check is refused, a person sees why.
        if (agency === undefined)
          return { kind: 'refused', reason: `${infno} listed settlement ${s.setl_id} without clr_optins` };
        rows.set(s.setl_id, listedOf(s, agency));
      }
      const last = totalPage != null ? page_num >= Number(totalPage) : setlinfo.length < this.pageSize;
      if (last || setlinfo.length === 0) return { kind: 'answered', value: [...rows.values()] };
    }
    return { kind: 'refused', reason: `${infno} named more than ${MAX_PAGES} pages for ${window.begntime}` };
  }
}

type ListedRecord = Output5262['setlinfo'][number];

/** The clearing agency of a listed row: clr_optins, else the insured's area (5203's insu_optins, or insu_admdvs). */
function agencyOf(s: ListedRecord): string | undefined {
  const area = s.clr_optins ?? s['insu_optins'] ?? s['insu_admdvs'];
  return typeof area === 'string' && area !== '' ? area : undefined;
}

function listedOf(s: ListedRecord, setl_optins: string): ListedSettlement {
  const fen = (amount: string) => new Decimal(amount).toFixed(2);
  return {
    setl_id: s.setl_id,
    mdtrt_id: s.mdtrt_id,
    psn_no: s.psn_no,
    insutype: s.insutype,
    clr_type: s.clr_type,
    setl_optins,
    refd_setl_flag: s.refd_setl_flag === '1' ? '1' : '0',
    ...(s.medins_setl_id && { msgid: s.medins_setl_id }),
    amounts: {
      medfee_sumamt: fen(s.medfee_sumamt),
      fund_pay_sumamt: fen(s.fund_pay_sumamt),
      acct_pay: fen(s.acct_pay),
    },
  };
}
