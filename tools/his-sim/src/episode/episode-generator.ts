import {
  contractFor,
  createEnvelope,
  currentVersion,
  type DataOf,
  type Envelope,
  type EventTopic,
  type MessageType,
} from '@yb/contracts';
import Decimal from 'decimal.js';
import { beijingMidnight, DAY_MS, HOUR_MS, isoBeijing, MINUTE_MS, platformDateTime } from '../beijing-time';
import { CULTURE_ITEM, PATHOLOGY_ITEM, SENSITIVITY_ITEM } from '../reference/clinical-results';
import {
  DISCHARGE_MEDICINES,
  PRIVATE_WARD_BED_ITEM,
  type CaseType,
  type DailyCharge,
  type Department,
  type Doctor,
} from '../reference/departments';
import { COMORBIDITIES, type Diagnosis } from '../reference/diagnoses';
import { feeItem } from '@yb/reference-charges';
import { DISCHARGE_WAYS } from '../reference/insurance';
import { mixSeed, SeededRandom } from '../random';
import {
  cultureReport,
  examReport,
  isExam,
  isLab,
  labReport,
  order,
  pathologyReport,
  pickOrganism,
  sensitivityReport,
  stopped,
  type OrderRecord,
} from './clinical-records';
import { sumOfLines, toMoney, VisitFeeBook, type ChargeRequest, type FeeLine } from './fee-book';
import { newPatient, type Patient } from './patient';

/** One message the HIS publishes, with the topic its contract names. */
export interface SimulatedMessage {
  readonly topic: EventTopic;
  readonly envelope: Envelope;
  /** How the message changes the visit's fee total (money string); set on fee messages only. */
  readonly feeDelta?: string;
}

/** An inpatient stay from admission to the medical record homepage, as the HIS publishes it. */
export interface Episode {
  readonly index: number;
  readonly ipt_no: string;
  readonly department: Department;
  readonly admittedAt: number;
  /** When the bed is free again: the discharge, or the cancellation of the admission. */
  readonly leftAt: number;
  /** The visit's messages in the order the HIS publishes them (by time). */
  readonly messages: readonly SimulatedMessage[];
  /** The visit's fee total by the HIS's books ("0.00" for a cancelled admission). */
  readonly medfee_sumamt: string;
}

export interface EpisodeOptions {
  /** The run's seed; with `index` it fixes everything about the episode. */
  readonly seed: number;
  /** The episode's number in the run (0-based); part of ipt_no. */
  readonly index: number;
  readonly department: Department;
  readonly bedNo: number;
  /** Admission instant (epoch ms, whole seconds). */
  readonly admittedAt: number;
  /** Prefix of ipt_no that keeps runs with different seeds apart, e.g. "ZY1A2B3C". */
  readonly visitPrefix: string;
  /**
   * The cashier confirms each pre-settlement split at the HIS (PreSettlementConfirmed), as in a hospital whose
   * settlement saga waits for it (SETTLEMENT_CONFIRMATION on). Off by default: the hospital's setting decides.
   */
  readonly cashierConfirms?: boolean;
}

/** Chances per stay of the events that make reconciliation interesting. */
const CANCELLED_ADMISSION = 0.01;
const ADMISSION_CHANGE = 0.08;
const VOID_AND_RECHARGE = 0.12;
const REFUND = 0.25;
const PRIVATE_WARD = 0.03;
const DISCHARGE_MEDICINE = 0.35;
const CULTURE = 0.4;
const POST_OPERATIVE_ICU = 0.3;
/** 中途结算: a long stay is settled once part-way (see the README for the shares and why). */
const MIDWAY_MIN_DAYS = 12;
const MIDWAY_SETTLEMENT = 0.25;
/** 结算撤销: the cashier cancels the discharge settlement and settles again. */
const SETTLEMENT_CANCELLED = 0.02;
/** Mixed into the visit's seed for the settlement draws' own streams (see settlementRng). */
const SETTLEMENT_STREAM = 0x5e771e;
const CONFIRMATION_STREAM = 0xc0f1e;

interface Planned {
  readonly at: number;
  readonly type: MessageType;
  readonly data: unknown;
  readonly feeDelta?: string;
}

const DRUG_KINDS = ['western_drug', 'chinese_patent_drug'] as const;

/** med_type 52 生育住院. */
const MATERNITY_STAY = '52';

/** The settlement list's nursing days by the ward's nursing item (特级 / Ⅰ级 / Ⅱ级 护理; ICU care is 特级). */
const NURSING_DAYS: Readonly<
  Record<string, 'spga_nurscare_days' | 'lv1_nurscare_days' | 'scd_nurscare_days'>
