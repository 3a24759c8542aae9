import { type Decider } from '@yb/event-store';
import { REVOKE_ALL_FEE_DETAILS } from '@yb/contracts';
import { type FeeLedgerCommand } from './fee-ledger.commands';
import {
  type ChargedFeeLine,
  type FeeLedgerEvent,
  type HeldFeeLine,
  type HisFeeLine,
  type LineRefusal,
  type PriceLimitFinding,
  type SelfPayRatios,
} from './fee-ledger.events';
import {
  canUpload,
  evolveFeeLedger,
  feeTotals,
  initialFeeLedgerState,
  insuredArea,
  linesInOrder,
  questionCut,
  unsettledUploadedLines,
  uploadableLines,
  type FeeLedgerState,
} from './fee-ledger.state';
import { asMoney, sameMoney, sumMoney } from './money';

/** A command the ledger's state does not allow (a programming or ordering error, not a business refusal). */
export class FeeLedgerError extends Error {
  override readonly name = 'FeeLedgerError';
}

export const REFUSED_AFTER_CANCELLATION = '入院已撤销，费用明细不再上传';

export const AREA_MISSING =
  '参保地医保区划未知: admission registered the visit without naming the insured area (AdmissionRegistered v1) and the HIS named none; the fee lines wait. Send AdmissionChanged with insuplc_admdvs.';

/** A refund goes up after the line it refunds (the platform refuses it otherwise): it waits while that one is held. */
export const heldWithOriginal = (feedetl_sn: string, init_feedetl_sn: string) =>
  `退费明细[${feedetl_sn}]的原明细[${init_feedetl_sn}]暂挂待目录对照：随原明细一起上传`;

/** How many held lines a totals answer names (the rest are counted). */
const HELD_LINES_NAMED = 10;

/**
 * A visit's fee ledger: the HIS's lines, where each stands with the platform (with its per-line answer or
 * reason), the batch in flight and the saga's pending totals question. Business refusals are events
 * (FeeLinesRefused) so that the HIS hears of them; FeeLedgerError is for commands out of turn.
 */
export const FeeDetailLedger: Decider<FeeLedgerCommand, FeeLedgerEvent, FeeLedgerState> = {
  initialState: initialFeeLedgerState,
  decide,
  evolve: evolveFeeLedger,
};

