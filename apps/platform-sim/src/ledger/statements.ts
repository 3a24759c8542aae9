import Decimal from 'decimal.js';
import {
  isObject,
  optionalString,
  requireDecimal,
  requireRows,
  requireString,
  type JsonObject,
} from './input-fields';
import type { LedgerContext } from './ledger-context';
import type { LedgerState, Settlement } from './ledger-state';
import { storeFile } from './platform-files';
import { reject } from './platform-rejection';
import { unzipTxt, zipTxt } from './statement-files';
import { money } from './wire-amounts';

// 3201 对总账, 3202 对明细账 and 5203 结算信息查询 (spec part 2 §2.1, §2.2, §2.4), answered from the platform's
// own settlements: each standing or refunded 2304 is a row on its settlement day, and a 2305 refund is a row
// of its own (negative amounts, refd_setl_flag 1) on the refund's day. A 2304 undone by 2601 is no row.

/** One settlement row as the platform keeps it for reconciliation. */
export interface StatementRow {
  readonly setl_id: string;
  readonly mdtrt_id: string;
  readonly psn_no: string;
  /** The request msgid of the 2304 (or the 2305 of a refund row): usable as 2601's omsgid. */
  readonly msgid: string;
  readonly insutype: string;
  readonly clr_type: string;
  readonly setl_optins: string;
  readonly setl_time: string;
  readonly medfee_sumamt: Decimal;
  readonly fund_pay_sumamt: Decimal;
  readonly acct_pay: Decimal;
  readonly cash_payamt: Decimal;
  readonly psn_pay: Decimal;
  readonly refd_setl_flag: '0' | '1';
  /** The settlement it belongs to (a refund row's original), for refd_setl_flag 0 totals. */
  readonly origin: Settlement;
}

/** Per-row results of the 3202 result file (JX's four values; HN prints 0 平 / 1 不平 only). */
const BALANCED = '0';
const CENTRE_ONLY = '1';
const HOSPITAL_ONLY = '2';
const AMOUNTS_DIFFER = '3';

/** Table A's columns: setl_id, mdtrt_id, psn_no, medfee_sumamt, fund_pay_sumamt, acct_pay, refd_setl_flag. */
const UPLOAD_COLUMNS = 7;

/** The hospital's settlement rows (its msgids' first 12 characters), refunds as rows of their own. */
export function rowsOf(state: LedgerState, fixmedins_code: string): StatementRow[] {
  const rows: StatementRow[] = [];
  for (const s of state.settlements.values()) {
    // The hospital that settled is the msgid's first 12 characters (fixmedins_code).
    if (s.status === 'reversed' || !s.msgid.startsWith(fixmedins_code)) continue;
    const setlinfo = (isObject(s.output['setlinfo']) ? s.output['setlinfo'] : {}) as JsonObject;
    const group = {
      insutype: String(setlinfo['insutype'] ?? ''),
      clr_type: String(setlinfo['clr_type'] ?? ''),
      setl_optins: String(setlinfo['clr_optins'] ?? ''),
    };
    const amounts = {
      medfee_sumamt: s.medfee_sumamt,
      fund_pay_sumamt: s.fund_pay_sumamt,
      acct_pay: s.acct_pay,
      cash_payamt: s.psn_cash_pay,
      psn_pay: s.psn_part_amt,
    };
    const keys = { mdtrt_id: s.mdtrt_id, psn_no: s.psn_no, origin: s, ...group };
    rows.push({
      ...keys,
      ...amounts,
      setl_id: s.setl_id,
      msgid: s.msgid,
      setl_time: s.setl_time,
      refd_setl_flag: '0',
    });
    if (s.status === 'cancelled' && s.cancelSetlId && s.cancelMsgid && s.cancelSetlTime) {
      const negated = Object.fromEntries(
        Object.entries(amounts).map(([k, v]) => [k, v.neg()]),
      ) as typeof amounts;
      rows.push({
        ...keys,
        ...negated,
        setl_id: s.cancelSetlId,
        msgid: s.cancelMsgid,
        setl_time: s.cancelSetlTime,
        refd_setl_flag: '1',
      });
    }
  }
  return rows;
}

/** The key suffix of a day's 3202 in LedgerState.statementChecks (the others name an insutype). */
export const DETAILS = 'details';

/** Records that the hospital reconciled each day of a period (what Hubei's clearing applications check). */
function recordCheck(
  ctx: LedgerContext,
  group: { clr_type: string; setl_optins: string },
  { begn, end }: { begn: string; end: string },
  what: string,
  balanced: boolean,
): void {
  const day = new Date(`${begn}T00:00:00Z`);
  for (let n = 0; n < 366 && day.toISOString().slice(0, 10) <= end; n += 1) {
    const key = `${ctx.req.fixmedins_code}|${group.clr_type}|${group.setl_optins}|${day.toISOString().slice(0, 10)}`;
    ctx.state.statementChecks.set(`${key}|${what}`, { balanced, at: ctx.dateTime });
    day.setUTCDate(day.getUTCDate() + 1);
  }
}