> = {
  HL0001: 'spga_nurscare_days',
  HL0002: 'spga_nurscare_days',
  HL0003: 'lv1_nurscare_days',
  HL0004: 'scd_nurscare_days',
};

/** Generates one stay. Pure: the same options give the same episode, message ids included. */
export function generateEpisode(options: EpisodeOptions): Episode {
  return new EpisodeBuilder(options).build();
}

class EpisodeBuilder {
  private readonly rng: SeededRandom;
  /**
   * Mid-way settlements, cancellations and the cashier's confirmations are drawn from a stream of their own, so
   * that every draw of `rng` (and so every stay these do not concern) stays as it was before they existed; the
   * confirmations from another, so that `--cashier-confirms` adds them and changes nothing else.
   */
  private readonly settlementRng: SeededRandom;
  private readonly confirmationRng: SeededRandom;
  private readonly planned: Planned[] = [];
  private readonly ipt_no: string;
  private readonly dept: Department;
  private readonly doctor: Doctor;
  private readonly caseType: CaseType;
  private readonly patient: Patient;
  private readonly book: VisitFeeBook;
  private readonly comorbidities: Diagnosis[];
  private readonly longTermOrders: OrderRecord[] = [];
  private operationAt: { startAt: number; endAt: number } | undefined;
  /** A delivery (生育住院): the pregnancy as admitted, and when the child is born. */
  private readonly maternity:
    { geso_val: number; fetts: number; fetus_cnt: number; deliveredAt?: number } | undefined;
  /** A newborn's stay: what the settlement list reports of it. */
  private readonly newborn:
    Pick<DataOf<'PatientAdmitted'>, 'nwb_adm_type' | 'nwb_bir_wt' | 'nwb_adm_wt'> | undefined;
  private orderSequence = 0;
  private reportSequence = 0;

  constructor(private readonly options: EpisodeOptions) {
    this.rng = new SeededRandom(mixSeed(options.seed, options.index));
    const visitSeed = mixSeed(options.seed, options.index);
    this.settlementRng = new SeededRandom(mixSeed(visitSeed, SETTLEMENT_STREAM));
    this.confirmationRng = new SeededRandom(mixSeed(visitSeed, CONFIRMATION_STREAM));
    this.dept = options.department;
    this.ipt_no = `${options.visitPrefix}${String(options.index + 1).padStart(6, '0')}`;
    this.doctor = this.rng.pick(this.dept.doctors);
    this.caseType = this.rng.weighted(this.dept.cases.map((c) => ({ value: c, weight: c.weight })));
    // Drawn only for the stays they concern, so that every other stay of a seed stays as it was.
    const newborn = this.caseType.newborn;
    const daysOld = newborn ? this.rng.int(0, 7) : undefined;
    this.patient = newPatient(this.rng, this.dept, options.admittedAt, daysOld);
    if (newborn) {
      const [lightest, heaviest] = newborn.birthWeight;
      // Weighed to 10 g; a newborn loses up to 7 % in its first days.
      const birthWeight = this.rng.int(lightest / 10, heaviest / 10) * 10;
      const lost = Math.round((birthWeight * this.rng.int(0, Math.min(daysOld!, 7))) / 100 / 10) * 10;
      this.newborn = {
        nwb_adm_type: newborn.nwb_adm_type,
        nwb_bir_wt: String(birthWeight),
        nwb_adm_wt: String(birthWeight - lost),
      };
    }
    if (this.caseType.med_type === MATERNITY_STAY) {
      this.maternity = {
        geso_val: this.rng.int(35, 41),
        fetts: this.rng.weighted([
          { value: 1, weight: 55 },
          { value: 2, weight: 38 },
          { value: 3, weight: 7 },
        ]),
        fetus_cnt: this.rng.chance(0.02) ? 2 : 1,
      };
    }
    this.book = new VisitFeeBook(this.ipt_no, this.dept, this.doctor);
    const comorbidityChance = this.patient.age >= 50 ? 0.35 : 0.08;
    this.comorbidities = COMORBIDITIES.filter(
      (d) => d.code !== this.caseType.diagnosis.code && this.rng.chance(comorbidityChance),
    ).slice(0, 3);
  }