function decide(command: FeeLedgerCommand, state: FeeLedgerState): FeeLedgerEvent[] {
  switch (command.type) {
    case 'NoteAdmission': {
      const { med_type, insuplc_admdvs } = command;
      const same =
        state.admission?.med_type === med_type && state.admission.insuplc_admdvs === insuplc_admdvs;
      return same
        ? []
        : [{ type: 'AdmissionNoted', data: { med_type, ...(insuplc_admdvs && { insuplc_admdvs }) } }];
    }
    case 'RegisterVisit': {
      const { registration } = command;
      const { mdtrt_id } = registration;
      if (state.registration?.mdtrt_id === mdtrt_id && !state.cancelled) return [];
      if (state.registration && !state.cancelled) {
        throw new FeeLedgerError(
          `the visit is registered as mdtrt_id ${state.registration.mdtrt_id}, not ${mdtrt_id}`,
        );
      }
      const registered: FeeLedgerEvent = { type: 'VisitRegistered', data: registration };
      const areaKnown = (registration.insuplc_admdvs ?? state.admission?.insuplc_admdvs) !== undefined;
      return areaKnown
        ? [registered]
        : [registered, { type: 'InsuredAreaMissing', data: { reason: AREA_MISSING } }];
    }
    case 'CancelVisit': {
      if (state.cancelled) return [];
      const waiting = linesInOrder(state, 'waiting').map((l) => l.line.feedetl_sn);
      const held = state.held.map((h) => h.line.feedetl_sn);
      const refusal = (feedetl_sn: string) => ({ feedetl_sn, reason: REFUSED_AFTER_CANCELLATION });
      return [
        { type: 'VisitCancelled', data: {} },
        ...refused(waiting.map(refusal)),
        ...heldRefused(held.map(refusal)),
      ];
    }
    case 'ChargeFeeLines':
      return [
        ...decideCharges(command.lines, command.held ?? [], state, command.selfpay_props),
        ...refused(command.refusals ?? []),
      ];
    case 'ReleaseHeldLines':
      return decideRelease(command, state);
    case 'DecideHeldLines':
      return decideHeld(command, state);
    case 'VoidFeeLines':
      return decideVoids(command.feedetl_sns, state);
    case 'SettleLines':
      return decideSettled(state, command);
    case 'UnsettleLines': {
      const feedetl_sns = state.settlements[command.setl_id];
      if (!feedetl_sns) return [];
      return [
        { type: 'FeeLinesUnsettled', data: { setl_id: command.setl_id, feedetl_sns: [...feedetl_sns] } },
      ];
    }
    case 'RequestReconciliation':
      if (state.reconciliation?.request.message_id === command.request.message_id) return [];
      return [{ type: 'ReconciliationRequested', data: command.request }];
    case 'NoteSettlementRequest': {
      const { request_id, mid_setl_flag } = command;
      if (state.cuts.some((c) => c.request_id === request_id)) return [];
      return [
        { type: 'SettlementRequestNoted', data: { request_id, mid_setl_flag, through: state.charged } },
      ];
    }
    case 'DropSettlementRequest':
      return state.cuts.some((c) => c.request_id === command.request_id)
        ? [{ type: 'SettlementRequestDropped', data: { request_id: command.request_id } }]
        : [];
    case 'StartBatch': {
      if (!Number.isInteger(command.batch_size) || command.batch_size < 1) {
        throw new FeeLedgerError(`batch_size must be a positive integer, got ${command.batch_size}`);
      }
      if (state.batch || !canUpload(state)) return [];
      const lines = uploadableLines(state).slice(0, command.batch_size);
      if (lines.length === 0) return [];
      const feedetl_sns = lines.map((l) => l.line.feedetl_sn);
      return [{ type: 'FeeBatchUploadStarted', data: { batch_no: state.batchesStarted + 1, feedetl_sns } }];
    }
    case 'RecordBatchUploaded': {
      assertBatch(state, command.batch_no);
      const { batch_no, msgid, answers, unreadable } = command;
      return [
        { type: 'FeeBatchUploaded', data: { batch_no, msgid, answers, ...(unreadable && { unreadable }) } },
      ];
    }
    case 'RecordBatchRejected': {
      const { feedetl_sns } = assertBatch(state, command.batch_no);
      const { batch_no, msgid, infcode, err_msg } = command;
      return [
        {
          type: 'FeeBatchRejected',
          data: { batch_no, feedetl_sns: [...feedetl_sns], msgid, infcode, err_msg },
        },
      ];
    }
    case 'RecordBatchUnknown': {
      assertBatch(state, command.batch_no);
      const { batch_no, msgid, reason } = command;
      return [{ type: 'FeeBatchOutcomeUnknown', data: { batch_no, msgid, reason } }];
    }
    case 'RecordBatchUndone': {
      const batch = assertBatch(state, command.batch_no);
      const accounted = new Set([...command.revoked, ...command.absent.map((a) => a.feedetl_sn)]);
      const missing = batch.feedetl_sns.filter((sn) => !accounted.has(sn));
      if (missing.length > 0) {
        throw new FeeLedgerError(`batch ${batch.batch_no} is not undone for ${missing.join(', ')}`);
      }
      const { batch_no, revoked, absent } = command;
      return [{ type: 'FeeBatchUndone', data: { batch_no, revoked, absent } }];
    }
    case 'RecordLinesRevoked':
    case 'RecordRevocationRejected': {
      const notOwed = command.feedetl_sns.filter(
        (sn) => !(state.lines.get(sn)?.status === 'uploaded' && state.lines.get(sn)!.voidRequested),
      );
      if (notOwed.length > 0) throw new FeeLedgerError(`no 2302 is owed for ${notOwed.join(', ')}`);
      const { msgid, feedetl_sns } = command;
      return command.type === 'RecordLinesRevoked'
        ? [{ type: 'FeeLinesRevoked', data: { msgid, feedetl_sns } }]
        : [{ type: 'FeeRevocationRejected', data: { msgid, feedetl_sns, err_msg: command.err_msg } }];
    }
    case 'RecordAllLinesRevoked':
      if (!state.reconciliation) throw new FeeLedgerError('2302 "0000" recorded without a reconciliation');
      if (state.batch)
        throw new FeeLedgerError(`2302 "0000" recorded while batch ${state.batch.batch_no} is out`);
      return [{ type: 'AllFeeLinesRevoked', data: { msgid: command.msgid } }];
    case 'AnswerReconciliation':
      return decideAnswer(state, command.failure);
  }
}

