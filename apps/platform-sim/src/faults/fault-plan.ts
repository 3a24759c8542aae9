import { FAULT_MODE_REQUIRES, FAULT_MODES } from '@yb/sandbox-faults';
import { z } from 'zod';

// The modes and what each does: @yb/sandbox-faults (shared with the chaos harness that arms them).
export const faultSpecSchema = z
  .object({
    // Hubei's own services are numbered with letters (YH03 结算单据打印).
    infno: z.string().regex(/^(\d{4}[A-Z]?|[A-Z]{2}\d{2})$/, 'must be an infno such as 2401, 4101A or YH03'),
    mode: z.enum(FAULT_MODES),
    /** How many calls of this infno the fault hits; absent = every call until cleared. */
    times: z.number().int().positive().optional(),
    /** Added delay for `latency`; hold time for the timeout modes (default: the simulator's timeoutHoldMs). */
    latencyMs: z.number().int().nonnegative().optional(),
    /** err_msg answered by `reject`. */
    errMsg: z.string().min(1).max(200).optional(),
    /** Only calls whose input names this visit (an `mdtrt_id` at any depth); absent = every call of the infno. */
    mdtrtId: z.string().min(1).max(30).optional(),
    /** Output fields `answer-without` leaves out, as dotted paths (`setlinfo.setl_id`, `result.mdtrt_id`). */
    omit: z
      .array(z.string().regex(/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/, 'must be a dotted field path'))
      .min(1)
      .optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    const required = FAULT_MODE_REQUIRES[f.mode];
    if (required && f[required] === undefined)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [required], message: `${f.mode} needs ${required}` });
  });
export type FaultSpec = z.infer<typeof faultSpecSchema>;

export interface ActiveFault extends FaultSpec {
  /** Calls still to hit; undefined = unlimited. */
  remaining?: number;
}

/** Describes the first problem of a fault spec, naming the field. */
export function parseFaultSpec(raw: unknown): FaultSpec {
  const parsed = faultSpecSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new FaultSpecError(issue.path.join('.') || '(fault)', issue.message);
  }
  return parsed.data;
}

export class FaultSpecError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`fault ${field}: ${message}`);
    this.name = 'FaultSpecError';
  }
}

/** The armed faults, one per infno (arming again replaces it). */
export class FaultPlan {
  private readonly faults = new Map<string, ActiveFault>();

  arm(spec: FaultSpec): void {
    this.faults.set(spec.infno, { ...spec, remaining: spec.times });
  }

  /** Clears one infno's fault, or all of them. */
  clear(infno?: string): void {
    if (infno === undefined) this.faults.clear();
    else this.faults.delete(infno);
  }

  list(): ActiveFault[] {
    return [...this.faults.values()].map((f) => ({ ...f }));
  }

  /** The fault that hits this call, counting it down; undefined when the call goes through untouched. */
  take(infno: string, input?: unknown): FaultSpec | undefined {
    const fault = this.faults.get(infno);
    if (!fault) return undefined;
    if (fault.mdtrtId !== undefined && !namesVisit(input, fault.mdtrtId)) return undefined;
    if (fault.remaining !== undefined) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.faults.delete(infno);
    }
    const { remaining: _remaining, ...spec } = fault;
    return spec;
  }
}

/** Whether `value` holds `mdtrt_id: id` at any depth (4401's baseinfo, 4501's data …). */
function namesVisit(value: unknown, id: string): boolean {
  if (Array.isArray(value)) return value.some((item) => namesVisit(item, id));
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, v]) => (key === 'mdtrt_id' ? v === id : namesVisit(v, id)));
}
