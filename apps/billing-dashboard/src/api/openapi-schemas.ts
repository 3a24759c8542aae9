import { type SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

// The read models' answers for the OpenAPI document: the fields a client relies on (rows carry more, so
// additional properties are allowed). Amounts are decimal strings; times ISO 8601.

const text: SchemaObject = { type: 'string', nullable: true };
const amount: SchemaObject = { type: 'string', nullable: true, description: 'decimal, e.g. "54.90"' };
const count: SchemaObject = { type: 'integer' };

const row = (properties: Record<string, SchemaObject>): SchemaObject => ({
  type: 'object',
  properties,
  additionalProperties: true,
});

export const paged = (item: SchemaObject): SchemaObject => ({
  type: 'object',
  required: ['items', 'total', 'page', 'page_size'],
  properties: { items: { type: 'array', items: item }, total: count, page: count, page_size: count },
});

export const list = (item: SchemaObject): SchemaObject => ({ type: 'array', items: item });

const timelineEntry = row({
  position: { type: 'string' },
  ipt_no: text,
  occurred_at: text,
  event_type: { type: 'string' },
  step: text,
  status: text,
  attempt: { type: 'integer', nullable: true },
  infno: text,
  msgid: text,
  detail: { type: 'string', description: 'masked for viewers and operators' },
  saga_state: text,
});

export const VISIT = row({
  visit_id: { type: 'string', format: 'uuid' },
  ipt_no: { type: 'string' },
  mdtrt_id: text,
  mdtrt_cert_no: { ...text, description: 'masked (420***********1234) unless the role is admin' },
  psn_name: {
    ...text,
    description: "the patient's name (the settlement slip's), masked (张*) unless the role is admin",
  },
  identifiers_masked: { type: 'boolean' },
  dept_name: text,
  state: { type: 'string' },
  fee_total: amount,
  saga_state: text,
  attention_kind: text,
  attention: text,
});

export const SETTLEMENT = row({
  setl_id: { type: 'string' },
  ipt_no: { type: 'string' },
  setl_time: { type: 'string' },
  medfee_sumamt: amount,
  fund_pay_sumamt: amount,
  psn_cash_pay: amount,
  fund_shares: { type: 'array', items: row({ fund_pay_type: text, fund_payamt: { type: 'number' } }) },
  cancelled_by: text,
  reversed_locally_at: {
    ...text,
    description: 'When the billing office reversed it in our books (本地冲销)',
  },
  reversed_locally_by: { ...text, description: "The operator's username" },
  reversed_locally_reason: text,
  platform_slip: { type: 'boolean', description: "The platform's own slip (YH03) is there to print" },
  platform_slip_problem: text,
});

export const SAGA = row({
  saga_id: { type: 'string' },
  state: { type: 'string' },
  step: { type: 'string' },
  status: { type: 'string' },
  detail: { type: 'string' },
  visit_id: { type: 'string', nullable: true },
});

export const FINDING = row({
  ipt_no: { type: 'string' },
  jr_id: { type: 'string' },
  rule_name: { type: 'string' },
  vola_cont: { type: 'string' },
  vola_amt: amount,
  sev_deg: { type: 'string' },
  blocking: { type: 'boolean' },
  acknowledged_by: text,
});

export const REPORT = row({
  ipt_no: { type: 'string' },
  infno: { type: 'string' },
  report_ref: { type: 'string' },
  state: { type: 'string', enum: ['PENDING', 'UPLOADED', 'REJECTED'] },
  reason: text,
  due_date: text,
});

export const OPERATOR_ACTION = row({
  message_id: { type: 'string', format: 'uuid' },
  action: { type: 'string' },
  command_type: { type: 'string' },
  target: { type: 'object', additionalProperties: true },
  requested_by: { type: 'string' },
  requested_role: { type: 'string' },
  requested_at: { type: 'string' },
});

export const VISIT_DETAIL: SchemaObject = {
  allOf: [
    VISIT,
    row({
      timeline: list(timelineEntry),
      settlements: list(SETTLEMENT),
      findings: list(FINDING),
      reports: list(REPORT),
      sagas: list(SAGA),
      operator_actions: list(OPERATOR_ACTION),
    }),
  ],
};

export const TIMELINE = list(timelineEntry);

export const BACKLOG = list(
  row({
    infno: { type: 'string' },
    run_date: { type: 'string' },
    waiting: count,
    overdue: count,
    rejected: count,
    uploaded_today: count,
    reasons: { type: 'array', items: row({ reason: { type: 'string' }, count }) },
  }),
);

export const PLATFORM_HEALTH = list(
  row({
    infno: { type: 'string' },
    calls: count,
    rejected: count,
    unknown: count,
    error_rate: { type: 'number' },
    avg_ms: { type: 'number' },
    max_ms: { type: 'number' },
    services: { type: 'array', items: { type: 'string' } },
  }),
);

export const QUEUE = list(
  row({
    kind: { type: 'string', enum: ['FINDING', 'SAGA', 'REPORT', 'VISIT'] },
    visit_id: { type: 'string', nullable: true },
    ipt_no: { type: 'string' },
    since: { type: 'string' },
    detail: text,
    ref: text,
  }),
);

export const OVERVIEW = row({
  date: { type: 'string' },
  days: count,
  counts: row({
    in_hospital: count,
    admitted: count,
    discharged: count,
    settled: count,
    needs_person: count,
  }),
  settled_by_fund: list(row({ day: { type: 'string' }, fund: { type: 'string' }, amount })),
  admissions_discharges: list(row({ day: { type: 'string' }, admitted: count, discharged: count })),
  platform_error_rate: list(
    row({ hour: count, calls: count, errors: count, error_rate: { type: 'number' } }),
  ),
});

export const CHECKPOINT = row({ checkpoint: { type: 'string' } });
export const REBUILT = row({ replayed: count, checkpoint: { type: 'string' } });

const DEAD_LETTER = row({
  topic: { type: 'string' },
  ref: { type: 'string', description: 'partition:offset in the dead-letter topic' },
  original_topic: { type: 'string' },
  failed_at: { type: 'string' },
  consumer_group: { type: 'string' },
  attempts: count,
  message_type: text,
  key: text,
  reason: { type: 'string', description: 'identifiers masked' },
  payload_location: text,
  disposition: { type: 'object', nullable: true, additionalProperties: true },
});
export const DEAD_LETTERS = row({ items: list(DEAD_LETTER) });
export const DEAD_LETTER_SHOWN = row({
  ...DEAD_LETTER.properties,
  headers: { type: 'object', additionalProperties: { type: 'string' } },
  payload: { type: 'string', description: 'identifiers masked' },
});
export const DEAD_LETTER_DONE = row({ already: { type: 'boolean' }, dead_letter: DEAD_LETTER });

export const RECONCILIATION_DAY_SUMMARY = row({
  stmt_date: { type: 'string', description: '对账日期 yyyy-MM-dd' },
  groups: count,
  balanced: count,
  differences: count,
  open_differences: count,
  run: { type: 'integer', nullable: true },
  completed_at: text,
});

const RECONCILIATION_GROUP = row({
  insutype: { type: 'string' },
  clr_type: { type: 'string' },
  setl_optins: { type: 'string' },
  run: count,
  setl_cnt: { type: 'integer', description: 'our settlement count (a refund is a row of its own)' },
  medfee_sumamt: amount,
  fund_pay_sumamt: amount,
  acct_pay: amount,
  balanced: { type: 'boolean' },
  stmt_rslt: { type: 'string', description: "the platform's 3201 verdict (0 平)" },
  stmt_rslt_dscr: text,
});

const RECONCILIATION_DIFFERENCE = row({
  setl_id: { type: 'string' },
  insutype: text,
  clr_type: { type: 'string' },
  setl_optins: { type: 'string' },
  kind: { type: 'string', enum: ['PLATFORM_ONLY', 'HOSPITAL_ONLY', 'AMOUNTS_DIFFER'] },
  suggested_action: { type: 'string' },
  found_by: { type: 'string', enum: ['3202', '5262', '5267'], description: 'Which comparison found it' },
  ours_medfee_sumamt: amount,
  platform_medfee_sumamt: amount,
  resolution: { ...text, enum: ['PLATFORM_RECORD_ADOPTED', 'EXPLAINED', null] },
  resolved_by: text,
  explanation: { ...text, description: 'masked for viewers and operators' },
});

export const RECONCILIATION_DAY = row({
  stmt_date: { type: 'string' },
  run: { ...row({ run: count, groups: count, balanced: count, open_differences: count }), nullable: true },
  groups: list(RECONCILIATION_GROUP),
  differences: list(RECONCILIATION_DIFFERENCE),
});

export const HOSPITAL_ITEM = row({
  fixmedins_hilist_id: { type: 'string' },
  fixmedins_hilist_name: { type: 'string' },
  list_type: { type: 'string' },
  spec: text,
  prdr_name: text,
  pric: amount,
  mapping_status: { type: 'string', enum: ['unmapped', 'mapped', 'withdrawn'] },
  med_list_codg: text,
  hilist_name: text,
  pric_uplmt_amt: amount,
  mapped_by: text,
  mapping_requested_at: { ...text, description: 'a mapping asked for here and not yet answered (3301)' },
});

export const CATALOGUE_VERSIONS = list(
  row({
    infno: { type: 'string', description: '1307 … 1901' },
    version: { type: 'string', description: 'the newest 版本号 or updt_time held' },
    rows: count,
    trigger: { type: 'string', enum: ['schedule', 'operator', 'start'] },
    requested_by: text,
    started_at: { type: 'string', format: 'date-time' },
    downloaded_at: { type: 'string', format: 'date-time' },
  }),
);

export const SUGGESTIONS = list(
  row({
    med_list_codg: { type: 'string' },
    hilist_name: { type: 'string' },
    list_type: { type: 'string' },
    memo: text,
    score: count,
  }),
);

export const LOOKUP_KINDS = list(
  row({
    kind: { type: 'string', description: 'the lookup table, e.g. hilist, tcm_disease' },
    infnos: { type: 'array', items: { type: 'string' }, description: 'the catalogues that fill it' },
    code: { type: 'string', description: 'the column looked up by code prefix' },
    label: { type: 'string', nullable: true, description: 'the column looked up by name prefix' },
    dated: { type: 'boolean', description: 'validity on a date reads begndate/enddate (else vali_flag)' },
    columns: { type: 'array', items: { type: 'string' } },
    rows: count,
  }),
);

const lookupPage = paged(row({}));
export const LOOKUP_ROWS: SchemaObject = {
  ...lookupPage,
  properties: {
    ...lookupPage.properties,
    kind: { type: 'string' },
    columns: { type: 'array', items: { type: 'string' }, description: "each row's fields, in order" },
  },
};

export const ITEMS_IMPORTED = row({
  message_id: { type: 'string', format: 'uuid' },
  command_type: { type: 'string' },
  duplicate: { type: 'boolean' },
  list_id: { type: 'string', description: "the import's list id (its messages' keys: <list_id>-<part>)" },
  items: count,
  messages: count,
});

export const CLEARING_APPLICATIONS = list(
  row({
    setlym: { type: 'string', description: '清算年月 yyyyMM' },
    clr_type: { type: 'string' },
    setl_optins: { type: 'string' },
    scope: { type: 'string', enum: ['LOCAL', 'CROSS_AREA'] },
    status: { type: 'string', enum: ['NOT_APPLIED', 'APPLIED', 'WITHDRAWN'] },
    last_event: { type: 'string' },
    clr_appy_evt_id: text,
    declared: { type: 'object', nullable: true, additionalProperties: true },
    refused_by: text,
    reason: { ...text, description: 'masked for viewers and operators' },
    unreconciled_days: { type: 'array', nullable: true, items: { type: 'string' } },
    open_differences: { type: 'integer', nullable: true },
    acted_by: text,
  }),
);

export const HELD_LINES = row({
  ipt_no: { type: 'string' },
  visit_id: { type: 'string', format: 'uuid', nullable: true },
  lines: count,
  items: { type: 'array', items: { type: 'string' } },
  held: {
    type: 'array',
    items: row({
      feedetl_sn: { type: 'string' },
      medins_list_codg: { type: 'string' },
      reason: text,
      finding: {
        type: 'object',
        nullable: true,
        description:
          "Held for a person: the price is above 1318's limit (absent: held for the item's mapping)",
        properties: {
          kind: { type: 'string', enum: ['OVER_PRICE_LIMIT'] },
          med_list_codg: { type: 'string' },
          pric: { type: 'string', description: 'decimal string' },
          pric_uplmt_amt: { type: 'string', description: 'decimal string' },
        },
      },
      decision: { type: 'string', enum: ['UPLOAD_ANYWAY', 'VOID'], nullable: true },
      decided_by: { type: 'string', nullable: true },
      decision_comment: { type: 'string', nullable: true },
    }),
  },
  held_since: { type: 'string' },
});

/** One application as apps/reconciliation answers it (its own OpenAPI document's ClearingApplication). */
export const CLEARING_APPLICATION = row({
  setlym: { type: 'string', description: '清算年月 yyyyMM' },
  clr_type: { type: 'string' },
  setl_optins: { type: 'string' },
  scope: { type: 'string', enum: ['LOCAL', 'CROSS_AREA'] },
  status: { type: 'string', enum: ['NOT_APPLIED', 'APPLIED', 'WITHDRAWN'] },
  pending: { type: 'string', enum: ['apply', 'withdraw'], nullable: true },
  clr_appy_evt_id: { type: 'string' },
  begndate: { type: 'string' },
  enddate: { type: 'string' },
  declared: { type: 'object', additionalProperties: true },
  refusal: { type: 'string', description: 'why the latest application or withdrawal was refused' },
});