  build(): Episode {
    const { admittedAt } = this.options;
    const admission = this.admission(admittedAt, [this.caseType.diagnosis]);
    this.plan(admittedAt, 'PatientAdmitted', admission);
    if (this.rng.chance(CANCELLED_ADMISSION)) {
      const cancelledAt = admittedAt + this.minutes(20, 90);
      this.plan(cancelledAt, 'AdmissionCancelled', {
        ipt_no: this.ipt_no,
        reason: '患者放弃住院，入院登记作废',
      });
      return this.finish(cancelledAt, '0.00');
    }
    const [minDays, typicalDays, maxDays] = this.caseType.stayDays;
    const stayDays = Math.max(2, this.rng.triangular(minDays, typicalDays, maxDays));
    const midnight = beijingMidnight(admittedAt);
    const dischargeAt = midnight + stayDays * DAY_MS + this.minutes(9.5 * 60, 11.5 * 60);

    this.admissionDay(admittedAt, stayDays);
    const regimen = this.dept.dailyCharges.filter((c) => this.rng.chance(c.chance));
    const regimenOrders = this.startRegimen(admittedAt + this.minutes(20, 50), regimen);
    const privateWard = !this.dept.intensiveCare && this.rng.chance(PRIVATE_WARD);
    for (let day = 0; day < stayDays; day++) {
      const at =
        day === 0 ? admittedAt + this.minutes(120, 180) : midnight + day * DAY_MS + this.minutes(540, 660);
      this.dailyCharges(at, regimen, regimenOrders, privateWard);
      if (day > 0 && day % this.dept.followUpEveryDays === 0) {
        this.tests(midnight + day * DAY_MS + this.minutes(390, 420), this.dept.followUpTests, false);
      }
    }
    this.operation(midnight, stayDays);
    this.delivery(admittedAt, midnight);
    const midwayAt = this.midwaySettlementTime(midnight, stayDays);
    if (this.rng.chance(ADMISSION_CHANGE)) {
      const at = Math.min(admittedAt + this.minutes(180, 1800), dischargeAt - 2 * HOUR_MS);
      this.plan(
        at,
        'AdmissionChanged',
        this.admission(admittedAt, [this.caseType.diagnosis, ...this.comorbidities], at),
      );
    }
    if (this.rng.chance(VOID_AND_RECHARGE)) this.voidAndRecharge(dischargeAt, midwayAt);
    if (this.rng.chance(REFUND)) this.refunds(dischargeAt, this.rng.int(1, 2), midwayAt);

    const dscg_way = this.rng.chance(this.dept.mortality) ? '5' : this.rng.weighted(DISCHARGE_WAYS);
    if (dscg_way === '1' && this.rng.chance(DISCHARGE_MEDICINE)) this.dischargeMedicine(dischargeAt);
    this.discharge(dischargeAt, dscg_way);
    const total = this.book.total();
    const settleAt = dischargeAt + this.minutes(30, 120);
    const acct_used_flag = this.patient.insutype === '310' && this.rng.chance(0.7) ? '1' : '0';
    // After a mid-way settlement the discharge settlement covers only the lines charged since (each 2304 covers
    // the lines no standing settlement covers, and the platform refuses another total).
    const settledMidway = midwayAt === undefined ? undefined : this.book.totalUpTo(midwayAt);
    const request: DataOf<'SettlementRequested'> = {
      ipt_no: this.ipt_no,
      mid_setl_flag: '0',
      psn_setlway: '01',
      acct_used_flag,
      medfee_sumamt: settledMidway === undefined ? total : toMoney(new Decimal(total).minus(settledMidway)),
      invono: `FP${this.rng.digits(10)}`,
      ...this.certificateAtDischarge(settleAt),
    };
    const cancelled = this.settlementRng.chance(SETTLEMENT_CANCELLED);
    if (midwayAt !== undefined)
      this.requestSettlement(midwayAt, {
        ...request,
        mid_setl_flag: '1',
        medfee_sumamt: settledMidway!,
        invono: `FP${this.settlementRng.digits(10)}`,
        ...this.certificateAtDischarge(midwayAt),
      });
    this.requestSettlement(settleAt, request);
    if (cancelled) this.cancelAndSettleAgain(settleAt, request);
    this.homepage(admittedAt, dischargeAt, stayDays, dscg_way, total);
    return this.finish(dischargeAt, total);
  }

  /**
   * 中途结算 of a long stay: in the late afternoon of a day half-way through, after the day's charges and
   * before the next morning's, over every line charged until then.
   */
  private midwaySettlementTime(midnight: number, stayDays: number): number | undefined {
    if (stayDays < MIDWAY_MIN_DAYS || !this.settlementRng.chance(MIDWAY_SETTLEMENT)) return undefined;
    const day = Math.floor(stayDays / 2);
    return midnight + day * DAY_MS + this.settlementRng.int(16 * 60, 17 * 60 + 30) * MINUTE_MS;
  }

