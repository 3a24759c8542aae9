import { isTimeZone, parsesAsCron } from '@yb/service-runtime';
import { z } from 'zod';

/** reporting's own settings (Kafka, database and the platform client are service-runtime's). */
export interface ReportingConfig {
  /** When the daily upload runs (cron, 5 or 6 fields), in `timeZone`. */
  readonly cron: string;
  readonly timeZone: string;
  /** Days after the settlement date by which a report is owed (its due_date). */
  readonly dueDays: number;
  /** How often the scheduler looks whether a run is due. */
  readonly scheduleCheckMs: number;
  /** First wait before a transport failure is tried again; doubled per attempt, at most a day. */
  readonly retryBackoffMs: number;
  /** The hospital's settlement-list details (4101A setlinfo); a list waits while one it needs is missing. */
  readonly settlementList: {
    readonly bill_code?: string;
    readonly medins_fill_dept?: string;
    readonly medins_fill_psn?: string;
    /**
     * 医保支付方式 (the fund's payment method) by the patient's insured area and insutype: keys "<admdvs>:<insutype>",
     * "<admdvs>", "*:<insutype>" and "*", the most specific one that matches wins.
     */
    readonly hi_paymtd: Readonly<Record<string, HiPaymtd>>;
    /** How the newborn fields are spelt on the wire (the sources disagree: see newbornFieldNames). */
    readonly newbornFieldNames: NewbornFieldNames;
  };
}

/**
 * 医保支付方式, the code list of the settlement list's filling rules (医疗保障基金结算清单填写规范): how the fund pays the
 * hospital for the stay. It is not the patient's 个人结算方式 (psn_setlway).
 */
export const HI_PAYMTD = {
  '1': '按项目',
  '2': '单病种',
  '3': '按病种分值 (DIP)',
  '4': '疾病诊断相关分组 (DRG)',
  '5': '按床日',
  '6': '按人头',
  '9': '其他',
} as const;
export type HiPaymtd = keyof typeof HI_PAYMTD;

/**
 * nwb_admtype / nwbbirwt / nwbadmwt as three sources print 4101A (the Dongguan DLL header, a Zhejiang HIS, a C#
 * model), or nwb_adm_type / nwb_bir_wt / nwb_adm_wt as OH writes them (and as 4101 and 4103 name them).
 */
export const NEWBORN_FIELD_NAMES = ['nwb_admtype', 'nwb_adm_type'] as const;
export type NewbornFieldNames = (typeof NEWBORN_FIELD_NAMES)[number];

/** The hi_paymtd configured for a patient of `insuplc_admdvs` insured under `insutype`, if any. */
export function paymentMethodFor(
  table: Readonly<Record<string, HiPaymtd>>,
  insuplc_admdvs: string,
  insutype: string,
): HiPaymtd | undefined {
  return (
    table[`${insuplc_admdvs}:${insutype}`] ?? table[insuplc_admdvs] ?? table[`*:${insutype}`] ?? table['*']
  );
}

const PAYMENT_METHOD_KEY = /^(\*|\d{6})(:\d{3})?$/;

const paymentMethods = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'is not JSON (e.g. {"*":"4","110000":"1"})' });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .record(
        z.string().regex(PAYMENT_METHOD_KEY, {
          message: 'keys are "*", an area "420100", "420100:390" or "*:390"',
        }),
        z.enum(Object.keys(HI_PAYMTD) as [HiPaymtd, ...HiPaymtd[]], {
          errorMap: () => ({
            message: `values are 医保支付方式 codes: ${Object.entries(HI_PAYMTD)
              .map(([code, name]) => `${code} ${name}`)
              .join(', ')}`,
          }),
        }),
      )
      .default({}),
  );

const positiveInt = (fallback: number) =>
  z.coerce
    .number({ invalid_type_error: 'must be a whole number' })
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be at least 1' })
    .default(fallback);
const optionalText = z.string().max(100).optional();

const schema = z.object({
  REPORTING_CRON: z
    .string()
    .default('0 2 * * *')
    .refine((cron) => parsesAsCron(cron), { message: 'must be a cron expression (e.g. "0 2 * * *")' }),
  REPORTING_TZ: z
    .string()
    .default('Asia/Shanghai')
    .refine((tz) => isTimeZone(tz), { message: 'must be an IANA time zone (e.g. Asia/Shanghai)' }),
  REPORTING_DUE_DAYS: positiveInt(7),
  REPORTING_SCHEDULE_CHECK_MS: positiveInt(30_000),
  REPORTING_RETRY_BACKOFF_MS: positiveInt(60_000),
  REPORTING_BILL_CODE: optionalText,
  REPORTING_FILL_DEPT: optionalText,
  REPORTING_FILL_PSN: optionalText,
  REPORTING_HI_PAYMTD: paymentMethods.optional(),
  REPORTING_NWB_FIELD_NAMES: z.enum(NEWBORN_FIELD_NAMES).default('nwb_admtype'),
});

/**
 *   REPORTING_CRON                  when the daily run starts (default "0 2 * * *"; 6 fields allow seconds)
 *   REPORTING_TZ                    the cron's time zone (default Asia/Shanghai)
 *   REPORTING_DUE_DAYS              days after settlement a report is due (default 7)
 *   REPORTING_SCHEDULE_CHECK_MS     how often a due run is looked for (default 30000)
 *   REPORTING_RETRY_BACKOFF_MS      first wait after a transport failure (default 60000, doubled per attempt)
 *   REPORTING_BILL_CODE, REPORTING_FILL_DEPT, REPORTING_FILL_PSN
 *                                   4101A bill_code, medins_fill_dept, medins_fill_psn
 *   REPORTING_HI_PAYMTD             4101A hi_paymtd by insured area / insutype, JSON: {"*":"4","110000":"1","*:390":"3"}
 *   REPORTING_NWB_FIELD_NAMES       nwb_admtype (default: nwb_admtype, nwbbirwt, nwbadmwt) | nwb_adm_type
 * Throws naming the variable.
 */
export function reportingConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ReportingConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`reporting configuration: ${issue.path.join('.')} ${issue.message}`);
  }
  const v = parsed.data;
  return {
    cron: v.REPORTING_CRON,
    timeZone: v.REPORTING_TZ,
    dueDays: v.REPORTING_DUE_DAYS,
    scheduleCheckMs: v.REPORTING_SCHEDULE_CHECK_MS,
    retryBackoffMs: v.REPORTING_RETRY_BACKOFF_MS,
    settlementList: {
      ...(v.REPORTING_BILL_CODE && { bill_code: v.REPORTING_BILL_CODE }),
      ...(v.REPORTING_FILL_DEPT && { medins_fill_dept: v.REPORTING_FILL_DEPT }),
      ...(v.REPORTING_FILL_PSN && { medins_fill_psn: v.REPORTING_FILL_PSN }),
      hi_paymtd: v.REPORTING_HI_PAYMTD ?? {},
      newbornFieldNames: v.REPORTING_NWB_FIELD_NAMES,
    },
  };
}
