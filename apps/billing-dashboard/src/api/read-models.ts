import { Inject, Injectable } from '@nestjs/common';
import { maskIdentifier } from '@yb/observability';
import { DataSource } from 'typeorm';
import { type DashboardRole } from '../dashboard-config';
import { IN_HOSPITAL_STATES } from '../read-model/visits.read-model';
import { DASHBOARD_TABLES, type DashboardTables } from '../read-model/dashboard-tables';
import { standingSettlement } from '../read-model/settlements.read-model';
import { VisitPatients } from '../read-model/visit-patient';
import {
  type findingFilterSchema,
  type healthFilterSchema,
  type clearingFilterSchema,
  type heldLineFilterSchema,
  type hospitalItemFilterSchema,
  type reconciliationFilterSchema,
  type listFilterSchema,
  type Page,
  type reportFilterSchema,
  type sagaFilterSchema,
  type visitFilterSchema,
} from './query-filters';
import { type z } from 'zod';

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

type Row = Record<string, unknown>;

/**
 * Only the admin sees a patient's certificate number and name in clear; everyone else sees 420***********1234
 * and 张*. The name is the slip's (结算单) only: pages go by ipt_no.
 */
export function patientView(role: DashboardRole, row: Row): Row {
  const { mdtrt_cert_no, psn_name, ...rest } = row;
  if (mdtrt_cert_no === undefined) return rest;
  const shown = (value: unknown) =>
    value === null || value === undefined ? null : role === 'admin' ? value : maskIdentifier(String(value));
  return {
    ...rest,
    mdtrt_cert_no: shown(mdtrt_cert_no),
    psn_name: shown(psn_name),
    identifiers_masked: role !== 'admin',
  };
}

/** A visit row with its patient opened from the sealed column (older rows: the clear column they kept). */
function withPatient(patients: VisitPatients, row: Row): Row {
  const { patient: stored, ...rest } = row;
  const patient = patients.open(String(row.ipt_no), stored);
  return {
    ...rest,
    mdtrt_cert_no: patient.mdtrt_cert_no ?? rest.mdtrt_cert_no ?? null,
    psn_name: patient.psn_name ?? null,
  };
}

/** Builds `WHERE …` from optional conditions, numbering parameters in order. */
class Where {
  private readonly conditions: string[] = [];
  readonly params: unknown[] = [];

  add(condition: string, value: unknown): this {
    if (value === undefined) return this;
    this.params.push(value);
    this.conditions.push(condition.replace(/\?/g, `$${this.params.length}`));
    return this;
  }

  raw(condition: string): this {
    this.conditions.push(condition);
    return this;
  }

  toString(): string {
    return this.conditions.length > 0 ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}

const VISIT_COLUMNS = `v.visit_id, v.ipt_no, v.mdtrt_id, v.mdtrt_cert_type, v.mdtrt_cert_no, v.insutype, v.med_type,
  v.dept_codg, v.dept_name, v.bed, v.doctor_name, v.diagnosis, v.begntime, v.endtime, v.state,
  v.fee_total::text, v.fee_line_count, v.pre_settled_medfee::text, v.pre_settled_fund::text,
  v.pre_settled_acct::text, v.pre_settled_cash::text, v.pre_settled_hosp::text, v.insuplc_admdvs,
  v.settled_medfee::text, v.settled_fund::text, v.settled_psn_cash::text, v.saga_id, v.saga_state,
  v.attention_kind, v.attention, v.last_event_at, v.patient`;

/** The read side of the dashboard: each query over the read models, paginated, with identifiers masked by role. */
@Injectable()
export class ReadModels {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(DASHBOARD_TABLES) private readonly t: DashboardTables,
  ) {}

  private readonly patients = new VisitPatients();