  /** The cashier settles; where the hospital waits for it, the cashier then confirms the split at the HIS. */
  private requestSettlement(at: number, request: DataOf<'SettlementRequested'>): void {
    this.plan(at, 'SettlementRequested', request);
    if (!this.options.cashierConfirms) return;
    this.plan(at + this.confirmationRng.int(60, 300) * 1000, 'PreSettlementConfirmed', {
      ipt_no: this.ipt_no,
      decision: 'CONFIRM',
      acct_used_flag: request.acct_used_flag,
      cashier: `SF${this.confirmationRng.digits(3)}`,
    } satisfies DataOf<'PreSettlementConfirmed'>);
  }

  /**
   * 结算撤销 and settling again: the patient asks to pay otherwise from the personal account, or the slip was
   * wrong; the cashier cancels the discharge settlement (2305, then 2405) and settles the same lines again.
   */
  private cancelAndSettleAgain(settledAt: number, settled: DataOf<'SettlementRequested'>): void {
    const accountChoice = this.patient.insutype === '310' && this.settlementRng.chance(0.5);
    const cancelAt = settledAt + this.settlementRng.int(15 * 60, 90 * 60) * 1000;
    this.plan(cancelAt, 'SettlementCancelRequested', {
      ipt_no: this.ipt_no,
      reason: accountChoice ? '患者要求变更个人账户支付，撤销重结' : '结算单信息有误，撤销重结',
    } satisfies DataOf<'SettlementCancelRequested'>);
    const againAt = cancelAt + this.settlementRng.int(5 * 60, 30 * 60) * 1000;
    this.requestSettlement(againAt, {
      ...settled,
      ...(accountChoice && { acct_used_flag: settled.acct_used_flag === '1' ? '0' : '1' }),
      invono: `FP${this.settlementRng.digits(10)}`,
      ...this.certificateAtDischarge(againAt),
    });
  }

  /**
   * An e-voucher patient scans a fresh token at the cashier (the admission day's has expired); an ID card or
   * a social security card is the one presented at admission, which the HIS says still holds.
   */
  private certificateAtDischarge(at: number): Partial<DataOf<'SettlementRequested'>> {
    if (this.patient.mdtrt_cert_type !== '01') return { cert_as_admitted: true };
    const token = `EC${this.patient.insuplc_admdvs}${String(at).padStart(18, '0').slice(-18)}`;
    return { mdtrt_cert_type: '01', mdtrt_cert_no: token };
  }

  /**
   * The admission as it stands at `at`: after a delivery it names what the delivery was (2403 sends it, and 2402
   * repeats it), so that a later change never takes it back.
   */
  private admission(
    admittedAt: number,
    diagnoses: readonly Diagnosis[],
    at = admittedAt,
  ): DataOf<'PatientAdmitted'> {
    const { patient, caseType, dept, doctor, maternity } = this;
    const delivered = maternity?.deliveredAt !== undefined && at >= maternity.deliveredAt;
    const identity = {
      mdtrt_cert_type: patient.mdtrt_cert_type,
      mdtrt_cert_no: patient.mdtrt_cert_no,
      ...(patient.card_sn && { card_sn: patient.card_sn }),
      ...(patient.knowsPsnNo && { psn_no: patient.psn_no, insuplc_admdvs: patient.insuplc_admdvs }),
    };
    return {
      ipt_no: this.ipt_no,
      medrcdno: `MR${this.ipt_no}`,
      ...identity,
      insutype: patient.insutype,
      med_type: caseType.med_type ?? '21',
      begntime: platformDateTime(admittedAt),
      ...(patient.coner_name && { coner_name: patient.coner_name, tel: patient.tel }),
      adm_dept_codg: dept.code,
      adm_dept_name: dept.name,
      adm_bed: `${this.options.bedNo}床`,
      atddr_no: doctor.code,
      chfpdr_name: doctor.name,
      adm_diag_dscr: diagnoses.map((d) => d.name).join('；'),
      dscg_maindiag_code: caseType.diagnosis.code,
      dscg_maindiag_name: caseType.diagnosis.name,
      ...(caseType.operation && {
        oprn_oprt_code: caseType.operation.code,
        oprn_oprt_name: caseType.operation.name,
      }),
      diagnoses: diagnoses.map((d, i) => this.diagnosisEntry(d, i, admittedAt)),
      psn_name: patient.psn_name,
      gend: patient.gend,
      brdy: patient.brdy,
      ...(maternity && {
        geso_val: maternity.geso_val,
        fetts: maternity.fetts,
        fetus_cnt: maternity.fetus_cnt,
      }),
      ...(delivered && {
        matn_type: caseType.matn_type!,
        birctrl_matn_date: platformDateTime(maternity!.deliveredAt!).slice(0, 10),
        pret_flag: maternity!.geso_val < 37 ? ('1' as const) : ('0' as const),
        // 晚育: a first child at 24 or older.
        latechb_flag: maternity!.fetts === 1 && patient.age >= 24 ? ('1' as const) : ('0' as const),
      }),
      ...this.newborn,
    };
  }