/** The whole-day period of a reconciliation call (begin 00:00:00 to end 23:59:59, spec part 2 §1). */
function periodOf(data: JsonObject): { begn: string; end: string } {
  const begn = requireString(data, 'stmt_begndate', 'data.');
  const end = requireString(data, 'stmt_enddate', 'data.');
  if (end < begn) reject(`对账结束日期[${end}]不能早于对账开始日期[${begn}]`);
  return { begn, end };
}

const inPeriod = (row: StatementRow, { begn, end }: { begn: string; end: string }) => {
  const day = row.setl_time.slice(0, 10);
  return day >= begn && day <= end;
};

/** refd_setl_flag 0 leaves refunded settlements out (both their rows); 1 or absent counts every row. */
const countsUnder = (flag: string | undefined) => (row: StatementRow) =>
  flag !== '0' || row.origin.status !== 'cancelled';

const sum = (
  rows: readonly StatementRow[],
  field: 'medfee_sumamt' | 'fund_pay_sumamt' | 'acct_pay' | 'cash_payamt',
) => rows.reduce((total, row) => total.plus(row[field]), new Decimal(0));

/** 3201 医药机构费用结算对总账: the hospital's totals of one group against the platform's. */
export function reconcileTotals(ctx: LedgerContext): JsonObject {
  const [data] = requireRows(ctx.req.input, 'data') as [JsonObject];
  const group = {
    insutype: requireString(data, 'insutype', 'data.'),
    clr_type: requireString(data, 'clr_type', 'data.'),
    setl_optins: requireString(data, 'setl_optins', 'data.'),
  };
  const period = periodOf(data);
  const theirs = {
    count: requireDecimal(data, 'fixmedins_setl_cnt', 'data.'),
    medfee_sumamt: requireDecimal(data, 'medfee_sumamt', 'data.'),
    fund_pay_sumamt: requireDecimal(data, 'fund_pay_sumamt', 'data.'),
    acct_pay: requireDecimal(data, 'acct_pay', 'data.'),
  };
  const rows = rowsOf(ctx.state, ctx.req.fixmedins_code).filter(
    (row) =>
      row.insutype === group.insutype &&
      row.clr_type === group.clr_type &&
      row.setl_optins === group.setl_optins &&
      inPeriod(row, period) &&
      countsUnder(optionalString(data, 'refd_setl_flag'))(row),
  );
  const ours = {
    count: new Decimal(rows.length),
    medfee_sumamt: sum(rows, 'medfee_sumamt'),
    fund_pay_sumamt: sum(rows, 'fund_pay_sumamt'),
    acct_pay: sum(rows, 'acct_pay'),
  };
  const names = {
    count: '结算笔数',
    medfee_sumamt: '医疗费总额',
    fund_pay_sumamt: '基金支付总额',
    acct_pay: '个人账户支付金额',
  };
  const differences = (Object.keys(names) as (keyof typeof names)[])
    .filter((field) => !theirs[field].eq(ours[field]))
    .map((field) => `${names[field]}：医药机构[${theirs[field].toFixed()}]，中心[${ours[field].toFixed()}]`);
  recordCheck(ctx, group, period, group.insutype, differences.length === 0);
  return {
    stmtinfo: {
      setl_optins: group.setl_optins,
      stmt_rslt: differences.length === 0 ? BALANCED : '1',
      stmt_rslt_dscr: differences.length === 0 ? '对账平' : `对账不平：${differences.join('；')}`,
    },
  };
}

/**
 * 3202 医药机构费用结算对明细账: the uploaded detail file (9101) compared line by line, by setl_id, with the
 * platform's rows of the same setl_optins × clr_type and period (3202 names no insutype, so every insutype);
 * the result file lists every row of either side with its result and the centre's amounts.
 */
