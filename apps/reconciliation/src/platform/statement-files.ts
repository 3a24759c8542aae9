import Decimal from 'decimal.js';
import { unzipSync, zipSync } from 'fflate';
import { type LedgerRow } from '../settlement-ledger/ledger-row';

// The platform's TXT-in-ZIP files (spec part 2 §1, §2.2): UTF-8, TAB-separated, no header, `null` for empty.

/** Table A, our detail file for 3202: setl_id, mdtrt_id, psn_no, medfee_sumamt, fund_pay_sumamt, acct_pay, refd_setl_flag. */
export function detailFile(rows: readonly LedgerRow[]): Uint8Array {
  const text = rows
    .map((r) =>
      [
        r.setl_id,
        r.mdtrt_id,
        r.psn_no,
        r.medfee_sumamt,
        r.fund_pay_sumamt,
        r.acct_pay,
        r.refd_setl_flag,
      ].join('\t'),
    )
    .join('\n');
  return zipSync({ 'detail.txt': new TextEncoder().encode(text) });
}

/** Table B, one row of 3202's result file. HN prints 7 columns, JX/OH/ZB 10 (the centre's amounts). */
export interface ResultRow {
  readonly psn_no?: string;
  readonly mdtrt_id?: string;
  readonly setl_id?: string;
  readonly msgid?: string;
  readonly stmt_rslt: string;
  readonly refd_setl_flag?: string;
  readonly memo?: string;
  readonly platform?: { medfee_sumamt: string; fund_pay_sumamt: string; acct_pay: string };
}

/** Reads `result.txt` (or the ZIP's only TXT); a field `null` or empty is not given. */
export function readResultFile(zip: Uint8Array): ResultRow[] {
  const entries = unzipSync(zip);
  const name = entries['result.txt'] ? 'result.txt' : Object.keys(entries).find((n) => n.endsWith('.txt'));
  if (!name)
    throw new Error(
      `3202's result file holds no TXT (entries: ${Object.keys(entries).join(', ') || 'none'})`,
    );
  return new TextDecoder()
    .decode(entries[name])
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const f = line.split('\t').map((v) => (v.trim() === '' || v.trim() === 'null' ? undefined : v.trim()));
      const amounts = f[7] !== undefined && f[8] !== undefined && f[9] !== undefined;
      return {
        psn_no: f[0],
        mdtrt_id: f[1],
        setl_id: f[2],
        msgid: f[3],
        stmt_rslt: f[4] ?? '',
        refd_setl_flag: f[5],
        memo: f[6],
        ...(amounts && {
          platform: {
            medfee_sumamt: new Decimal(f[7]!).toFixed(2),
            fund_pay_sumamt: new Decimal(f[8]!).toFixed(2),
            acct_pay: new Decimal(f[9]!).toFixed(2),
          },
        }),
      };
    });
}