  /**
   * A delivery: the child is born on the admission day or the next (a caesarean at the end of its operation),
   * and the HIS records it with the admission changed (2403): matn_type and the date of birth.
   */
  private delivery(admittedAt: number, midnight: number): void {
    if (!this.maternity) return;
    const bornAt =
      this.operationAt?.endAt ??
      Math.max(admittedAt + this.minutes(60, 600), midnight + this.minutes(60, 23 * 60));
    this.maternity.deliveredAt = bornAt;
    const recordedAt = bornAt + this.minutes(30, 180);
    this.plan(
      recordedAt,
      'AdmissionChanged',
      this.admission(admittedAt, [this.caseType.diagnosis], recordedAt),
    );
  }

  private diagnosisEntry(diagnosis: Diagnosis, position: number, at: number) {
    return {
      diag_type: '1',
      maindiag_flag: position === 0 ? ('1' as const) : ('0' as const),
      diag_srt_no: position + 1,
      diag_code: diagnosis.code,
      diag_name: diagnosis.name,
      diag_dept: this.dept.name,
      dise_dor_no: this.doctor.code,
      dise_dor_name: this.doctor.name,
      diag_time: platformDateTime(at),
    };
  }

  /** Admission tests, with a culture for infections when the stay is long enough for its result. */
  private admissionDay(admittedAt: number, stayDays: number): void {
    const culture = this.caseType.diagnosis.infection === true && stayDays >= 4 && this.rng.chance(CULTURE);
    this.tests(
      admittedAt + this.minutes(40, 90),
      [...this.dept.admissionTests, ...(culture ? [CULTURE_ITEM] : [])],
      true,
    );
  }

  /** Temporary orders for tests, their charges, and the reports that follow. */
  private tests(orderedAt: number, codes: readonly string[], admission: boolean): void {
    const orders = codes.map((code) =>
      order(this.nextOrderNo(), '2', this.item(code), orderedAt, this.dept.code),
    );
    this.plan(orderedAt, 'MedicalOrdersRecorded', { ipt_no: this.ipt_no, orders });
    const chargedAt = orderedAt + this.minutes(admission ? 20 : 30, 60);
    const lines = this.charge(
      chargedAt,
      orders.map((o) => ({ medins_list_codg: o.drord_detl_code, cnt: '1', drord_no: o.drord_no })),
    );
    for (const line of lines) this.report(line, chargedAt);
  }

  private report(line: FeeLine, chargedAt: number): void {
    const code = line.medins_list_codg;
    const item = this.item(code);
    if (isLab(code)) {
      const at = chargedAt + this.minutes(120, 300);
      this.plan(
        at,
        'LabReportIssued',
        labReport(this.rng, this.ipt_no, this.nextReportNo('JY'), item, at, this.doctor),
      );
    } else if (isExam(code)) {
      const examinedAt = chargedAt + this.minutes(30, 180);
      const reportedAt = examinedAt + this.minutes(60, 240);
      this.plan(
        reportedAt,
        'ExamReportIssued',
        examReport(this.rng, this.ipt_no, this.nextReportNo('JC'), item, examinedAt, reportedAt),
      );
    } else if (code === CULTURE_ITEM) {
      const at = chargedAt + this.minutes(48 * 60, 60 * 60);
      const organism = pickOrganism(this.rng);
      this.plan(
        at,
        'BacterialCultureReported',
        cultureReport(this.rng, this.ipt_no, this.nextReportNo('PY'), at, organism),
      );
      if (organism) {
        this.charge(at, [{ medins_list_codg: SENSITIVITY_ITEM, cnt: '1', drord_no: line.drord_no }]);
        const reportedAt = at + this.minutes(20 * 60, 28 * 60);
        this.plan(
          reportedAt,
          'DrugSensitivityReported',
          sensitivityReport(this.rng, this.ipt_no, this.nextReportNo('YM'), reportedAt, organism.name),
        );
      }
    }
  }