export function reconcileDetails(ctx: LedgerContext): JsonObject {
  const [data] = requireRows(ctx.req.input, 'data') as [JsonObject];
  const setl_optins = requireString(data, 'setl_optins', 'data.');
  const clr_type = requireString(data, 'clr_type', 'data.');
  const file_qury_no = requireString(data, 'file_qury_no', 'data.');
  const period = periodOf(data);
  const file = ctx.state.files.get(file_qury_no);
  if (!file || file.fixmedins_code !== ctx.req.fixmedins_code)
    reject(`文件查询号[${file_qury_no}]对应的文件不存在`);
  const uploaded = unzipTxt(file.bytes).map((fields, i) => uploadedRow(fields, i + 1));
  const count = requireDecimal(data, 'fixmedins_setl_cnt', 'data.');
  const medfee = requireDecimal(data, 'medfee_sumamt', 'data.');
  const fund = requireDecimal(data, 'fund_pay_sumamt', 'data.');
  if (!count.eq(uploaded.length))
    reject(`结算笔数[${count.toFixed()}]与明细文件行数[${uploaded.length}]不一致`);
  const fileSum = (f: 'medfee_sumamt' | 'fund_pay_sumamt') =>
    uploaded.reduce((t, r) => t.plus(r[f]), new Decimal(0));
  if (!medfee.eq(fileSum('medfee_sumamt')) || !fund.eq(fileSum('fund_pay_sumamt'))) {
    reject('医疗费总额或基金支付总额与明细文件合计不一致');
  }
  const flag = optionalString(data, 'refd_setl_flag');
  const platform = rowsOf(ctx.state, ctx.req.fixmedins_code).filter(
    (row) =>
      row.setl_optins === setl_optins &&
      row.clr_type === clr_type &&
      inPeriod(row, period) &&
      countsUnder(flag)(row),
  );
  const hospital = new Map(uploaded.map((row) => [row.setl_id, row]));
  const centre = new Map(platform.map((row) => [row.setl_id, row]));
  const result = [
    ...platform.map((row) => {
      const theirs = hospital.get(row.setl_id);
      const stmt_rslt = !theirs
        ? CENTRE_ONLY
        : theirs.medfee_sumamt.eq(row.medfee_sumamt) &&
            theirs.fund_pay_sumamt.eq(row.fund_pay_sumamt) &&
            theirs.acct_pay.eq(row.acct_pay) &&
            theirs.refd_setl_flag === row.refd_setl_flag
          ? BALANCED
          : AMOUNTS_DIFFER;
      const memo = { [CENTRE_ONLY]: '中心多', [BALANCED]: '平', [AMOUNTS_DIFFER]: '数据不一致' }[stmt_rslt];
      return [
        row.psn_no,
        row.mdtrt_id,
        row.setl_id,
        row.msgid,
        stmt_rslt,
        row.refd_setl_flag,
        memo,
        row.medfee_sumamt.toFixed(2),
        row.fund_pay_sumamt.toFixed(2),
        row.acct_pay.toFixed(2),
      ];
    }),
    ...uploaded
      .filter((row) => !centre.has(row.setl_id))
      .map((row) => [
        row.psn_no,
        row.mdtrt_id,
        row.setl_id,
        undefined,
        HOSPITAL_ONLY,
        row.refd_setl_flag,
        '医药机构多',
      ]),
  ];
  recordCheck(ctx, { clr_type, setl_optins }, period, DETAILS, false);
  const stored = storeFile(ctx, 'st', 'result.zip', zipTxt('result.txt', result));
  return {
    fileinfo: {
      file_qury_no: stored.file_qury_no,
      filename: stored.filename,
      dld_endtime: stored.dld_endtime,
    },
  };
}

function uploadedRow(fields: readonly string[], line: number) {
  if (fields.length !== UPLOAD_COLUMNS)
    reject(`明细文件第${line}行应有${UPLOAD_COLUMNS}列，实有${fields.length}列`);
  const amount = (i: number, name: string) => {
    try {
      return new Decimal(fields[i]);
    } catch {
      return reject(`明细文件第${line}行[${name}]不是有效数字：${fields[i]}`);
    }
  };
  if (!fields[0]) reject(`明细文件第${line}行[setl_id]不能为空`);
  return {
    setl_id: fields[0],
    mdtrt_id: fields[1],
    psn_no: fields[2],
    medfee_sumamt: amount(3, 'medfee_sumamt'),
    fund_pay_sumamt: amount(4, 'fund_pay_sumamt'),
    acct_pay: amount(5, 'acct_pay'),
    refd_setl_flag: fields[6],
  };
}

/** 5203 结算信息查询: one settlement (or refund) row with 5203's names (psn_pay, cash_payamt). */
export function querySettlement(ctx: LedgerContext): JsonObject {
  const [data] = requireRows(ctx.req.input, 'data') as [JsonObject];
  const psn_no = requireString(data, 'psn_no', 'data.');
  const setl_id = requireString(data, 'setl_id', 'data.');
  const mdtrt_id = optionalString(data, 'mdtrt_id');
  const row = rowsOf(ctx.state, ctx.req.fixmedins_code).find(
    (r) =>
      r.setl_id === setl_id && r.psn_no === psn_no && (mdtrt_id === undefined || r.mdtrt_id === mdtrt_id),
  );
  if (!row) reject(`结算ID[${setl_id}]对应的结算信息不存在`);
  const setlinfo = row.origin.output['setlinfo'] as JsonObject;
  return {
    setlinfo: {
      setl_id: row.setl_id,
      mdtrt_id: row.mdtrt_id,
      psn_no: row.psn_no,
      psn_name: setlinfo['psn_name'],
      insutype: row.insutype,
      psn_type: setlinfo['psn_type'],
      pay_loc: '2',
      fixmedins_code: ctx.req.fixmedins_code,
      fixmedins_name: ctx.req.fixmedins_name,
      setl_time: row.setl_time,
      med_type: setlinfo['med_type'],
      clr_type: row.clr_type,
      clr_way: setlinfo['clr_way'],
      clr_optins: row.setl_optins,
      medfee_sumamt: money(row.medfee_sumamt),
      fund_pay_sumamt: money(row.fund_pay_sumamt),
      psn_pay: money(row.psn_pay),
      acct_pay: money(row.acct_pay),
      cash_payamt: money(row.cash_payamt),
      medins_setl_id: row.msgid,
      refd_setl_flag: row.refd_setl_flag,
      year: row.setl_time.slice(0, 4),
    },
    setldetail: [],
  };
}
