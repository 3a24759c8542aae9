import { withAdvisoryLock } from '@yb/event-store';
import { type DataSource } from 'typeorm';

/** The dashboard's tables, qualified by its schema. */
export interface DashboardTables {
  readonly visits: string;
  readonly feeLines: string;
  readonly settlements: string;
  readonly sagas: string;
  readonly timeline: string;
  readonly findings: string;
  readonly reports: string;
  readonly reportBacklog: string;
  readonly platformCalls: string;
  readonly operatorActions: string;
  readonly reconciliationRuns: string;
  readonly reconciliationGroups: string;
  readonly reconciliationDifferences: string;
  readonly hospitalItems: string;
  readonly clearingApplications: string;
  readonly heldLines: string;
  readonly catalogueVersions: string;
  readonly users: string;
  readonly sessions: string;
  readonly signInFailures: string;
  readonly signInAudit: string;
  readonly trustedDevices: string;
  readonly oidcPending: string;
}

export const DASHBOARD_TABLES = Symbol('DASHBOARD_TABLES');

export function dashboardTables(schema: string): DashboardTables {
  const t = (name: string) => `"${schema}"."${name}"`;
  return {
    visits: t('dash_visits'),
    feeLines: t('dash_fee_lines'),
    settlements: t('dash_settlements'),
    sagas: t('dash_sagas'),
    timeline: t('dash_timeline'),
    findings: t('dash_audit_findings'),
    reports: t('dash_reports'),
    reportBacklog: t('dash_report_backlog'),
    platformCalls: t('dash_platform_calls'),
    operatorActions: t('dash_operator_actions'),
    reconciliationRuns: t('dash_reconciliation_runs'),
    reconciliationGroups: t('dash_reconciliation_groups'),
    reconciliationDifferences: t('dash_reconciliation_differences'),
    hospitalItems: t('dash_hospital_items'),
    clearingApplications: t('dash_clearing_applications'),
    heldLines: t('dash_held_fee_lines'),
    catalogueVersions: t('dash_catalogue_versions'),
    users: t('dash_users'),
    sessions: t('dash_sessions'),
    signInFailures: t('dash_sign_in_failures'),
    signInAudit: t('dash_sign_in_audit'),
    trustedDevices: t('dash_trusted_devices'),
    oidcPending: t('dash_oidc_pending'),
  };
}

/** The read models: emptied by a rebuild (users, sessions and the sign-in tables are not read models and stay). */
export function readModelTables(tables: DashboardTables): string[] {
  return [
    tables.visits,
    tables.feeLines,
    tables.settlements,
    tables.sagas,
    tables.timeline,
    tables.findings,
    tables.reports,
    tables.reportBacklog,
    tables.platformCalls,
    tables.operatorActions,
    tables.reconciliationRuns,
    tables.reconciliationGroups,
    tables.reconciliationDifferences,
    tables.hospitalItems,
    tables.clearingApplications,
    tables.heldLines,
    tables.catalogueVersions,
  ];
}