  /** Long-term orders for nursing and the patient's regimen; returns each regimen item's order number. */
  private startRegimen(at: number, regimen: readonly DailyCharge[]): Map<string, string> {
    const orderNos = new Map<string, string>();
    const orders = [this.dept.nursing.medins_list_codg, ...regimen.map((c) => c.medins_list_codg)]
      .filter((code) => feeItem(code).kind !== 'material')
      .map((code) => {
        const kind = feeItem(code).kind;
        const drug = kind === 'western_drug' || kind === 'chinese_patent_drug';
        const record = order(
          this.nextOrderNo(),
          '1',
          this.item(code),
          at,
          this.dept.code,
          drug ? { route: '3', frequency: 'qd' } : undefined,
        );
        orderNos.set(code, record.drord_no);
        return record;
      });
    this.longTermOrders.push(...orders);
    this.plan(at, 'MedicalOrdersRecorded', { ipt_no: this.ipt_no, orders });
    return orderNos;
  }

  private dailyCharges(
    at: number,
    regimen: readonly DailyCharge[],
    orderNos: Map<string, string>,
    privateWard: boolean,
  ): void {
    const requests: ChargeRequest[] = [
      { medins_list_codg: privateWard ? PRIVATE_WARD_BED_ITEM : this.dept.bedItem, cnt: '1' },
      {
        medins_list_codg: this.dept.nursing.medins_list_codg,
        cnt: this.dept.nursing.cntPerDay,
        drord_no: orderNos.get(this.dept.nursing.medins_list_codg),
      },
      { medins_list_codg: 'ZC0001', cnt: '1' },
      ...regimen
        .filter(() => this.rng.chance(0.9))
        .map((c) => ({
          medins_list_codg: c.medins_list_codg,
          cnt: c.cnt,
          drord_no: orderNos.get(c.medins_list_codg),
        })),
    ];
    this.charge(at, requests);
  }

  private operation(midnight: number, stayDays: number): void {
    const operation = this.caseType.operation;
    if (!operation) return;
    const day = Math.min(this.caseType.operationDay ?? 1, stayDays - 1);
    const startAt =
      day === 0
        ? this.options.admittedAt + this.minutes(150, 240)
        : midnight + day * DAY_MS + this.minutes(8 * 60, 14 * 60);
    const surgeryOrder = order(
      this.nextOrderNo(),
      '2',
      { medins_list_codg: operation.charges[0]!.medins_list_codg, name: operation.name },
      startAt - this.minutes(60, 100),
      this.dept.code,
    );
    this.plan(startAt - this.minutes(100, 110), 'MedicalOrdersRecorded', {
      ipt_no: this.ipt_no,
      orders: [surgeryOrder],
    });
    const endAt = startAt + operation.durationMinutes * MINUTE_MS;
    const specimen = 'pathologySpecimen' in operation ? operation.pathologySpecimen : undefined;
    this.charge(endAt + this.minutes(30, 120), [
      ...operation.charges.map((c) => ({ ...c, drord_no: surgeryOrder.drord_no })),
      ...(specimen ? [{ medins_list_codg: PATHOLOGY_ITEM, cnt: '1', drord_no: surgeryOrder.drord_no }] : []),
    ]);
    this.operationAt = { startAt, endAt };
    if (specimen) {
      const reportedAt = endAt + this.minutes(3 * 24 * 60, 5 * 24 * 60);
      this.plan(
        reportedAt,
        'PathologyReportIssued',
        pathologyReport(
          this.ipt_no,
          `BL${this.rng.digits(16)}`,
          { ...operation, pathologySpecimen: specimen },
          endAt,
          reportedAt,
          this.caseType.diagnosis.name,
        ),
      );
    }
  }

  /** A line charged by mistake is voided (作废) and charged again with the right quantity. */
  private voidAndRecharge(dischargeAt: number, midwayAt: number | undefined): void {
    const candidates = this.book.adjustable(
      dischargeAt - 2 * HOUR_MS,
      [...DRUG_KINDS, 'treatment', 'material'],
      midwayAt,
    );
    if (candidates.length === 0) return;
    const { line, at } = this.rng.pick(candidates);
    const voidedAt = at + this.minutes(5, 60);
    const feeDelta = this.book.void([line.feedetl_sn]);
    this.plan(
      voidedAt,
      'FeeLinesVoided',
      { ipt_no: this.ipt_no, feedetl_sns: [line.feedetl_sn], reason: '数量录入错误，作废重收' },
      feeDelta,
    );
    const corrected = new Decimal(line.cnt).plus(this.rng.chance(0.5) ? 1 : -1);
    this.charge(voidedAt + this.minutes(1, 5), [
      {
        medins_list_codg: line.medins_list_codg,
        cnt: corrected.gt(0) ? corrected.toFixed() : '1',
        drord_no: line.drord_no,
      },
    ]);
  }