/**
 * The lines a 2304 settled: those on the platform no standing settlement covers, charged before the request the
 * totals were agreed for and uploaded by the batches they were agreed on (the platform refuses a 2304 whose total
 * differs from its unsettled lines', so these are the ones it covered). A settlement already recorded is a
 * redelivery.
 */
function decideSettled(
  state: FeeLedgerState,
  { setl_id, mid_setl_flag, medfee_sumamt }: Extract<FeeLedgerCommand, { type: 'SettleLines' }>,
): FeeLedgerEvent[] {
  if (state.settlements[setl_id]) return [];
  const through = state.agreedThroughBatch ?? Number.POSITIVE_INFINITY;
  const cut = state.agreedCut;
  const covered = unsettledUploadedLines(state, cut).filter((l) => (l.batch_no ?? 0) <= through);
  const lines_sumamt = sumMoney(
    covered.map((l) => l.answer?.det_item_fee_sumamt ?? l.line.det_item_fee_sumamt),
  );
  const feedetl_sns = covered.map((l) => l.line.feedetl_sn);
  return [
    {
      type: 'FeeLinesSettled',
      data: {
        setl_id,
        mid_setl_flag,
        feedetl_sns,
        medfee_sumamt: asMoney(medfee_sumamt),
        lines_sumamt,
        ...(cut && { request_id: cut.request_id }),
      },
    },
  ];
}

function refused(lines: LineRefusal[]): FeeLedgerEvent[] {
  return lines.length === 0 ? [] : [{ type: 'FeeLinesRefused', data: { lines } }];
}

/** Its own event: a FeeLinesRefused may name a held line's feedetl_sn reused by another charge. */
function heldRefused(lines: LineRefusal[]): FeeLedgerEvent[] {
  return lines.length === 0 ? [] : [{ type: 'HeldFeeLinesRefused', data: { lines } }];
}

/**
 * A line already known (in the ledger or held) is not taken again: the same content is a redelivery, other
 * content a refusal. A refund of a held line is held with it.
 */
