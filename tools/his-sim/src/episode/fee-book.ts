import { type DataOf } from '@yb/contracts';
import Decimal from 'decimal.js';
import { platformDateTime } from '../beijing-time';
import { type Department, type Doctor } from '../reference/departments';
import { feeItem, type FeeItem } from '@yb/reference-charges';

export type FeeLine = DataOf<'FeeLinesCharged'>['lines'][number];

/** A charge to put on the visit: a catalogue item, a quantity and the order it executes. */
export interface ChargeRequest {
  readonly medins_list_codg: string;
  readonly cnt: string;
  readonly drord_no?: string;
  readonly dscg_tkdrug_flag?: '1';
}

/** Medical-technology departments that perform labs and examinations (受单科室). */
const PERFORMING_DEPARTMENTS: Partial<Record<FeeItem['kind'], { code: string; name: string }>> = {
  lab: { code: 'A30', name: '医学检验科' },
  exam: { code: 'A32', name: '医学影像科' },
};
/** Items the hospital must approve before insurance pays for them (限制使用). */
const NEEDS_HOSPITAL_APPROVAL = new Set(['YP0003']);

/** Money 16,2 from a decimal, rounded half up as the HIS's cashier does. */
export function toMoney(amount: Decimal): string {
  return amount.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
}

/**
 * The fee lines of one visit, as the HIS's billing keeps them: serial numbers unique within the visit,
 * amounts cnt × pric in decimal, refunds pointing at the line they reverse, voided lines set aside.
 */
export class VisitFeeBook {
  private sequence = 0;
  private readonly lines = new Map<string, { line: FeeLine; at: number }>();
  private readonly refunded = new Map<string, Decimal>();
  private readonly voided = new Set<string>();

  constructor(
    private readonly ipt_no: string,
    private readonly department: Department,
    private readonly doctor: Doctor,
  ) {}

  charge(at: number, requests: readonly ChargeRequest[]): FeeLine[] {
    return requests.map((request) => {
      const item = feeItem(request.medins_list_codg);
      const cnt = new Decimal(request.cnt);
      const performing = PERFORMING_DEPARTMENTS[item.kind];
      const line: FeeLine = {
        ...this.common(at, item),
        ...(request.drord_no && { drord_no: request.drord_no }),
        det_item_fee_sumamt: toMoney(cnt.times(item.pric)),
        cnt: cnt.toFixed(),
        ...(performing && { acord_dept_codg: performing.code, acord_dept_name: performing.name }),
        ...(NEEDS_HOSPITAL_APPROVAL.has(item.medins_list_codg) && { hosp_appr_flag: '1' as const }),
        ...(request.dscg_tkdrug_flag && { dscg_tkdrug_flag: request.dscg_tkdrug_flag }),
      };
      this.lines.set(line.feedetl_sn, { line, at });
      return line;
    });
  }

  /** A refund line (退费) of `cnt` units of an earlier line; refunds never exceed what was charged. */
  refund(at: number, original_sn: string, cnt: Decimal): FeeLine {
    const original = this.lines.get(original_sn);
    if (!original || original.line.init_feedetl_sn || this.voided.has(original_sn))
      throw new Error(`line ${original_sn} cannot be refunded`);
    if (cnt.plus(this.refundedCount(original_sn)).gt(original.line.cnt))
      throw new Error(`refund of ${cnt.toFixed()} exceeds what remains of line ${original_sn}`);
    const item = feeItem(original.line.medins_list_codg);
    const line: FeeLine = {
      ...this.common(at, item),
      init_feedetl_sn: original_sn,
      ...(original.line.drord_no && { drord_no: original.line.drord_no }),
      det_item_fee_sumamt: toMoney(cnt.times(item.pric).negated()),
      cnt: cnt.negated().toFixed(),
      memo: '退药',
    };
    this.refunded.set(original_sn, this.refundedCount(original_sn).plus(cnt));
    this.lines.set(line.feedetl_sn, { line, at });
    return line;
  }

  /** Sets lines aside (作废); returns the change to the visit's total (minus their amounts). */
  void(sns: readonly string[]): string {
    let removed = new Decimal(0);
    for (const sn of sns) {
      const entry = this.lines.get(sn);
      if (!entry || this.voided.has(sn) || this.refundedCount(sn).gt(0))
        throw new Error(`line ${sn} cannot be voided`);
      this.voided.add(sn);
      removed = removed.plus(entry.line.det_item_fee_sumamt);
    }
    return toMoney(removed.negated());
  }

  /**
   * Lines charged before `before` that can still be refunded or voided: original, not voided, not refunded; and
   * charged after `after` when given (a mid-way settlement's lines are settled: the platform keeps them).
   */
  adjustable(
    before: number,
    kinds: readonly FeeItem['kind'][],
    after = -Infinity,
  ): { line: FeeLine; at: number }[] {
    return [...this.lines.values()]
      .filter(({ at }) => at > after)
      .filter(({ line, at }) => at < before && !line.init_feedetl_sn && !this.voided.has(line.feedetl_sn))
      .filter(({ line }) => this.refundedCount(line.feedetl_sn).isZero())
      .filter(({ line }) => kinds.includes(feeItem(line.medins_list_codg).kind));
  }

  /** 医疗费总额 as the HIS's books have it: every line charged or refunded, less the voided ones. */
  total(): string {
    return this.totalUpTo(Infinity);
  }

  /** The total of the lines charged (or refunded) up to `at`, less the voided ones: what a mid-way settlement covers. */
  totalUpTo(at: number): string {
    let sum = new Decimal(0);
    for (const { line, at: chargedAt } of this.lines.values())
      if (chargedAt <= at && !this.voided.has(line.feedetl_sn)) sum = sum.plus(line.det_item_fee_sumamt);
    return toMoney(sum);
  }

  private refundedCount(sn: string): Decimal {
    return this.refunded.get(sn) ?? new Decimal(0);
  }

  private common(at: number, item: FeeItem) {
    this.sequence += 1;
    return {
      feedetl_sn: `${this.ipt_no}-F${String(this.sequence).padStart(4, '0')}`,
      fee_ocur_time: platformDateTime(at),
      med_list_codg: item.med_list_codg,
      medins_list_codg: item.medins_list_codg,
      pric: item.pric,
      bilg_dept_codg: this.department.code,
      bilg_dept_name: this.department.name,
      bilg_dr_codg: this.doctor.code,
      bilg_dr_name: this.doctor.name,
    };
  }
}

/** Sum of lines' amounts, as a money string. */
export function sumOfLines(lines: readonly FeeLine[]): string {
  return toMoney(lines.reduce((sum, line) => sum.plus(line.det_item_fee_sumamt), new Decimal(0)));
}