  /** Drugs returned to the pharmacy (退药): negative lines naming the line they reverse. */
  private refunds(dischargeAt: number, count: number, midwayAt: number | undefined): void {
    for (let i = 0; i < count; i++) {
      const candidates = this.book.adjustable(dischargeAt - 3 * HOUR_MS, DRUG_KINDS, midwayAt);
      if (candidates.length === 0) return;
      const { line, at } = this.rng.pick(candidates);
      const cnt = new Decimal(this.rng.int(1, Math.max(1, Math.floor(Number(line.cnt)))));
      const refundedAt = Math.min(at + this.minutes(120, 1200), dischargeAt - HOUR_MS);
      const refund = this.book.refund(refundedAt, line.feedetl_sn, cnt);
      this.plan(
        refundedAt,
        'FeeLinesCharged',
        { ipt_no: this.ipt_no, lines: [refund] },
        sumOfLines([refund]),
      );
    }
  }

  private dischargeMedicine(dischargeAt: number): void {
    const at = dischargeAt - this.minutes(30, 60);
    const medicines = DISCHARGE_MEDICINES.filter(() => this.rng.chance(0.3)).slice(0, 2);
    if (medicines.length === 0) return;
    const orders = medicines.map((code) =>
      order(this.nextOrderNo(), '2', this.item(code), at - this.minutes(5, 20), this.dept.code, {
        route: '1',
        frequency: 'qd',
      }),
    );
    this.plan(at - this.minutes(5, 20), 'MedicalOrdersRecorded', { ipt_no: this.ipt_no, orders });
    this.charge(
      at,
      orders.map((o) => ({
        medins_list_codg: o.drord_detl_code,
        cnt: String(this.rng.int(1, 3)),
        drord_no: o.drord_no,
        dscg_tkdrug_flag: '1' as const,
      })),
    );
  }

  private discharge(dischargeAt: number, dscg_way: DataOf<'DischargeRequested'>['dscg_way']): void {
    const operation = this.caseType.operation;
    this.plan(dischargeAt, 'DischargeRequested', {
      ipt_no: this.ipt_no,
      endtime: platformDateTime(dischargeAt),
      dscg_way,
      dscg_dept_codg: this.dept.code,
      dscg_dept_name: this.dept.name,
      dscg_bed: `${this.options.bedNo}床`,
      ...(dscg_way === '5' && { die_date: platformDateTime(dischargeAt - this.minutes(30, 240)) }),
      ...(operation && { oprn_oprt_code: operation.code, oprn_oprt_name: operation.name }),
      cop_flag: this.comorbidities.length > 0 ? '1' : '0',
      diagnoses: [this.caseType.diagnosis, ...this.comorbidities].map((d, i) =>
        this.diagnosisEntry(d, i, dischargeAt),
      ),
    } satisfies DataOf<'DischargeRequested'>);
    const stoppedAt = dischargeAt + this.minutes(5, 20);
    this.plan(stoppedAt, 'MedicalOrdersRecorded', {
      ipt_no: this.ipt_no,
      orders: this.longTermOrders.map((o) => stopped(o, stoppedAt)),
    });
  }