function decideCharges(
  lines: HisFeeLine[],
  held: HeldFeeLine[],
  state: FeeLedgerState,
  selfpay_props: SelfPayRatios = {},
): FeeLedgerEvent[] {
  if (state.cancelled) {
    return refused(
      [...held.map((h) => h.line), ...lines].map((l) => ({
        feedetl_sn: l.feedetl_sn,
        reason: REFUSED_AFTER_CANCELLATION,
      })),
    );
  }
  const heldNow = new Map(state.held.map((h) => [h.line.feedetl_sn, h.line]));
  const refusals: LineRefusal[] = [];
  const isNew = (line: ChargedFeeLine): boolean => {
    const known = state.lines.get(line.feedetl_sn)?.line ?? heldNow.get(line.feedetl_sn);
    if (!known) return true;
    if (!sameCharge(known, line)) {
      refusals.push({
        feedetl_sn: line.feedetl_sn,
        reason: `费用明细流水号[${line.feedetl_sn}]已用于另一条费用明细，不能以不同内容重复使用`,
      });
    }
    return false;
  };
  const holds = held.filter((h) => isNew(h.line));
  const heldSns = new Set([...heldNow.keys(), ...holds.map((h) => h.line.feedetl_sn)]);
  const fresh: HisFeeLine[] = [];
  for (const line of lines.filter(isNew)) {
    const original = line.init_feedetl_sn;
    if (original !== undefined && heldSns.has(original)) {
      holds.push({ line, reason: heldWithOriginal(line.feedetl_sn, original) });
      heldSns.add(line.feedetl_sn);
    } else fresh.push(line);
  }
  return [
    ...(fresh.length > 0
      ? [{ type: 'FeeLinesReceived' as const, data: { lines: fresh, ...ratiosOf(fresh, selfpay_props) } }]
      : []),
    ...(holds.length > 0 ? [{ type: 'FeeLinesHeld' as const, data: { lines: holds } }] : []),
    ...refused(refusals),
  ];
}

/**
 * Held lines whose mapping arrived go up, in the HIS's order; a refund whose original stays held stays held.
 * Only lines still held count: a release decided on an older state (another process, a redelivery) is a no-op.
 */
function decideRelease(
  {
    lines,
    refusals,
    held: heldAgain = [],
    selfpay_props = {},
  }: Extract<FeeLedgerCommand, { type: 'ReleaseHeldLines' }>,
  state: FeeLedgerState,
): FeeLedgerEvent[] {
  const heldNow = new Map(state.held.map((h) => [h.line.feedetl_sn, h]));
  const rechecked = heldAgain.filter((h) => {
    const now = heldNow.get(h.line.feedetl_sn);
    return now !== undefined && (now.reason !== h.reason || !sameFinding(now.finding, h.finding));
  });
  const mapped = new Map(lines.map((l) => [l.feedetl_sn, l]));
  const held = new Set(state.held.map((h) => h.line.feedetl_sn));
  const refusing = refusals.filter((r) => held.has(r.feedetl_sn));
  const stillHeld = new Set([...held].filter((sn) => !mapped.has(sn)));
  for (const r of refusing) stillHeld.delete(r.feedetl_sn);
  const released: HisFeeLine[] = [];
  for (const { line: heldLine } of state.held) {
    const line = mapped.get(heldLine.feedetl_sn);
    if (!line || refusing.some((r) => r.feedetl_sn === line.feedetl_sn)) continue;
    if (line.init_feedetl_sn !== undefined && stillHeld.has(line.init_feedetl_sn)) {
      stillHeld.add(line.feedetl_sn);
      continue;
    }
    released.push(line);
  }
  return [
    ...(released.length > 0
      ? [
          {
            type: 'HeldFeeLinesReleased' as const,
            data: { lines: released, ...ratiosOf(released, selfpay_props) },
          },
        ]
      : []),
    ...heldRefused(refusing),
    ...(rechecked.length > 0 ? [{ type: 'HeldFeeLinesRechecked' as const, data: { lines: rechecked } }] : []),
  ];
}

/** The self-pay ratios of these lines, if any has one (the event then carries them). */
function ratiosOf(lines: readonly HisFeeLine[], ratios: SelfPayRatios): { selfpay_props?: SelfPayRatios } {
  const theirs = Object.fromEntries(
    lines.filter((l) => ratios[l.feedetl_sn] !== undefined).map((l) => [l.feedetl_sn, ratios[l.feedetl_sn]]),
  );
  return Object.keys(theirs).length > 0 ? { selfpay_props: theirs } : {};
}

const sameFinding = (a: PriceLimitFinding | undefined, b: PriceLimitFinding | undefined) =>
  a?.med_list_codg === b?.med_list_codg && a?.pric === b?.pric && a?.pric_uplmt_amt === b?.pric_uplmt_amt;