  private async paged(sql: string, where: Where, page: Page, order: string): Promise<Paged<Row>> {
    const params = [...where.params, page.page_size, (page.page - 1) * page.page_size];
    const rows: Row[] = await this.db.query(
      `SELECT *, count(*) OVER ()::int AS total_rows FROM (${sql} ${where}) q ORDER BY ${order}
       LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    // No row on the first page is no row at all: a second count could see rows the projection committed between
    // the two statements and answer a total with no items.
    const total =
      rows.length > 0 ? Number(rows[0]!.total_rows) : page.page === 1 ? 0 : await this.count(sql, where);
    return {
      items: rows.map(({ total_rows: _total, ...row }) => row),
      total,
      page: page.page,
      page_size: page.page_size,
    };
  }

  private async count(sql: string, where: Where): Promise<number> {
    const [row] = await this.db.query(`SELECT count(*)::int AS n FROM (${sql} ${where}) q`, where.params);
    return Number(row.n);
  }

  async visits(role: DashboardRole, f: z.output<typeof visitFilterSchema>): Promise<Paged<Row>> {
    const where = new Where()
      .add('v.admitted_on >= ?', f.from)
      .add('v.admitted_on <= ?', f.to)
      .add('v.dept_codg = ?', f.department)
      .add('v.insutype = ?', f.insutype)
      .add('v.state = ?', f.state);
    if (f.in_hospital === 'true') where.add('v.state = ANY(?)', IN_HOSPITAL_STATES);
    if (f.in_hospital === 'false') where.add('NOT (v.state = ANY(?))', IN_HOSPITAL_STATES);
    const result = await this.paged(
      `SELECT ${VISIT_COLUMNS} FROM ${this.t.visits} v`,
      where,
      f,
      'last_event_at DESC, ipt_no',
    );
    return {
      ...result,
      items: result.items.map((row) => patientView(role, withPatient(this.patients, row))),
    };
  }

  /** One visit with everything the visit page shows; null when unknown. */
  /** The platform's own slip (YH03) of a settlement of the visit, as the platform made it; null when none. */
  async platformSlip(
    visitId: string,
    setl_id: string,
  ): Promise<{ document: Buffer; content_type: string; filename: string } | null> {
    const [slip]: { document: Buffer; content_type: string; filename: string }[] = await this.db.query(
      `SELECT s.platform_slip AS document, s.platform_slip_type AS content_type, s.platform_slip_filename AS filename
         FROM ${this.t.settlements} s JOIN ${this.t.visits} v USING (ipt_no)
        WHERE v.visit_id = $1 AND s.setl_id = $2 AND s.platform_slip IS NOT NULL`,
      [visitId, setl_id],
    );
    return slip ?? null;
  }

  async visit(role: DashboardRole, visitId: string): Promise<Row | null> {
    const [visit]: Row[] = await this.db.query(
      `SELECT ${VISIT_COLUMNS} FROM ${this.t.visits} v WHERE v.visit_id = $1`,
      [visitId],
    );
    if (!visit) return null;
    const ipt_no = visit.ipt_no;
    const [timeline, settlements, findings, reports, sagas, actions] = await Promise.all([
      this.db.query(
        `SELECT tl.position::text, occurred_at, event_type, saga_id, step, status, attempt, infno, msgid, detail, saga_state
         FROM ${this.t.timeline} tl WHERE ipt_no = $1 ORDER BY tl.position`,
        [ipt_no],
      ),
      this.settlementRows(new Where().add('s.ipt_no = ?', ipt_no)),
      this.db.query(
        `SELECT ${FINDING_COLUMNS} FROM ${this.t.findings} f WHERE f.ipt_no = $1 ORDER BY raised_at, jr_id`,
        [ipt_no],
      ),
      this.db.query(
        `SELECT ${REPORT_COLUMNS} FROM ${this.t.reports} r WHERE r.ipt_no = $1 ORDER BY infno, report_ref`,
        [ipt_no],
      ),
      this.db.query(`SELECT * FROM ${this.t.sagas} WHERE ipt_no = $1 ORDER BY updated_at`, [ipt_no]),
      this.db.query(
        `SELECT message_id, action, command_type, target, requested_by, requested_role, requested_at
         FROM ${this.t.operatorActions} WHERE ipt_no = $1 ORDER BY requested_at`,
        [ipt_no],
      ),
    ]);
    return {
      ...patientView(role, withPatient(this.patients, visit)),
      timeline,
      settlements,
      findings,
      reports,
      sagas,
      operator_actions: actions,
    };
  }

  /** The visit's HIS id behind its opaque id (actions address visits by visit_id). */
  async iptNoOf(visitId: string): Promise<string | null> {
    const [row] = await this.db.query(`SELECT ipt_no FROM ${this.t.visits} WHERE visit_id = $1`, [visitId]);
    return row?.ipt_no ?? null;
  }

  private settlementRows(where: Where, tail = 'ORDER BY s.setl_time DESC'): Promise<Row[]> {
    return this.db.query(
      `SELECT ${SETTLEMENT_COLUMNS} FROM ${this.t.settlements} s LEFT JOIN ${this.t.visits} v USING (ipt_no) ${where} ${tail}`,
      where.params,
    );
  }

  async settlements(f: z.output<typeof listFilterSchema>): Promise<Paged<Row>> {
    const where = new Where()
      .add('s.setl_on >= ?', f.from)
      .add('s.setl_on <= ?', f.to)
      .add('v.dept_codg = ?', f.department)
      .add('v.insutype = ?', f.insutype);
    return this.paged(
      `SELECT ${SETTLEMENT_COLUMNS} FROM ${this.t.settlements} s LEFT JOIN ${this.t.visits} v USING (ipt_no)`,
      where,
      f,
      'setl_time DESC, setl_id',
    );
  }

  async sagas(f: z.output<typeof sagaFilterSchema>): Promise<Paged<Row>> {
    const where = new Where().add('s.state = ?', f.state);
    return this.paged(
      `SELECT s.saga_id, s.state, s.step, s.status, s.detail, s.updated_at, v.visit_id, v.ipt_no, v.dept_name
       FROM ${this.t.sagas} s LEFT JOIN ${this.t.visits} v USING (ipt_no)`,
      where,
      f,
      'updated_at DESC, saga_id',
    );
  }

  async sagaTimeline(sagaId: string): Promise<Row[]> {
    return this.db.query(
      `SELECT tl.position::text, ipt_no, occurred_at, event_type, step, status, attempt, infno, msgid, detail, saga_state
       FROM ${this.t.timeline} tl WHERE saga_id = $1 ORDER BY tl.position`,
      [sagaId],
    );
  }

  async findings(f: z.output<typeof findingFilterSchema>): Promise<Paged<Row>> {
    const where = new Where()
      .add('f.raised_at >= ?::date', f.from)
      .add("f.raised_at < ?::date + interval '1 day'", f.to)
      .add('v.dept_codg = ?', f.department)
      .add('v.insutype = ?', f.insutype)
      .add('f.blocking = ?', f.blocking === undefined ? undefined : f.blocking === 'true');
    if (f.status === 'open') where.raw('f.acknowledged_at IS NULL');
    if (f.status === 'acknowledged') where.raw('f.acknowledged_at IS NOT NULL');
    return this.paged(
      `SELECT ${FINDING_COLUMNS}, v.visit_id, v.dept_name FROM ${this.t.findings} f LEFT JOIN ${this.t.visits} v USING (ipt_no)`,
      where,
      f,
      'raised_at DESC, jr_id',
    );
  }

  async reports(f: z.output<typeof reportFilterSchema>): Promise<Paged<Row>> {
    const where = new Where().add('r.state = ?', f.state).add('r.infno = ?', f.infno);
    return this.paged(
      `SELECT ${REPORT_COLUMNS}, v.visit_id FROM ${this.t.reports} r LEFT JOIN ${this.t.visits} v USING (ipt_no)`,
      where,
      f,
      'due_date NULLS LAST, updated_at DESC, ipt_no, infno, report_ref',
    );
  }

  async reportBacklog(): Promise<Row[]> {
    return this.db.query(
      `SELECT infno, to_char(run_date, 'YYYY-MM-DD') AS run_date, as_of, waiting, overdue, rejected, uploaded_today, reasons
       FROM ${this.t.reportBacklog} ORDER BY infno`,
    );
  }

  /** Latency and error rate per interface (REJECTED and UNKNOWN count as errors) over the days asked for. */
  async platformHealth(f: z.output<typeof healthFilterSchema>): Promise<Row[]> {
    const where = new Where()
      .add("(p.minute AT TIME ZONE 'Asia/Shanghai')::date >= ?", f.from)
      .add("(p.minute AT TIME ZONE 'Asia/Shanghai')::date <= ?", f.to);
    return this.db.query(
      `SELECT infno, sum(calls)::int AS calls, sum(rejected)::int AS rejected, sum(unknown)::int AS unknown,
         round((sum(rejected) + sum(unknown))::numeric / sum(calls), 4)::float AS error_rate,
         round(sum(total_ms) / sum(calls), 1)::float AS avg_ms, max(max_ms)::float AS max_ms,
         array_agg(DISTINCT service) AS services
       FROM ${this.t.platformCalls} p ${where} GROUP BY infno ORDER BY infno`,
      where.params,
    );
  }

  /** What needs a person: blocking findings, stopped sagas, uploads only a person can help, uncertain admissions. */
  async queue(): Promise<Row[]> {
    return this.db.query(
      `SELECT 'FINDING' AS kind, v.visit_id, f.ipt_no, f.raised_at AS since, f.rule_name || ': ' || f.vola_cont AS detail,
              f.jr_id AS ref, NULL AS infno, v.dept_name
         FROM ${this.t.findings} f LEFT JOIN ${this.t.visits} v USING (ipt_no)
         WHERE f.blocking AND f.acknowledged_at IS NULL
       UNION ALL
       SELECT 'SAGA', v.visit_id, s.ipt_no, s.updated_at, s.state || ' ' || s.step || ': ' || s.detail, s.saga_id, NULL,
              v.dept_name
         FROM ${this.t.sagas} s LEFT JOIN ${this.t.visits} v USING (ipt_no)
         WHERE s.state IN ('WAITING_FOR_PERSON', 'FAILED', 'COMPENSATION_FAILED')
       UNION ALL
       SELECT 'REPORT', v.visit_id, r.ipt_no, r.updated_at, r.reason, r.report_ref, r.infno, v.dept_name
         FROM ${this.t.reports} r LEFT JOIN ${this.t.visits} v USING (ipt_no)
         WHERE r.state = 'REJECTED' AND r.will_retry IS NOT TRUE
       UNION ALL
       SELECT 'VISIT', v.visit_id, v.ipt_no, v.last_event_at, v.attention, v.attention_kind, NULL, v.dept_name
         FROM ${this.t.visits} v
         WHERE v.attention_kind IN ('ADMISSION_UNCERTAIN', 'PLATFORM_REJECTED', 'ANSWER_UNREADABLE', 'AREA_MISSING')
           OR (v.attention_kind = 'SETTLEMENT_FAILED' AND v.saga_id IS NULL)
       ORDER BY since`,
    );
  }

  async operatorActions(page: Page): Promise<Paged<Row>> {
    return this.paged(
      `SELECT a.message_id, a.action, a.command_type, a.topic, a.target, a.requested_by, a.requested_role,
              a.requested_at, v.visit_id, a.ipt_no
       FROM ${this.t.operatorActions} a LEFT JOIN ${this.t.visits} v USING (ipt_no)`,
      new Where(),
      page,
      'requested_at DESC',
    );
  }

  /** 对账 per day, newest first: the groups balanced and not, the differences found and still open. */
  async reconciliationDays(f: z.output<typeof reconciliationFilterSchema>): Promise<Paged<Row>> {
    const where = new Where().add('stmt_date >= ?', f.from).add('stmt_date <= ?', f.to);
    return this.paged(
      `SELECT to_char(d.stmt_date, 'YYYY-MM-DD') AS stmt_date, d.stmt_date AS day,
         (SELECT count(*)::int FROM ${this.t.reconciliationGroups} g WHERE g.stmt_date = d.stmt_date) AS groups,
         (SELECT count(*)::int FROM ${this.t.reconciliationGroups} g
           WHERE g.stmt_date = d.stmt_date AND g.balanced) AS balanced,
         (SELECT count(*)::int FROM ${this.t.reconciliationDifferences} x WHERE x.stmt_date = d.stmt_date)
           AS differences,
         (SELECT count(*)::int FROM ${this.t.reconciliationDifferences} x
           WHERE x.stmt_date = d.stmt_date AND x.resolution IS NULL) AS open_differences,
         r.run, r.completed_at
       FROM (SELECT stmt_date FROM ${this.t.reconciliationGroups}
             UNION SELECT stmt_date FROM ${this.t.reconciliationRuns}) d
       LEFT JOIN ${this.t.reconciliationRuns} r USING (stmt_date)`,
      where,
      f,
      'day DESC',
    );
  }

  /** One day's 对账: its last run, each group's totals and verdict, each difference and its resolution. */
  async reconciliationDay(stmt_date: string): Promise<Row | null> {
    const [run] = await this.db.query(
      `SELECT run, groups, balanced, differences, open_differences, completed_at
       FROM ${this.t.reconciliationRuns} WHERE stmt_date = $1`,
      [stmt_date],
    );
    const groups: Row[] = await this.db.query(
      `SELECT insutype, clr_type, setl_optins, run, setl_cnt, medfee_sumamt::text, fund_pay_sumamt::text,
         acct_pay::text, balanced, stmt_rslt, stmt_rslt_dscr, checked_at
       FROM ${this.t.reconciliationGroups} WHERE stmt_date = $1
       ORDER BY balanced, insutype, clr_type, setl_optins`,
      [stmt_date],
    );
    const differences: Row[] = await this.db.query(
      `SELECT setl_id, run, insutype, clr_type, setl_optins, kind, suggested_action, refd_setl_flag, mdtrt_id, msgid,
         ours_medfee_sumamt::text, ours_fund_pay_sumamt::text, ours_acct_pay::text,
         platform_medfee_sumamt::text, platform_fund_pay_sumamt::text, platform_acct_pay::text,
         found_at, COALESCE(found_by, '3202') AS found_by, resolution, resolved_by, explanation, resolved_at
       FROM ${this.t.reconciliationDifferences} WHERE stmt_date = $1
       ORDER BY resolution IS NOT NULL, kind, setl_id`,
      [stmt_date],
    );
    if (!run && groups.length === 0 && differences.length === 0) return null;
    return { stmt_date, run: run ?? null, groups, differences };
  }

  /**
   * The hospital's items with their mappings, those not mapped first (those holding fee lines back before them),
   * then by code;
   * with the latest mapping asked for on the dashboard and not yet answered by the platform.
   */
  async hospitalItems(f: z.output<typeof hospitalItemFilterSchema>): Promise<Paged<Row>> {
    const status = f.status === 'unmapped' ? 'none' : f.status;
    const where = new Where()
      .raw('fixmedins_hilist_name IS NOT NULL')
      .add("coalesce(mapping_status, 'none') = ?", status)
      .add('list_type = ?', f.list_type)
      .add(
        "(fixmedins_hilist_id LIKE ? || '%' OR fixmedins_hilist_name LIKE ? || '%')",
        f.q?.replace(/[\\%_]/g, '\\$&'),
      );
    return this.paged(
      `SELECT ${ITEM_COLUMNS},
         (SELECT max(a.requested_at) FROM ${this.t.operatorActions} a
           WHERE a.action = 'confirm-mapping' AND a.ipt_no = i.fixmedins_hilist_id
             AND (i.mapped_at IS NULL OR a.requested_at > i.mapped_at)) AS mapping_requested_at,
         (SELECT count(*)::int FROM ${this.t.heldLines} h
           WHERE h.medins_list_codg = i.fixmedins_hilist_id AND h.released_at IS NULL) AS held_lines
       FROM ${this.t.hospitalItems} i`,
      where,
      f,
      "mapping_status = 'mapped', held_lines DESC, fixmedins_hilist_id",
    );
  }

  /** 清算申请: each application as its latest message left it, newest month first. */
  async clearingApplications(f: z.output<typeof clearingFilterSchema>): Promise<Row[]> {
    return this.db.query(
      `SELECT setlym, clr_type, setl_optins, scope, status, last_event, infno, clr_appy_evt_id, begndate, enddate,
         declared, refused_by, reason, unreconciled_days, open_differences, acted_by, updated_at
       FROM ${this.t.clearingApplications} WHERE $1::text IS NULL OR setlym = $1
       ORDER BY setlym DESC, clr_type, setl_optins, scope`,
      [f.setlym ?? null],
    );
  }

  /**
   * Fee lines held before upload (an unmapped item, or a price above the limit with its finding), per visit
   * (the visit's page by its opaque id), oldest first, with any person's decision.
   */
  async heldLines(f: z.output<typeof heldLineFilterSchema>): Promise<Paged<Row>> {
    return this.paged(
      `SELECT h.ipt_no, v.visit_id, v.dept_name, count(*)::int AS lines,
         array_agg(DISTINCT h.medins_list_codg ORDER BY h.medins_list_codg) AS items,
         jsonb_agg(jsonb_build_object('feedetl_sn', h.feedetl_sn, 'medins_list_codg', h.medins_list_codg,
           'reason', h.reason, 'med_list_codg', h.med_list_codg, 'finding', h.finding, 'decision', h.decision,
           'decided_by', h.decided_by, 'decision_comment', h.decision_comment) ORDER BY h.feedetl_sn) AS held,
         min(h.held_at) AS held_since, max(h.released_at) AS released_at
       FROM ${this.t.heldLines} h LEFT JOIN ${this.t.visits} v USING (ipt_no)
       WHERE h.released_at IS ${f.status === 'held' ? 'NULL' : 'NOT NULL'}
       GROUP BY h.ipt_no, v.visit_id, v.dept_name`,
      new Where(),
      f,
      'held_since, ipt_no',
    );
  }

  /** Every hospital item with its mapping, by code (the CSV export). */
  /** Each downloaded catalogue's version and last download, by infno. */
  async catalogueVersions(): Promise<Row[]> {
    return this.db.query(
      `SELECT infno, version, rows, trigger, requested_by, started_at, downloaded_at
       FROM ${this.t.catalogueVersions} ORDER BY infno`,
    );
  }

  async allHospitalItems(): Promise<Row[]> {
    return this.db.query(
      `SELECT ${ITEM_COLUMNS} FROM ${this.t.hospitalItems} i WHERE fixmedins_hilist_name IS NOT NULL
       ORDER BY fixmedins_hilist_id`,
    );
  }

  /**
   * The day's overview and the charts: settled amount by fund type per day, admissions and discharges per day
   * (over `days` days ending on `date`), the platform's error rate per hour of `date`.
   */
  async overview(date: string, days: number): Promise<Row> {
    const [counts] = await this.db.query(
      `SELECT
         (SELECT count(*)::int FROM ${this.t.visits} WHERE state = ANY($2)) AS in_hospital,
         (SELECT count(*)::int FROM ${this.t.visits} WHERE admitted_on = $1) AS admitted,
         (SELECT count(*)::int FROM ${this.t.visits} WHERE discharged_on = $1) AS discharged,
         (SELECT count(*)::int FROM ${this.t.settlements} WHERE setl_on = $1 AND ${standingSettlement()}) AS settled,
         (SELECT coalesce(sum(medfee_sumamt), 0)::text FROM ${this.t.settlements}
            WHERE setl_on = $1 AND ${standingSettlement()}) AS settled_medfee,
         (SELECT coalesce(sum(fund_pay_sumamt), 0)::text FROM ${this.t.settlements}
            WHERE setl_on = $1 AND ${standingSettlement()}) AS settled_fund,
         (SELECT coalesce(sum(waiting), 0)::int FROM ${this.t.reportBacklog}) AS reports_waiting,
         (SELECT coalesce(sum(overdue), 0)::int FROM ${this.t.reportBacklog}) AS reports_overdue`,
      [date, IN_HOSPITAL_STATES],
    );
    const needsPerson = (await this.queue()).length;
    // Each fund's share, plus the personal account and cash, of settlements not cancelled since. setldetail lists
    // the personal account too (310200 职工个人账户, and its sub-codes 3102xx): counted once, as acct_pay.
    const settledByFund = await this.db.query(
      `WITH days AS (SELECT generate_series($1::date - ($2::int - 1), $1::date, interval '1 day')::date AS day),
            shares AS (
              SELECT s.setl_on, x.fund_pay_type AS fund, x.fund_payamt AS amount
                FROM ${this.t.settlements} s,
                     jsonb_to_recordset(s.fund_shares) AS x(fund_pay_type text, fund_payamt numeric)
                WHERE ${standingSettlement('s')} AND x.fund_pay_type NOT LIKE '3102%'
              UNION ALL SELECT setl_on, 'acct_pay', acct_pay FROM ${this.t.settlements} WHERE ${standingSettlement()}
              UNION ALL SELECT setl_on, 'psn_cash_pay', psn_cash_pay FROM ${this.t.settlements} WHERE ${standingSettlement()})
       SELECT to_char(d.day, 'YYYY-MM-DD') AS day, s.fund, sum(s.amount)::text AS amount
         FROM days d JOIN shares s ON s.setl_on = d.day GROUP BY d.day, s.fund ORDER BY d.day, s.fund`,
      [date, days],
    );
    const admissions = await this.db.query(
      `WITH days AS (SELECT generate_series($1::date - ($2::int - 1), $1::date, interval '1 day')::date AS day)
       SELECT to_char(d.day, 'YYYY-MM-DD') AS day,
         (SELECT count(*)::int FROM ${this.t.visits} WHERE admitted_on = d.day) AS admitted,
         (SELECT count(*)::int FROM ${this.t.visits} WHERE discharged_on = d.day) AS discharged
       FROM days d ORDER BY d.day`,
      [date, days],
    );
    const platformErrors = await this.db.query(
      `SELECT extract(hour FROM minute AT TIME ZONE 'Asia/Shanghai')::int AS hour, sum(calls)::int AS calls,
         (sum(rejected) + sum(unknown))::int AS errors,
         round((sum(rejected) + sum(unknown))::numeric / sum(calls), 4)::float AS error_rate
       FROM ${this.t.platformCalls} WHERE (minute AT TIME ZONE 'Asia/Shanghai')::date = $1
       GROUP BY 1 ORDER BY 1`,
      [date],
    );
    return {
      date,
      days,
      counts: { ...counts, needs_person: needsPerson },
      settled_by_fund: settledByFund,
      admissions_discharges: admissions,
      platform_error_rate: platformErrors,
    };
  }
}

const SETTLEMENT_COLUMNS = `s.setl_id, s.ipt_no, v.visit_id, v.dept_name, v.insutype, s.mdtrt_id, s.setl_time,
  s.mid_setl_flag, s.medfee_sumamt::text, s.fulamt_ownpay_amt::text, s.overlmt_selfpay::text, s.preselfpay_amt::text,
  s.inscp_scp_amt::text, s.hifp_pay::text, s.fund_pay_sumamt::text, s.acct_pay::text, s.psn_cash_pay::text,
  s.hosp_part_amt::text, s.fund_shares, s.cancelled_by, s.cancelled_at,
  s.reversed_locally_at, s.reversed_locally_by, s.reversed_locally_reason,
  s.platform_slip IS NOT NULL AS platform_slip, s.platform_slip_problem`;

const FINDING_COLUMNS = `f.ipt_no, f.jr_id, f.infno, f.trig_scen, f.rule_id, f.rule_name, f.vola_cont, f.vola_amt::text,
  f.sev_deg, f.blocking, f.raised_at, f.acknowledged_by, f.acknowledged_role, f.acknowledged_at, f.ack_comment`;

const REPORT_COLUMNS = `r.ipt_no, r.infno, r.report_ref, r.state, r.reason, to_char(r.due_date, 'YYYY-MM-DD') AS due_date,
  r.msgid, r.will_retry, r.attempt, r.updated_at`;

const ITEM_COLUMNS = `i.fixmedins_hilist_id, i.fixmedins_hilist_name, i.list_type, i.spec, i.prdr_name, i.dosform,
  i.prcunt, i.aprvno, trim_scale(i.pric)::text AS pric, coalesce(i.mapping_status, 'unmapped') AS mapping_status, i.med_list_codg,
  i.hilist_name, i.begndate, i.enddate, i.pric_uplmt_amt::text, i.selfpay_prop::text, i.mapped_by, i.mapped_at`;
// (Prices are kept to the HIS's 6 places; trim_scale shows 28.5, not 28.500000.)