  private homepage(
    admittedAt: number,
    dischargeAt: number,
    stayDays: number,
    dscg_way: DataOf<'DischargeRequested'>['dscg_way'],
    total: string,
  ): void {
    const operation = this.caseType.operation;
    const surgery = this.operationAt;
    const icu = this.dept.intensiveCare
      ? {
          icu_codeid: '9',
          inpool_icu_time: platformDateTime(admittedAt),
          out_icu_time: platformDateTime(dischargeAt),
          nurscare_lv_code: '1',
        }
      : operation?.level === '4' && surgery && this.rng.chance(POST_OPERATIVE_ICU)
        ? {
            icu_codeid: '4',
            inpool_icu_time: platformDateTime(surgery.endAt + 10 * MINUTE_MS),
            out_icu_time: platformDateTime(surgery.endAt + this.minutes(16 * 60, 24 * 60)),
            back_icu: '0' as const,
          }
        : undefined;
    const recordedAt =
      beijingMidnight(dischargeAt) + this.rng.int(1, 3) * DAY_MS + this.minutes(9 * 60, 17 * 60);
    // 入院途径: most inpatients come through the outpatient clinic, some through the emergency room.
    const adm_way_code = this.dept.intensiveCare
      ? '1'
      : this.rng.weighted([
          { value: '2', weight: 72 },
          { value: '1', weight: 24 },
          { value: '3', weight: 3 },
          { value: '9', weight: 1 },
        ]);
    this.plan(recordedAt, 'MedicalRecordHomepageRecorded', {
      ipt_no: this.ipt_no,
      medcasno: `BA${this.ipt_no}`,
      psn_name: this.patient.psn_name,
      patn_ipt_cnt: this.patient.patn_ipt_cnt,
      adm_date: platformDateTime(admittedAt),
      dscg_date: platformDateTime(dischargeAt),
      adm_caty: this.dept.code,
      dscg_caty: this.dept.code,
      ipt_days: stayDays,
      dscg_way,
      medfee_sumamt: total,
      adm_way_code,
      trt_type: '1',
      // The ward's nursing level, every day of the stay.
      [NURSING_DAYS[this.dept.nursing.medins_list_codg] ?? 'scd_nurscare_days']: stayDays,
      resp_nurs_code: `N${this.dept.code.replace('.', '')}${this.rng.digits(4)}`,
      diagnoses: [this.caseType.diagnosis, ...this.comorbidities].map((d, i) => ({
        ipt_patn_disediag_type_code: '1',
        maindiag_flag: i === 0 ? ('1' as const) : ('0' as const),
        diag_code: d.code,
        diag_name: d.name,
        adm_cond_code: '1',
      })),
      operations:
        operation && surgery
          ? [
              {
                oprn_oprt_code: operation.code,
                oprn_oprt_name: operation.name,
                oprn_oprt_date: platformDateTime(surgery.startAt),
                oprn_lv_code: operation.level,
                oper_name: this.doctor.name,
                oper_dr_code: this.doctor.code,
                anst_mtd_code: operation.anaesthesia,
                main_oprn_flag: '1' as const,
                anst_begntime: platformDateTime(surgery.startAt - 15 * MINUTE_MS),
                anst_endtime: platformDateTime(surgery.endAt + 10 * MINUTE_MS),
                oprn_oprt_begntime: platformDateTime(surgery.startAt),
                oprn_oprt_endtime: platformDateTime(surgery.endAt),
              },
            ]
          : [],
      icu_stays: icu ? [icu] : [],
    } satisfies DataOf<'MedicalRecordHomepageRecorded'>);
  }

  private charge(at: number, requests: readonly ChargeRequest[]): FeeLine[] {
    const lines = this.book.charge(at, requests);
    this.plan(at, 'FeeLinesCharged', { ipt_no: this.ipt_no, lines }, sumOfLines(lines));
    return lines;
  }

  private plan(at: number, type: MessageType, data: unknown, feeDelta?: string): void {
    this.planned.push({ at, type, data, ...(feeDelta !== undefined && { feeDelta }) });
  }

  private finish(leftAt: number, medfee_sumamt: string): Episode {
    // Stable sort: messages planned for the same second keep the order they were planned in.
    const ordered = [...this.planned].sort((a, b) => a.at - b.at);
    let correlationId: string | undefined;
    const messages = ordered.map((p): SimulatedMessage => {
      const envelope = createEnvelope({
        id: this.rng.uuid(),
        type: p.type,
        schemaVersion: currentVersion(p.type),
        key: this.ipt_no,
        data: p.data,
        occurredAt: isoBeijing(p.at),
        ...(correlationId && { correlationId }),
      });
      // Every message of the visit shares the admission's id as its correlation id.
      correlationId ??= envelope.id;
      return {
        topic: contractFor(p.type, 1).topic as EventTopic,
        envelope,
        ...(p.feeDelta !== undefined && { feeDelta: p.feeDelta }),
      };
    });
    return {
      index: this.options.index,
      ipt_no: this.ipt_no,
      department: this.dept,
      admittedAt: this.options.admittedAt,
      leftAt,
      messages,
      medfee_sumamt,
    };
  }

  private item(code: string): { medins_list_codg: string; name: string } {
    return { medins_list_codg: code, name: feeItem(code).name };
  }

  private nextOrderNo(): string {
    this.orderSequence += 1;
    return `${this.ipt_no}-Y${String(this.orderSequence).padStart(3, '0')}`;
  }

  private nextReportNo(prefix: string): string {
    this.reportSequence += 1;
    return `${prefix}${this.ipt_no}-${String(this.reportSequence).padStart(3, '0')}`;
  }

  /** A duration between min and max minutes, in whole seconds. */
  private minutes(min: number, max: number): number {
    return this.rng.int(min * 60, max * 60) * 1000;
  }
}