/**
 * A person's decision on held lines, recorded (who, why) and carried out: VOID refuses them (the HIS hears it);
 * UPLOAD_ANYWAY releases lines held for their price with their finding's national code, as a mapping's arrival
 * would. A line held for its mapping has no national code to go up with: only VOID fits it.
 */
function decideHeld(
  { feedetl_sns, decision, decided_by, comment }: Extract<FeeLedgerCommand, { type: 'DecideHeldLines' }>,
  state: FeeLedgerState,
): FeeLedgerEvent[] {
  const wanted = new Set(feedetl_sns);
  const targets = state.held.filter((h) => wanted.has(h.line.feedetl_sn));
  if (targets.length === 0) return [];
  const decided: FeeLedgerEvent = {
    type: 'HeldFeeLinesDecided',
    data: { decision, feedetl_sns: targets.map((h) => h.line.feedetl_sn), decided_by, comment },
  };
  if (decision === 'VOID') {
    const reason = voidedByPerson(decided_by.username, comment);
    return [decided, ...heldRefused(targets.map((h) => ({ feedetl_sn: h.line.feedetl_sn, reason })))];
  }
  const lines: HisFeeLine[] = [];
  for (const { line, finding } of targets) {
    if (!finding) {
      throw new FeeLedgerError(
        `held line ${line.feedetl_sn} waits for its item's mapping, not for a decision: only VOID fits it`,
      );
    }
    lines.push({ ...line, med_list_codg: finding.med_list_codg });
  }
  return [decided, ...decideRelease({ type: 'ReleaseHeldLines', lines, refusals: [] }, state)];
}

export const voidedByPerson = (username: string, comment: string) =>
  `暂挂明细由${username}作废，不上传：${comment}`;

/** Lines not yet on the platform are withdrawn here; lines on it (or on their way) owe a 2302. */
function decideVoids(feedetl_sns: string[], state: FeeLedgerState): FeeLedgerEvent[] {
  // "0000" means every line a settlement has not covered: the platform keeps settled lines (as 2302 "0000" does).
  const held = new Set(state.held.map((h) => h.line.feedetl_sn));
  const targets = feedetl_sns.includes(REVOKE_ALL_FEE_DETAILS)
    ? [...state.lines.filter((l) => l.setl_id === undefined).keys(), ...held]
    : feedetl_sns;
  const withdrawn: string[] = [];
  const owed: string[] = [];
  const refusals: LineRefusal[] = [];
  for (const sn of new Set(targets)) {
    const line = state.lines.get(sn);
    if (!line && held.has(sn)) {
      withdrawn.push(sn);
      continue;
    }
    if (!line) {
      refusals.push({ feedetl_sn: sn, reason: `费用明细流水号[${sn}]未收到，不能作废` });
      continue;
    }
    if (line.voidRequested || line.status === 'withdrawn' || line.status === 'revoked') continue;
    if (line.setl_id !== undefined) {
      refusals.push({ feedetl_sn: sn, reason: settledRefusal(sn, line.setl_id) });
      continue;
    }
    if (line.status === 'waiting' || line.status === 'rejected') withdrawn.push(sn);
    else owed.push(sn);
  }
  return [
    ...(withdrawn.length > 0
      ? [{ type: 'FeeLinesWithdrawn' as const, data: { feedetl_sns: withdrawn } }]
      : []),
    ...(owed.length > 0 ? [{ type: 'FeeLinesVoidRequested' as const, data: { feedetl_sns: owed } }] : []),
    ...refused(refusals),
  ];
}

const settledRefusal = (sn: string, setl_id: string) =>
  `费用明细[${sn}]已结算(结算ID ${setl_id})，不能作废：先撤销该结算(2305)`;

