// The billing office's clearing endpoints as OpenAPI 3.0 (served at GET /clearing/openapi.json; a test checks
// it is a valid document and that the answers the service gives match its schemas).

const month = {
  type: 'string',
  pattern: '^\\d{4}(0[1-9]|1[0-2])$',
  description: '清算年月 yyyyMM (Asia/Shanghai)',
  example: '202405',
};
const money = { type: 'string', pattern: '^-?\\d{1,14}\\.\\d{2}$', example: '48211.07' };

const action = {
  type: 'object',
  additionalProperties: false,
  required: ['setlym', 'clr_type', 'setl_optins', 'requested_by'],
  properties: {
    setlym: month,
    clr_type: { type: 'string', maxLength: 6, description: '清算类别 (21 住院)', example: '21' },
    setl_optins: { type: 'string', maxLength: 6, description: '结算经办机构', example: '420100' },
    requested_by: {
      type: 'object',
      additionalProperties: false,
      required: ['username', 'role'],
      properties: {
        username: { type: 'string', maxLength: 64 },
        role: { type: 'string', enum: ['operator', 'admin'] },
      },
      description: 'The dashboard user who acts, and the role the dashboard checked',
    },
  },
};

const application = {
  type: 'object',
  additionalProperties: false,
  required: ['setlym', 'clr_type', 'setl_optins', 'scope', 'status', 'pending'],
  properties: {
    setlym: month,
    clr_type: { type: 'string' },
    setl_optins: { type: 'string' },
    scope: {
      type: 'string',
      enum: ['LOCAL', 'CROSS_AREA'],
      description: 'LOCAL: our own area’s agency (3202A / 3204A); CROSS_AREA: 异地 (1608 / 1618)',
    },
    status: { type: 'string', enum: ['NOT_APPLIED', 'APPLIED', 'WITHDRAWN'] },
    pending: {
      type: 'string',
      enum: ['apply', 'withdraw', null],
      nullable: true,
      description: 'A platform call still under way (the answer took longer than the request waited)',
    },
    clr_appy_evt_id: { type: 'string', description: '机构清算申请事件ID' },
    begndate: { type: 'string', format: 'date' },
    enddate: { type: 'string', format: 'date' },
    declared: {
      type: 'object',
      additionalProperties: false,
      required: ['psntime', 'medfee_sumamt', 'med_sumfee', 'fund_appy_sum', 'cash_payamt', 'acct_pay'],
      properties: {
        psntime: { type: 'integer', minimum: 0 },
        medfee_sumamt: money,
        med_sumfee: money,
        fund_appy_sum: money,
        cash_payamt: money,
        acct_pay: money,
      },
    },
    refusal: { type: 'string', description: 'Why the latest application or withdrawal was refused' },
  },
};

const platformAmount = { type: 'string', description: 'decimal as the platform gave it' };

const printout = {
  type: 'object',
  additionalProperties: false,
  required: ['setlym', 'clr_type', 'setl_optins', 'scope', 'clr_appy_evt_id', 'declared', 'platform'],
  properties: {
    setlym: month,
    clr_type: { type: 'string' },
    setl_optins: { type: 'string' },
    scope: { type: 'string', enum: ['LOCAL', 'CROSS_AREA'] },
    clr_appy_evt_id: { type: 'string' },
    begndate: { type: 'string', format: 'date' },
    enddate: { type: 'string', format: 'date' },
    declared: application.properties.declared,
    applied_by: { type: 'string', description: 'Who applied (the dashboard user)' },
    platform: {
      type: 'object',
      additionalProperties: true,
      required: ['clr_appy_evt_id'],
      description: "3205A's record of the application (clr_appys), as the platform holds it",
      properties: {
        clr_appy_evt_id: { type: 'string' },
        clr_stas: { type: 'string', description: '清算状态 (the platform’s code)' },
        opt_time: { type: 'string' },
        medfee_sumamt: platformAmount,
        hi_agre_sumfee: platformAmount,
        fund_appy_sum: platformAmount,
        cash_payamt: platformAmount,
        acct_pay: platformAmount,
      },
    },
  },
};

const error = {
  type: 'object',
  properties: { statusCode: { type: 'integer' }, message: { type: 'string' }, error: { type: 'string' } },
};

const answered = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ClearingApplication' } } },
});
const failed = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

export const CLEARING_OPENAPI = {
  openapi: '3.0.3',
  info: {
    title: 'Reconciliation service · clearing (清算申请)',
    version: '1.0.0',
    description:
      "The billing office's monthly clearing applications, one per clr_type × setl_optins. An application is " +
      'made only when every settlement day of the month is reconciled (3201 平, or its details compared) and no ' +
      'difference is open; the results are also published on the Kafka topic insurance.clearing.',
  },
  paths: {
    '/clearing/applications': {
      get: {
        summary:
          "The month's applications (every clr_type × setl_optins with settlements), with their status",
        parameters: [{ name: 'setlym', in: 'query', required: true, schema: month }],
        responses: {
          '200': {
            description: 'The applications',
            content: {
              'application/json': {
                schema: { type: 'array', items: { $ref: '#/components/schemas/ClearingApplication' } },
              },
            },
          },
          '400': failed('setlym is not a month'),
        },
      },
      post: {
        summary: 'Apply for clearing of the month (3202A, or 1608 for 异地)',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ClearingAction' } } },
        },
        responses: {
          '200': answered(
            'The application as it stands: APPLIED with clr_appy_evt_id, or NOT_APPLIED with the refusal ' +
              '(a day not reconciled, a difference open, or the platform’s reason)',
          ),
          '400': failed('The body is not an action'),
          '409': failed('Already applied, a call under way, or no settlements in the month'),
        },
      },
    },
    '/clearing/applications/printout': {
      get: {
        summary:
          "The month's application form (3205A 申请单打印): our record beside the platform's, for printing",
        parameters: [
          { name: 'setlym', in: 'query', required: true, schema: month },
          { name: 'clr_type', in: 'query', required: true, schema: { type: 'string', maxLength: 6 } },
          { name: 'setl_optins', in: 'query', required: true, schema: { type: 'string', maxLength: 6 } },
        ],
        responses: {
          '200': {
            description: 'The application and the platform’s record of it',
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/ClearingPrintout' } },
            },
          },
          '400': failed('Not a month, clr_type or setl_optins'),
          '409': failed('No application made for it, or the platform holds none (its reason)'),
          '503': failed('The platform did not answer: ask again'),
        },
      },
    },
    '/clearing/applications/withdrawal': {
      post: {
        summary: "Withdraw the month's application (3204A, or 1618 for 异地)",
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ClearingAction' } } },
        },
        responses: {
          '200': answered(
            'WITHDRAWN, or unchanged with the refusal (nothing to withdraw, or the platform’s reason)',
          ),
          '400': failed('The body is not an action'),
          '409': failed('A call under way'),
        },
      },
    },
  },
  components: {
    schemas: {
      ClearingAction: action,
      ClearingApplication: application,
      ClearingPrintout: printout,
      Error: error,
    },
  },
} as const;