// Money columns are numeric(16,2), the platform's precision; sums stay exact in PostgreSQL and leave it as text.
function ddl(t: DashboardTables): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${t.visits} (
      ipt_no text PRIMARY KEY,
      visit_id uuid NOT NULL UNIQUE,
      mdtrt_id text, psn_no text,
      mdtrt_cert_type text, mdtrt_cert_no text,
      insutype text, med_type text,
      dept_codg text, dept_name text, bed text, doctor_name text, diagnosis text,
      begntime text, admitted_on date, endtime text, discharged_on date,
      state text NOT NULL,
      fee_total numeric(16,2) NOT NULL DEFAULT 0,
      fee_line_count integer NOT NULL DEFAULT 0,
      pre_settled_medfee numeric(16,2), pre_settled_fund numeric(16,2),
      settled_medfee numeric(16,2), settled_fund numeric(16,2), settled_psn_cash numeric(16,2),
      saga_id text, saga_state text,
      attention_kind text, attention text,
      last_event_at timestamptz NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS dash_visits_admitted_on ON ${t.visits} (admitted_on)`,
    // The patient's own identifiers (name, certificate, card, phone, person number): never served, only
    // looked for in free text (the platform's err_msg may quote a name) to mask it for viewers and operators.
    `ALTER TABLE ${t.visits} ADD COLUMN IF NOT EXISTS patient_identifiers text[] NOT NULL DEFAULT '{}'`,
    // …now kept sealed with the name and certificate (VisitPatients); the clear columns above are no longer
    // written and stay only for rows projected before (gone once the read models are rebuilt).
    `ALTER TABLE ${t.visits} ADD COLUMN IF NOT EXISTS patient jsonb`,
    // The rest of 2303's split, for the cashier's confirmation (AWAITING_CONFIRMATION).
    `ALTER TABLE ${t.visits} ADD COLUMN IF NOT EXISTS pre_settled_acct numeric(16,2),
       ADD COLUMN IF NOT EXISTS pre_settled_cash numeric(16,2), ADD COLUMN IF NOT EXISTS pre_settled_hosp numeric(16,2)`,
    // 参保地医保区划: the settlement slip shows a cross-area (异地) patient's area.
    `ALTER TABLE ${t.visits} ADD COLUMN IF NOT EXISTS insuplc_admdvs text`,
    `CREATE TABLE IF NOT EXISTS ${t.feeLines} (
      ipt_no text NOT NULL, feedetl_sn text NOT NULL,
      det_item_fee_sumamt numeric(16,2) NOT NULL, revoked boolean NOT NULL DEFAULT false,
      PRIMARY KEY (ipt_no, feedetl_sn))`,
    `CREATE TABLE IF NOT EXISTS ${t.settlements} (
      setl_id text PRIMARY KEY, ipt_no text NOT NULL, mdtrt_id text NOT NULL,
      setl_time text NOT NULL, setl_on date NOT NULL, mid_setl_flag text NOT NULL,
      medfee_sumamt numeric(16,2) NOT NULL, fulamt_ownpay_amt numeric(16,2) NOT NULL,
      overlmt_selfpay numeric(16,2) NOT NULL, preselfpay_amt numeric(16,2) NOT NULL,
      inscp_scp_amt numeric(16,2) NOT NULL, hifp_pay numeric(16,2) NOT NULL,
      fund_pay_sumamt numeric(16,2) NOT NULL, acct_pay numeric(16,2) NOT NULL,
      psn_cash_pay numeric(16,2) NOT NULL, hosp_part_amt numeric(16,2),
      fund_shares jsonb NOT NULL,
      cancelled_by text, cancelled_at timestamptz)`,
    `CREATE INDEX IF NOT EXISTS dash_settlements_setl_on ON ${t.settlements} (setl_on)`,
    // The platform's own slip (Hubei's YH03), offered beside ours; or why it is not there (yet).
    `ALTER TABLE ${t.settlements} ADD COLUMN IF NOT EXISTS platform_slip bytea,
       ADD COLUMN IF NOT EXISTS platform_slip_type text, ADD COLUMN IF NOT EXISTS platform_slip_filename text,
       ADD COLUMN IF NOT EXISTS platform_slip_problem text`,
    // 本地冲销: the billing office reversed it in our books (the platform does not hold it); who (username) and why.
    `ALTER TABLE ${t.settlements} ADD COLUMN IF NOT EXISTS reversed_locally_at timestamptz,
       ADD COLUMN IF NOT EXISTS reversed_locally_by text, ADD COLUMN IF NOT EXISTS reversed_locally_reason text`,
    `CREATE TABLE IF NOT EXISTS ${t.sagas} (
      saga_id text PRIMARY KEY, ipt_no text NOT NULL, state text NOT NULL,
      step text NOT NULL, status text NOT NULL, detail text NOT NULL, updated_at timestamptz NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${t.timeline} (
      position bigint PRIMARY KEY, ipt_no text NOT NULL, occurred_at timestamptz NOT NULL,
      event_type text NOT NULL, saga_id text, step text, status text, attempt integer,
      infno text, msgid text, detail text NOT NULL, saga_state text)`,
    `CREATE INDEX IF NOT EXISTS dash_timeline_visit ON ${t.timeline} (ipt_no, position)`,
    `CREATE TABLE IF NOT EXISTS ${t.findings} (
      ipt_no text NOT NULL, jr_id text NOT NULL, infno text NOT NULL, trig_scen text NOT NULL,
      rule_id text NOT NULL, rule_name text NOT NULL, vola_cont text NOT NULL,
      vola_amt numeric(16,2) NOT NULL, sev_deg text NOT NULL, blocking boolean NOT NULL,
      raised_at timestamptz NOT NULL,
      acknowledged_by text, acknowledged_role text, acknowledged_at timestamptz, ack_comment text,
      PRIMARY KEY (ipt_no, jr_id))`,
    `CREATE TABLE IF NOT EXISTS ${t.reports} (
      ipt_no text NOT NULL, infno text NOT NULL, report_ref text NOT NULL,
      state text NOT NULL, reason text, due_date date, msgid text, will_retry boolean, attempt integer,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (ipt_no, infno, report_ref))`,
    `CREATE TABLE IF NOT EXISTS ${t.reportBacklog} (
      infno text PRIMARY KEY, run_date date NOT NULL, as_of timestamptz NOT NULL,
      waiting integer NOT NULL, overdue integer NOT NULL, rejected integer NOT NULL,
      uploaded_today integer NOT NULL, reasons jsonb NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${t.platformCalls} (
      minute timestamptz NOT NULL, service text NOT NULL, infno text NOT NULL,
      calls integer NOT NULL, rejected integer NOT NULL, unknown integer NOT NULL,
      total_ms numeric NOT NULL, max_ms numeric NOT NULL,
      PRIMARY KEY (minute, service, infno))`,
    `CREATE TABLE IF NOT EXISTS ${t.operatorActions} (
      message_id uuid PRIMARY KEY, action text NOT NULL, command_type text NOT NULL, topic text NOT NULL,
      ipt_no text NOT NULL, target jsonb NOT NULL,
      requested_by text NOT NULL, requested_role text NOT NULL, requested_at timestamptz NOT NULL)`,
    // 对账: each day's latest run, its groups (3201) and differences (3202); a later run overwrites a group's
    // verdict and a difference's amounts, never a resolution already recorded.
    `CREATE TABLE IF NOT EXISTS ${t.reconciliationRuns} (
      stmt_date date PRIMARY KEY, run integer NOT NULL, groups integer NOT NULL, balanced integer NOT NULL,
      differences integer NOT NULL, open_differences integer NOT NULL, completed_at timestamptz NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${t.reconciliationGroups} (
      stmt_date date NOT NULL, insutype text NOT NULL, clr_type text NOT NULL, setl_optins text NOT NULL,
      run integer NOT NULL, setl_cnt integer NOT NULL, medfee_sumamt numeric(16,2) NOT NULL,
      fund_pay_sumamt numeric(16,2) NOT NULL, acct_pay numeric(16,2) NOT NULL,
      balanced boolean NOT NULL, stmt_rslt text NOT NULL, stmt_rslt_dscr text, checked_at timestamptz NOT NULL,
      PRIMARY KEY (stmt_date, insutype, clr_type, setl_optins))`,
    `CREATE TABLE IF NOT EXISTS ${t.reconciliationDifferences} (
      stmt_date date NOT NULL, setl_id text NOT NULL, run integer NOT NULL,
      insutype text, clr_type text NOT NULL, setl_optins text NOT NULL,
      kind text NOT NULL, suggested_action text NOT NULL, refd_setl_flag text NOT NULL,
      mdtrt_id text, msgid text,
      ours_medfee_sumamt numeric(16,2), ours_fund_pay_sumamt numeric(16,2), ours_acct_pay numeric(16,2),
      platform_medfee_sumamt numeric(16,2), platform_fund_pay_sumamt numeric(16,2), platform_acct_pay numeric(16,2),
      found_at timestamptz NOT NULL,
      resolution text, resolved_by text, explanation text, resolved_at timestamptz,
      PRIMARY KEY (stmt_date, setl_id))`,
    // Which comparison found a difference: 3202's file, or Hubei's period checks 5262 / 5267 (null: 3202).
    `ALTER TABLE ${t.reconciliationDifferences} ADD COLUMN IF NOT EXISTS found_by text`,
    // 目录: the hospital's items (his.catalogue, the CSV import) and each one's mapping as the platform holds it
    // (insurance.catalogue.mappings); a mapping may arrive before its item, so the item's fields may be empty.
    `CREATE TABLE IF NOT EXISTS ${t.hospitalItems} (
      fixmedins_hilist_id text PRIMARY KEY, fixmedins_hilist_name text, list_type text,
      spec text, prdr_name text, dosform text, prcunt text, aprvno text, pric numeric(16,6),
      list_id text, published_at timestamptz,
      mapping_status text, med_list_codg text, hilist_name text, begndate text, enddate text,
      pric_uplmt_amt numeric, selfpay_prop numeric, mapped_by text, mapped_at timestamptz)`,
    // 清算申请: each application's latest message (every message carries the status after it).
    `CREATE TABLE IF NOT EXISTS ${t.clearingApplications} (
      setlym text NOT NULL, clr_type text NOT NULL, setl_optins text NOT NULL, scope text NOT NULL,
      status text NOT NULL, last_event text NOT NULL, infno text, clr_appy_evt_id text,
      begndate text, enddate text, declared jsonb,
      refused_by text, reason text, unreconciled_days text[], open_differences integer,
      acted_by text, updated_at timestamptz NOT NULL,
      PRIMARY KEY (setlym, clr_type, setl_optins, scope))`,
    // Fee lines fee-detail holds until their item is mapped (FeeLinesHeld), until released (FeeLinesReleased) or
    // voided by a person (HeldFeeLinesDecided).
    `CREATE TABLE IF NOT EXISTS ${t.heldLines} (
      ipt_no text NOT NULL, feedetl_sn text NOT NULL, medins_list_codg text NOT NULL, reason text NOT NULL,
      held_at timestamptz NOT NULL, released_at timestamptz, med_list_codg text,
      PRIMARY KEY (ipt_no, feedetl_sn))`,
    `CREATE INDEX IF NOT EXISTS dash_held_fee_lines_item ON ${t.heldLines} (medins_list_codg)
       WHERE released_at IS NULL`,
    // A line held for its price carries the finding (1318's limit and the price); a person's decision ends it.
    `ALTER TABLE ${t.heldLines} ADD COLUMN IF NOT EXISTS finding jsonb, ADD COLUMN IF NOT EXISTS decision text,
       ADD COLUMN IF NOT EXISTS decided_by text, ADD COLUMN IF NOT EXISTS decision_comment text`,
    // Each catalogue's version as its last completed download left it (CatalogueVersionDownloaded).
    `CREATE TABLE IF NOT EXISTS ${t.catalogueVersions} (
      infno text PRIMARY KEY, version text NOT NULL, rows integer NOT NULL, trigger text NOT NULL,
      requested_by text, started_at timestamptz NOT NULL, downloaded_at timestamptz NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${t.users} (
      username text PRIMARY KEY, password_hash text NOT NULL, role text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now())`,
    `CREATE TABLE IF NOT EXISTS ${t.sessions} (
      token_hash text PRIMARY KEY, username text NOT NULL REFERENCES ${t.users} ON DELETE CASCADE,
      role text NOT NULL, expires_at timestamptz NOT NULL)`,
    // Sessions from before the CSRF token have none and are refused: their users sign in again.
    `ALTER TABLE ${t.sessions} ADD COLUMN IF NOT EXISTS csrf_token text`,
    // Sign-in attempts per user name ('user') and per client address ('address'), counted before the password
    // is checked; a row lives until its window and any lock are over.
    `CREATE TABLE IF NOT EXISTS ${t.signInFailures} (
      kind text NOT NULL, subject text NOT NULL, failures integer NOT NULL,
      window_ends timestamptz NOT NULL, locked_until timestamptz,
      PRIMARY KEY (kind, subject))`,
    `CREATE TABLE IF NOT EXISTS ${t.signInAudit} (
      id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), username text NOT NULL,
      address text NOT NULL, method text NOT NULL, outcome text NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS dash_sign_in_audit_at ON ${t.signInAudit} (at)`,
    // Browsers a user signed in from (a device cookie, only its SHA-256 kept): the user lockout spares them.
    `CREATE TABLE IF NOT EXISTS ${t.trustedDevices} (
      token_hash text PRIMARY KEY, username text NOT NULL REFERENCES ${t.users} ON DELETE CASCADE,
      expires_at timestamptz NOT NULL)`,
    // OpenID Connect sign-ins under way: state → PKCE verifier and nonce, for ten minutes.
    `CREATE TABLE IF NOT EXISTS ${t.oidcPending} (
      state text PRIMARY KEY, code_verifier text NOT NULL, nonce text NOT NULL, expires_at timestamptz NOT NULL)`,
  ];
}

/** Creates the dashboard's tables when missing (instances of the dashboard take turns on a lock). */
export async function createDashboardTables(
  dataSource: DataSource,
  schema: string,
): Promise<DashboardTables> {
  const tables = dashboardTables(schema);
  await withAdvisoryLock(dataSource, 'dashboard-tables', schema, () =>
    dataSource.transaction(async (manager) => {
      for (const statement of ddl(tables)) await manager.query(statement);
    }),
  );
  return tables;
}