function decideAnswer(state: FeeLedgerState, failure: string | undefined): FeeLedgerEvent[] {
  const pending = state.reconciliation;
  if (!pending) throw new FeeLedgerError('no reconciliation is pending');
  const { message_id, correlation_id, his_sumamt, platform_sumamt } = pending.request;
  const totals = feeTotals(state, questionCut(state));
  const platformAgrees =
    platform_sumamt === undefined ||
    pending.resynchronised ||
    sameMoney(platform_sumamt, totals.uploaded_sumamt);
  // A held line is not on the platform: the visit must not settle without it, whatever the sums say.
  const agreed =
    failure === undefined &&
    state.held.length === 0 &&
    platformAgrees &&
    sameMoney(his_sumamt, totals.uploaded_sumamt);
  const reason = agreed
    ? undefined
    : (failure ?? disagreementReason(state, his_sumamt, totals.uploaded_sumamt));
  return [
    {
      type: 'FeeTotalsReconciled',
      data: {
        message_id,
        correlation_id,
        his_sumamt,
        platform_sumamt: totals.uploaded_sumamt,
        line_count: totals.uploaded_count,
        agreed,
        resynchronised: pending.resynchronised,
        ...(reason !== undefined && { reason }),
        ...totals.policy,
      },
    },
  ];
}

function disagreementReason(state: FeeLedgerState, his_sumamt: string, uploaded: string): string {
  if (!state.registration) return '医保平台尚未办理入院登记，费用明细未上传';
  if (state.cancelled) return '入院已撤销';
  if (insuredArea(state) === undefined) return AREA_MISSING;
  const rejected = linesInOrder(state, 'rejected').map((l) => `${l.line.feedetl_sn}: ${l.rejection}`);
  const parts = [`HIS费用总额[${his_sumamt}]与医保平台已上传总额[${uploaded}]不一致`];
  if (state.held.length > 0) parts.unshift(heldReason(state));
  if (rejected.length > 0) parts.push(`被拒明细 ${rejected.join('; ')}`);
  const waiting = uploadableLines(state).length;
  if (waiting > 0) parts.push(`${waiting}条明细待上传`);
  return parts.join('；');
}

/**
 * The held lines for the billing office: which lines wait for which item's mapping, which for a person's
 * decision on their price, and what releases them.
 */
function heldReason(state: FeeLedgerState): string {
  const named = (held: readonly HeldFeeLine[]) =>
    held
      .slice(0, HELD_LINES_NAMED)
      .map((h) => `${h.line.feedetl_sn}[${h.line.medins_list_codg}]`)
      .join('、') + (held.length > HELD_LINES_NAMED ? '等' : '');
  const unmapped = state.held.filter((h) => !h.finding);
  const overLimit = state.held.filter((h) => h.finding);
  return `${[
    ...(unmapped.length > 0
      ? [
          `${unmapped.length}条明细暂挂未上传(院内项目尚无医保目录对照)：${named(unmapped)}；` +
            '在目录对照中确认后自动上传',
        ]
      : []),
    ...(overLimit.length > 0
      ? [`${overLimit.length}条明细单价超过医保限价，暂挂待人工决定(仍上传或作废)：${named(overLimit)}`]
      : []),
  ].join('；')}，之后再结算`;
}

function assertBatch(state: FeeLedgerState, batch_no: number) {
  if (state.batch?.batch_no !== batch_no) {
    throw new FeeLedgerError(
      `batch ${batch_no} is not in flight (in flight: ${state.batch?.batch_no ?? 'none'})`,
    );
  }
  return state.batch;
}

/**
 * The same charge: a held line has no national code yet, so a line compared with one is compared without it.
 */
function sameCharge(known: ChargedFeeLine, line: ChargedFeeLine): boolean {
  if (known.med_list_codg !== undefined && line.med_list_codg !== undefined)
    return canonical(known) === canonical(line);
  const { med_list_codg: _known, ...knownCharge } = known;
  const { med_list_codg: _line, ...lineCharge } = line;
  return canonical(knownCharge) === canonical(lineCharge);
}

/** Field order does not matter when comparing two versions of a line. */
function canonical(line: ChargedFeeLine): string {
  return JSON.stringify(Object.entries(line).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
