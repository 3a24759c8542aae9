import {
  eventName,
  failures,
  reconcile,
  type HisEvent,
  type LedgerView,
  type ReconcileInput,
  type ResultMessage,
} from './reconcile';

// The reconciliation on hand-made runs: each case is the smallest ledger, results and dead letters that show one
// rule, and every rule that can fail is shown failing.

const HIS = 'run.his.inpatient';
const CLINICAL = 'run.his.clinical';
let offset = 0;
const his = (type: string, ipt_no: string, extra: Partial<HisEvent> = {}): HisEvent => ({
  id: `e${offset}`,
  type,
  ipt_no,
  topic: extra.reports ? CLINICAL : HIS,
  partition: 0,
  offset: String(offset++),
  ...extra,
});
const charged = (ipt_no: string, lines: [string, string][]) =>
  his('FeeLinesCharged', ipt_no, {
    lines: lines.map(([feedetl_sn, det_item_fee_sumamt]) => ({ feedetl_sn, det_item_fee_sumamt })),
  });
let resultSeq = 0;
const result = (
  type: string,
  key: string,
  causedBy: HisEvent | null,
  data: Record<string, unknown> = {},
): ResultMessage => ({ id: `r${resultSeq++}`, type, key, causationId: causedBy?.id ?? null, data });
const registration = (
  ipt_no: string,
  mdtrt_id: string,
  status = 'admitted',
  history: [string, string][] = [],
) => ({
  ipt_no,
  mdtrt_id,
  msgid: `M2401${mdtrt_id}`,
  status,
  history: history.map(([infno, msgid]) => ({ infno, msgid })),
});
const line = (
  mdtrt_id: string,
  feedetl_sn: string,
  amount: string,
  status = 'uploaded',
  setl_id?: string,
) => ({
  mdtrt_id,
  feedetl_sn,
  det_item_fee_sumamt: amount,
  msgid: `M2301${feedetl_sn}`,
  status,
  ...(setl_id && { setl_id }),
});
const registered = (admitted: HisEvent, mdtrt_id: string) =>
  result('AdmissionRegistered', admitted.ipt_no, admitted, { mdtrt_id, msgid: `M2401${mdtrt_id}` });
const saga = (
  ipt_no: string,
  cause: HisEvent,
  steps: [string, string, string, Record<string, unknown>?][],
  n = 1,
) =>
  steps.map(([step, status, saga_state, extra], i) =>
    result('SettlementSagaProgressed', ipt_no, i === 0 ? cause : null, {
      saga_id: `setl-${ipt_no}-${n}`,
      seq: i + 1,
      step,
      status,
      saga_state,
      detail: `${step} ${status}`,
      ...extra,
    }),
  );

function input(
  partial: Partial<Omit<ReconcileInput, 'ledger'>> & { ledger?: Partial<LedgerView> },
): ReconcileInput {
  const { ledger, ...rest } = partial;
  return {
    published: [],
    missingFromTopic: 0,
    hostile: [],
    hostileRefusedByBroker: {},
    results: [],
    deadLetters: [],
    services: ['admission', 'fee-detail', 'settlement', 'reporting'],
    // Every service has read everything unless a test says otherwise.
    committed: Object.fromEntries(
      ['admission', 'fee-detail', 'settlement', 'reporting'].map((s) => [
        s,
        { [`${HIS}/0`]: '100000', [`${CLINICAL}/0`]: '100000' },
      ]),
    ),
    ...rest,
    ledger: {
      registrations: [],
      feeLines: [],
      settlements: [],
      reports: [],
      reversals: [],
      refusals: [],
      ...ledger,
    },
  };
}

const outcomeOf = (r: ReturnType<typeof reconcile>, event: HisEvent) =>
  r.judged.find((j) => j.event === event)!;

/** A whole stay the platform applied: admission, lines, a void, a change, a settlement and a clinical report. */
function settledStay(ipt_no = 'ZY1', mdtrt_id = 'M1') {
  const admitted = his('PatientAdmitted', ipt_no);
  const fees = charged(ipt_no, [
    ['F1', '100.00'],
    ['F2', '20.50'],
    ['F3', '9.99'],
  ]);
  const voided = his('FeeLinesVoided', ipt_no, { voided: ['F3'] });
  const changed = his('AdmissionChanged', ipt_no);
  const lab = his('LabReportIssued', ipt_no, {
    reports: [{ infno: '4502', report_ref: 'JY1', platformKey: `H${ipt_no}/JY1`, void: false }],
  });
  const discharged = his('DischargeRequested', ipt_no);
  const settle = his('SettlementRequested', ipt_no, { medfee_sumamt: '120.50' });
  const published = [admitted, fees, voided, changed, lab, discharged, settle];
  const results = [
    registered(admitted, mdtrt_id),
    result('AdmissionChangeRegistered', ipt_no, changed, { mdtrt_id, msgid: 'M2403' }),
    result('ReportUploaded', ipt_no, null, { infno: '4502', report_ref: 'JY1', msgid: 'M4502' }),
    ...saga(ipt_no, settle, [
      ['FEE_RECONCILIATION', 'STARTED', 'RUNNING'],
      ['SETTLEMENT', 'SUCCEEDED', 'SETTLED', { infno: '2304', msgid: 'M2304' }],
    ]),
    result('Settled', ipt_no, null, {
      setl_id: 'S1',
      medfee_sumamt: '120.50',
      fund_pay_sumamt: '100.00',
      acct_pay: '0.00',
      psn_cash_pay: '20.50',
    }),
  ];
  const ledger: LedgerView = {
    registrations: [
      registration(ipt_no, mdtrt_id, 'settled', [
        ['2403', 'M2403'],
        ['2402', 'M2402'],
      ]),
    ],
    feeLines: [
      line(mdtrt_id, 'F1', '100.00', 'uploaded', 'S1'),
      line(mdtrt_id, 'F2', '20.50', 'uploaded', 'S1'),
      line(mdtrt_id, 'F3', '9.99', 'revoked'),
    ],
    settlements: [
      {
        setl_id: 'S1',
        mdtrt_id,
        msgid: 'M2304',
        status: 'settled',
        medfee_sumamt: '120.50',
        fund_pay_sumamt: '100.00',
        acct_pay: '0.00',
        psn_cash_pay: '20.50',
      },
    ],
    reports: [{ infno: '4502', msgid: 'M4502', key: `H${ipt_no}/JY1`, vali_flag: '1' }],
    reversals: [],
    refusals: [],
  };
  return { published, results, ledger, events: { admitted, fees, voided, changed, lab, discharged, settle } };
}

describe('reconcile', () => {
  it('passes a stay whose every effect the platform holds once, to the fen', () => {
    const stay = settledStay();
    const r = reconcile(input(stay));
    expect(r.outcomes.applied).toBe(7);
    expect(r.uncaused).toEqual([]);
    expect(r.amounts).toMatchObject({ visitsCompared: 1, hisTotal: '120.50', platformTotal: '120.50' });
    expect(r.lines).toEqual({ expected: 2, uploadedOnce: 2, uploadedTwice: 0, voidedAndGone: 1 });
    expect(failures(r)).toEqual([]);
  });

  it('fails a HIS event found in a dead-letter topic even when its effect is there, and names it', () => {
    const stay = settledStay();
    const r = reconcile(
      input({
        ...stay,
        deadLetters: [
          {
            dlqTopic: `${HIS}.dlq`,
            original: stay.events.fees,
            reason: 'handler failed 5 times',
            consumerGroup: 'fee',
          },
        ],
      }),
    );
    expect(outcomeOf(r, stay.events.fees)).toMatchObject({ outcome: 'dead-lettered' });
    expect(r.deadLetters.ofHisEvents).toBe(1);
    expect(failures(r).join('\n')).toContain(eventName(stay.events.fees));
  });

  it('names a line the platform lost, one held twice, and one off by a fen', () => {
    const stay = settledStay();
    const lost = reconcile(
      input({ ...stay, ledger: { ...stay.ledger, feeLines: stay.ledger.feeLines.slice(1) } }),
    );
    expect(outcomeOf(lost, stay.events.fees)).toMatchObject({
      outcome: 'lost',
      why: 'line F1 not on the platform',
    });
    const twice = reconcile(
      input({
        ...stay,
        ledger: { ...stay.ledger, feeLines: [...stay.ledger.feeLines, line('M1', 'F2', '20.50')] },
      }),
    );
    expect(outcomeOf(twice, stay.events.fees)).toMatchObject({ outcome: 'duplicated on the platform' });
    const offByOne = reconcile(
      input({
        ...stay,
        ledger: {
          ...stay.ledger,
          feeLines: [line('M1', 'F1', '100.01', 'uploaded', 'S1'), ...stay.ledger.feeLines.slice(1)],
        },
      }),
    );
    expect(outcomeOf(offByOne, stay.events.fees)).toMatchObject({
      outcome: 'amount differs from the HIS',
      why: 'line F1: HIS 100.00, platform 100.01',
    });
    expect(offByOne.amounts.visitsDiffering).toEqual(['ZY1: HIS 120.50, platform 120.51']);
    expect(failures(offByOne).join('\n')).toContain(eventName(stay.events.fees));
  });

  it('checks "0000" against the lines standing when it came, not every line of the visit', () => {
    const admitted = his('PatientAdmitted', 'ZY2');
    const before = charged('ZY2', [['A', '1.00']]);
    const voidAll = his('FeeLinesVoided', 'ZY2', { voided: ['0000'] });
    const after = charged('ZY2', [['B', '2.00']]);
    const ledger = (lines: LedgerView['feeLines']) => ({
      registrations: [registration('ZY2', 'M2')],
      feeLines: lines,
    });
    const results = [registered(admitted, 'M2')];
    const published = [admitted, before, voidAll, after];
    const right = reconcile(
      input({
        published,
        results,
        ledger: ledger([line('M2', 'A', '1.00', 'revoked'), line('M2', 'B', '2.00')]),
      }),
    );
    expect(failures(right)).toEqual([]);
    const aStands = reconcile(
      input({ published, results, ledger: ledger([line('M2', 'A', '1.00'), line('M2', 'B', '2.00')]) }),
    );
    expect(outcomeOf(aStands, voidAll)).toMatchObject({ outcome: 'lost' });
    const bGone = reconcile(
      input({ published, results, ledger: ledger([line('M2', 'A', '1.00', 'revoked')]) }),
    );
    expect(outcomeOf(bGone, after)).toMatchObject({ outcome: 'lost', why: 'line B not on the platform' });
  });

  it('counts a 2403 only for the AdmissionChanged whose result names it', () => {
    const stay = settledStay();
    const second = his('AdmissionChanged', 'ZY1');
    const r = reconcile(input({ ...stay, published: [...stay.published, second] }));
    expect(outcomeOf(r, stay.events.changed).outcome).toBe('applied');
    expect(outcomeOf(r, second)).toMatchObject({
      outcome: 'lost',
      why: 'no 2403 on the platform and no answer published',
    });
    const claimed = reconcile(
      input({
        ...stay,
        published: [...stay.published, second],
        results: [...stay.results, result('AdmissionChangeRegistered', 'ZY1', second, { msgid: 'M2403b' })],
      }),
    );
    expect(outcomeOf(claimed, second).why).toMatch(/names 2403 M2403b, which the platform does not hold/);
  });

  it('takes a refusal as the platform’s only when the ledger refused that msgid', () => {
    const admitted = his('PatientAdmitted', 'ZY3');
    const lines = charged('ZY3', [['F1', '5.00']]);
    const rejected = result('PlatformRequestRejected', 'ZY3', admitted, {
      infno: '2401',
      err_msg: '参保人已有在院',
      msgid: 'MX',
    });
    const confirmed = reconcile(
      input({
        published: [admitted, lines],
        results: [rejected],
        ledger: { refusals: [{ msgid: 'MX', infno: '2401', err_msg: '参保人已有在院' }] },
      }),
    );
    expect(outcomeOf(confirmed, admitted)).toMatchObject({ outcome: 'refused (with the answer)' });
    expect(outcomeOf(confirmed, lines)).toMatchObject({ outcome: 'held (with the reason)' });
    expect(failures(confirmed)).toEqual([]);
    const unconfirmed = reconcile(input({ published: [admitted, lines], results: [rejected] }));
    expect(outcomeOf(unconfirmed, admitted).outcome).toBe('lost');
    // The lines wait behind a failure, not for a reason.
    expect(outcomeOf(unconfirmed, lines).outcome).toBe('held behind a failed event');
  });

  it('fails an admission left to a person although the platform never applied its 2401', () => {
    const admitted = his('PatientAdmitted', 'ZY4');
    const r = reconcile(
      input({
        published: [admitted],
        results: [
          result('AdmissionOutcomeUncertain', 'ZY4', admitted, {
            infno: '2401',
            msgid: 'M2401x',
            reason: '2401 5xx; 2601 refused: 原交易不存在',
          }),
        ],
      }),
    );
    expect(outcomeOf(r, admitted)).toMatchObject({ outcome: 'not done without a business reason' });
    // Applied and unknown here: a person is the documented way.
    const applied = reconcile(
      input({
        published: [admitted],
        results: [
          result('AdmissionOutcomeUncertain', 'ZY4', admitted, {
            infno: '2401',
            msgid: 'M2401M4',
            reason: '2601 refused',
          }),
        ],
        ledger: { registrations: [registration('ZY4', 'M4')] },
      }),
    );
    expect(outcomeOf(applied, admitted).outcome).toBe('needs a person');
  });

  it('accepts a settlement that did not happen only for the platform’s answer or a person', () => {
    const stay = settledStay();
    const unsettled = (steps: Parameters<typeof saga>[2], refusals: LedgerView['refusals'] = []) =>
      reconcile(
        input({
          published: stay.published,
          results: [
            ...stay.results.filter((r) => !['SettlementSagaProgressed', 'Settled'].includes(r.type)),
            ...saga('ZY1', stay.events.settle, steps),
          ],
          ledger: {
            ...stay.ledger,
            registrations: [registration('ZY1', 'M1', 'admitted', [['2403', 'M2403']])],
            feeLines: [
              line('M1', 'F1', '100.00'),
              line('M1', 'F2', '20.50'),
              line('M1', 'F3', '9.99', 'revoked'),
            ],
            settlements: [],
            refusals,
          },
        }),
      );
    const refusedByPlatform = unsettled(
      [['PRE_SETTLEMENT', 'REJECTED', 'FAILED', { infno: '2303', msgid: 'M2303' }]],
      [{ msgid: 'M2303', infno: '2303', err_msg: '险种类型不支持住院结算' }],
    );
    expect(outcomeOf(refusedByPlatform, stay.events.settle).outcome).toBe('refused (with the answer)');
    expect(outcomeOf(refusedByPlatform, stay.events.discharged).outcome).toBe('refused (with the answer)');
    const blocked = unsettled([['SETTLEMENT_AUDIT', 'WAITING_FOR_PERSON', 'WAITING_FOR_PERSON']]);
    expect(outcomeOf(blocked, stay.events.settle).outcome).toBe('needs a person');
    // Registered, fees in agreement, and the saga gave up on its own: not done.
    const infrastructure = unsettled([
      ['PRE_SETTLEMENT', 'UNKNOWN', 'FAILED', { infno: '2303', msgid: 'M2303' }],
    ]);
    expect(outcomeOf(infrastructure, stay.events.settle)).toMatchObject({
      outcome: 'not done without a business reason',
    });
    expect(failures(infrastructure).join('\n')).toContain(eventName(stay.events.settle));
    const catchingUp = unsettled([['FEE_RECONCILIATION', 'REJECTED', 'FAILED']]);
    expect(outcomeOf(catchingUp, stay.events.settle).why).toMatch(
      /registered and the platform holds the HIS's 2 line/,
    );
    const stuck = unsettled([['SETTLEMENT', 'STARTED', 'RUNNING']]);
    expect(stuck.sagas.notTerminal).toBe(1);
    expect(outcomeOf(stuck, stay.events.settle).outcome).toBe('not done without a business reason');
  });

  it('explains fee totals, and a settlement failed on them, by a void the platform refused', () => {
    const stay = settledStay();
    const rejectedVoid = result('FeeLinesRejected', 'ZY1', null, {
      infno: '2302',
      msgid: 'M2302',
      lines: [{ feedetl_sn: 'F3', reason: '不能撤销' }],
    });
    const run = (refusals: LedgerView['refusals']) =>
      reconcile(
        input({
          published: stay.published,
          results: [
            ...stay.results.filter((r) => !['SettlementSagaProgressed', 'Settled'].includes(r.type)),
            rejectedVoid,
            ...saga('ZY1', stay.events.settle, [
              [
                'FEE_RECONCILIATION',
                'REJECTED',
                'FAILED',
                { detail: 'HIS费用总额[120.50]与医保平台已上传总额[130.49]不一致' },
              ],
            ]),
          ],
          ledger: {
            ...stay.ledger,
            registrations: [registration('ZY1', 'M1', 'admitted', [['2403', 'M2403']])],
            feeLines: [line('M1', 'F1', '100.00'), line('M1', 'F2', '20.50'), line('M1', 'F3', '9.99')],
            settlements: [],
            refusals,
          },
        }),
      );
    const refused = run([{ msgid: 'M2302', infno: '2302', err_msg: '不能撤销' }]);
    expect(outcomeOf(refused, stay.events.voided).outcome).toBe('refused (with the answer)');
    expect(outcomeOf(refused, stay.events.settle).outcome).toBe('refused (with the answer)');
    expect(refused.amounts.visitsExplained).toEqual([
      'ZY1: HIS 120.50, platform 130.49 (the platform refused the lines that differ)',
    ]);
    expect(failures(refused)).toEqual([]);
    // The same without the platform's refusal in its ledger: nothing explains the line still standing.
    const unexplained = run([]);
    expect(outcomeOf(unexplained, stay.events.voided).outcome).toBe('lost');
    expect(unexplained.amounts.visitsDiffering).toEqual(['ZY1: HIS 120.50, platform 130.49']);
  });

  it('judges a settlement refused by a rule against the ledger', () => {
    const admitted = his('PatientAdmitted', 'ZY5');
    const settle = his('SettlementRequested', 'ZY5', { medfee_sumamt: '0.00' });
    const refused = result('SettlementRequestRefused', 'ZY5', settle, {
      reason: 'the visit is not registered',
    });
    const registeredVisit = reconcile(
      input({
        published: [admitted, settle],
        results: [registered(admitted, 'M5'), refused],
        ledger: { registrations: [registration('ZY5', 'M5')] },
      }),
    );
    expect(outcomeOf(registeredVisit, settle)).toMatchObject({
      outcome: 'not done without a business reason',
    });
    const refusedAdmission = reconcile(
      input({
        published: [admitted, settle],
        results: [
          result('AdmissionRequestRefused', 'ZY5', admitted, {
            infno: '1101',
            reason: 'holds no insurance of 390',
          }),
          refused,
        ],
      }),
    );
    expect(outcomeOf(refusedAdmission, settle).outcome).toBe('refused (with the answer)');
  });

  it('compares the settlement to the HIS and to the published Settled, to the fen', () => {
    const stay = settledStay();
    const settlements = [{ ...stay.ledger.settlements[0]!, psn_cash_pay: '20.49' }];
    const r = reconcile(input({ ...stay, ledger: { ...stay.ledger, settlements } }));
    expect(outcomeOf(r, stay.events.settle)).toMatchObject({
      outcome: 'amount differs from the HIS',
      why: 'Settled says psn_cash_pay 20.50, the platform 20.49',
    });
    const asked = reconcile(
      input({
        ...stay,
        published: stay.published.map((e) =>
          e === stay.events.settle ? { ...e, medfee_sumamt: '120.51' } : e,
        ),
      }),
    );
    expect(asked.amounts.settlementsDiffering).toEqual(['ZY1: HIS 120.51, platform settled 120.50']);
  });

  it('finds effects on the platform that no HIS event caused', () => {
    const stay = settledStay();
    const r = reconcile(
      input({
        ...stay,
        ledger: {
          ...stay.ledger,
          registrations: [
            registration('ZY1', 'M1', 'settled', [
              ['2403', 'M2403'],
              ['2403', 'M2403b'],
              ['2402', 'M2402'],
            ]),
            registration('ZY9', 'M9'),
          ],
          feeLines: [...stay.ledger.feeLines, line('M1', 'F9', '1.00')],
          reports: [
            ...stay.ledger.reports,
            { infno: '4502', msgid: 'M45b', key: 'HZY1/JY9', vali_flag: '1' },
          ],
        },
      }),
    );
    expect(r.uncaused).toEqual([
      '2× 2403 on ZY1, for 1 HIS event(s) asking for it',
      'registration M9 of ZY9 (2401 M2401M9): no PatientAdmitted',
      'fee line F9 on ZY1 (2301 M2301F9): no HIS event charged it',
      '4502 upload M45b (HZY1/JY9): no HIS record asked for it',
    ]);
    expect(failures(r)[0]).toMatch(/^4 platform effect\(s\) no HIS event caused/);
  });

  it('checks clinical records against their uploads and what reporting says they wait for', () => {
    const stay = settledStay();
    const report = (ref: string, voided = false) => ({
      infno: '4402',
      report_ref: ref,
      platformKey: `HZY1/${ref}`,
      void: voided,
    });
    const orders = his('MedicalOrdersRecorded', 'ZY1', {
      reports: [report('Y1'), report('Y2'), report('Y3')],
    });
    const stopped = his('MedicalOrdersRecorded', 'ZY1', { reports: [report('Y3', true)] });
    const pending = (ref: string, reason: string, waiting_for: string[]) =>
      result('ReportPending', 'ZY1', null, { infno: '4402', report_ref: ref, reason, waiting_for });
    const r = reconcile(
      input({
        ...stay,
        published: [...stay.published, orders, stopped],
        results: [
          ...stay.results,
          pending('Y2', '入院登记未完成', ['mdtrt_id: 就诊ID']),
          result('ReportUploaded', 'ZY1', null, { infno: '4402', report_ref: 'Y1', msgid: 'M4402' }),
        ],
        ledger: {
          ...stay.ledger,
          reports: [
            ...stay.ledger.reports,
            { infno: '4402', msgid: 'M4402', key: 'HZY1/Y1', vali_flag: '1' },
            { infno: '4402', msgid: 'M4402c', key: 'HZY1/Y3', vali_flag: '1' },
          ],
        },
      }),
    );
    // Y2 waits for a registration the platform holds; Y3 was withdrawn by the HIS and still stands.
    expect(outcomeOf(r, orders)).toMatchObject({ outcome: 'not done without a business reason' });
    expect(outcomeOf(r, stopped)).toMatchObject({
      outcome: 'lost',
      why: '4402 Y3 withdrawn by the HIS still stands on the platform',
    });
    const businessWait = reconcile(
      input({
        ...stay,
        published: [
          ...stay.published,
          his('PathologyReportIssued', 'ZY1', {
            reports: [{ infno: '4505', report_ref: 'BL1', platformKey: 'HZY1/BL1', void: false }],
          }),
        ],
        results: [
          ...stay.results,
          result('ReportPending', 'ZY1', null, {
            infno: '4505',
            report_ref: 'BL1',
            reason: '缺少必填项',
            waiting_for: ['data: frozen_no 冰冻号'],
          }),
        ],
      }),
    );
    expect(failures(businessWait)).toEqual([]);
    expect(businessWait.outcomes['held (with the reason)']).toBe(1);
  });

  it('tells an event its service has not read yet from a lost one, and counts hostile records', () => {
    const admitted = his('PatientAdmitted', 'ZY8');
    const read = charged('ZY8', [['F1', '1.00']]);
    const unread = charged('ZY8', [['F2', '1.00']]);
    const position = (o: number) => ({ topic: HIS, partition: 1, offset: String(o) });
    const r = reconcile(
      input({
        published: [admitted, read, unread],
        results: [registered(admitted, 'M8')],
        hostile: [
          { family: 'broken-json', ...position(7) },
          { family: 'unknown-type', ...position(8) },
        ],
        hostileRefusedByBroker: { oversized: 1 },
        deadLetters: [1, 2].map((g) => ({
          dlqTopic: `${HIS}.dlq`,
          original: position(7),
          reason: 'payload is not JSON',
          consumerGroup: `g${g}`,
        })),
        ledger: { registrations: [registration('ZY8', 'M8')] },
        committed: {
          admission: { [`${HIS}/0`]: '100000', [`${HIS}/1`]: '100' },
          'fee-detail': { [`${HIS}/0`]: unread.offset, [`${HIS}/1`]: '100' },
        },
      }),
    );
    expect(outcomeOf(r, read).outcome).toBe('lost');
    expect(outcomeOf(r, unread).outcome).toBe('not yet read by its service');
    expect(r.hostile).toMatchObject({
      published: 2,
      deadLettered: 1,
      notDeadLettered: 1,
      refusedByBroker: 1,
    });
    expect(r.deadLetters).toMatchObject({ records: 2, originals: 1, ofHisEvents: 0 });
  });
});

/** A settlement on the platform's ledger. */
const platformSettlement = (
  setl_id: string,
  msgid: string,
  medfee_sumamt: string,
  extra: { mid_setl_flag?: string; status?: string; cancelMsgid?: string } = {},
) => ({
  setl_id,
  mdtrt_id: 'M1',
  msgid,
  status: 'settled',
  medfee_sumamt,
  fund_pay_sumamt: '0.00',
  acct_pay: '0.00',
  psn_cash_pay: medfee_sumamt,
  ...extra,
});
const settledResult = (setl_id: string, medfee_sumamt: string) =>
  result('Settled', 'ZY1', null, {
    setl_id,
    medfee_sumamt,
    fund_pay_sumamt: '0.00',
    acct_pay: '0.00',
    psn_cash_pay: medfee_sumamt,
  });
const settledSaga = (cause: HisEvent, n: number, msgid: string) =>
  saga(
    'ZY1',
    cause,
    [
      ['FEE_RECONCILIATION', 'STARTED', 'RUNNING'],
      ['SETTLEMENT', 'SUCCEEDED', 'SETTLED', { infno: '2304', msgid }],
    ],
    n,
  );

/** A long stay settled mid-way over F1 (100.00), then at discharge over F2 (20.50): two settlements stand. */
function midwayStay() {
  const admitted = his('PatientAdmitted', 'ZY1');
  const early = charged('ZY1', [['F1', '100.00']]);
  const midway = his('SettlementRequested', 'ZY1', { medfee_sumamt: '100.00', mid_setl_flag: '1' });
  const late = charged('ZY1', [['F2', '20.50']]);
  const discharged = his('DischargeRequested', 'ZY1');
  const final = his('SettlementRequested', 'ZY1', { medfee_sumamt: '20.50', mid_setl_flag: '0' });
  return {
    published: [admitted, early, midway, late, discharged, final],
    results: [
      registered(admitted, 'M1'),
      ...settledSaga(midway, 1, 'M2304a'),
      settledResult('S1', '100.00'),
      ...settledSaga(final, 2, 'M2304b'),
      settledResult('S2', '20.50'),
    ],
    ledger: {
      registrations: [registration('ZY1', 'M1', 'settled', [['2402', 'M2402']])],
      feeLines: [line('M1', 'F1', '100.00', 'uploaded', 'S1'), line('M1', 'F2', '20.50', 'uploaded', 'S2')],
      settlements: [
        platformSettlement('S1', 'M2304a', '100.00', { mid_setl_flag: '1' }),
        platformSettlement('S2', 'M2304b', '20.50', { mid_setl_flag: '0' }),
      ],
    },
    events: { midway, final, discharged },
  };
}

/** A stay settled at discharge (S1), the settlement cancelled at the HIS's request (2305), settled again (S2). */
function resettledStay() {
  const admitted = his('PatientAdmitted', 'ZY1');
  const fees = charged('ZY1', [['F1', '120.50']]);
  const discharged = his('DischargeRequested', 'ZY1');
  const first = his('SettlementRequested', 'ZY1', { medfee_sumamt: '120.50', mid_setl_flag: '0' });
  const cancel = his('SettlementCancelRequested', 'ZY1');
  const again = his('SettlementRequested', 'ZY1', { medfee_sumamt: '120.50', mid_setl_flag: '0' });
  return {
    published: [admitted, fees, discharged, first, cancel, again],
    results: [
      registered(admitted, 'M1'),
      ...settledSaga(first, 1, 'M2304a'),
      settledResult('S1', '120.50'),
      ...saga(
        'ZY1',
        cancel,
        [
          ['SETTLEMENT_CANCEL', 'SUCCEEDED', 'RUNNING', { infno: '2305', msgid: 'M2305' }],
          ['DISCHARGE_UNDO', 'SUCCEEDED', 'CANCELLED'],
        ],
        2,
      ),
      result('SettlementCancelled', 'ZY1', null, { setl_id: 'C1', init_setl_id: 'S1' }),
      ...settledSaga(again, 3, 'M2304b'),
      settledResult('S2', '120.50'),
    ],
    ledger: {
      registrations: [
        registration('ZY1', 'M1', 'settled', [
          ['2402', 'M2402a'],
          ['2405', 'M2405'],
          ['2402', 'M2402b'],
        ]),
      ],
      feeLines: [line('M1', 'F1', '120.50', 'uploaded', 'S2')],
      settlements: [
        platformSettlement('S1', 'M2304a', '120.50', { status: 'cancelled', cancelMsgid: 'M2305' }),
        platformSettlement('S2', 'M2304b', '120.50'),
      ],
    },
    events: { first, cancel, again, discharged },
  };
}

describe('reconcile: mid-way settlements, cancellations and the cashier', () => {
  it('passes a mid-way and a final settlement of a visit, each settled with the lines it covers', () => {
    const stay = midwayStay();
    const r = reconcile(input(stay));
    expect(outcomeOf(r, stay.events.midway)).toMatchObject({ outcome: 'applied' });
    expect(outcomeOf(r, stay.events.final)).toMatchObject({ outcome: 'applied' });
    expect(outcomeOf(r, stay.events.discharged)).toMatchObject({ outcome: 'applied' });
    expect(r.settlementsDuplicated).toBe(0);
    expect(r.amounts).toMatchObject({ settlementsCompared: 2, settlementsDiffering: [] });
    expect(r.uncaused).toEqual([]);
    expect(failures(r)).toEqual([]);
  });

  it('fails a final settlement that settled the mid-way lines again, and two discharge settlements standing', () => {
    const stay = midwayStay();
    // The platform's final settlement covers the whole stay: 120.50 where the HIS asked for the 20.50 since.
    const wholeStay = reconcile(
      input({
        ...stay,
        ledger: {
          ...stay.ledger,
          settlements: [
            stay.ledger.settlements[0]!,
            platformSettlement('S2', 'M2304b', '120.50', { mid_setl_flag: '0' }),
          ],
        },
      }),
    );
    expect(outcomeOf(wholeStay, stay.events.final)).toMatchObject({
      outcome: 'amount differs from the HIS',
      why: 'the HIS asked to settle 20.50, the platform settled 120.50',
    });
    expect(wholeStay.amounts.settlementsDiffering).toEqual(['ZY1: HIS 20.50, platform settled 120.50']);
    expect(failures(wholeStay).join('\n')).toContain(eventName(stay.events.final));
    // The mid-way request settled as a discharge settlement, beside the final one.
    const twice = reconcile(
      input({
        ...stay,
        ledger: {
          ...stay.ledger,
          settlements: [
            platformSettlement('S1', 'M2304a', '100.00', { mid_setl_flag: '0' }),
            stay.ledger.settlements[1]!,
          ],
        },
      }),
    );
    expect(twice.settlementsDuplicated).toBe(1);
    expect(failures(twice).join('\n')).toContain('1 settled twice');
  });

  it('leaves to a cashier a mid-way settlement the next charges overtook, only when the amounts show it', () => {
    const stay = midwayStay();
    const failedOnTotals = (cause: HisEvent, n: number, his: string, ours: string) =>
      saga(
        'ZY1',
        cause,
        [
          ['FEE_RECONCILIATION', 'STARTED', 'RUNNING'],
          [
            'FEE_RECONCILIATION',
            'REJECTED',
            'FAILED',
            { detail: `HIS费用总额[${his}]与医保平台已上传总额[${ours}]不一致` },
          ],
        ],
        n,
      );
    const judged = (midwayOurs: string) =>
      reconcile(
        input({
          ...stay,
          results: [
            stay.results[0]!,
            ...failedOnTotals(stay.events.midway, 1, '100.00', midwayOurs),
            ...failedOnTotals(stay.events.final, 2, '20.50', '120.50'),
          ],
          ledger: {
            ...stay.ledger,
            registrations: [registration('ZY1', 'M1')],
            feeLines: [line('M1', 'F1', '100.00'), line('M1', 'F2', '20.50')],
            settlements: [],
          },
        }),
      );
    // fee-detail held F2 (20.50), charged after the mid-way request; the final then lacked the mid-way's 100.00.
    const overtaken = judged('120.50');
    expect(outcomeOf(overtaken, stay.events.midway)).toMatchObject({
      outcome: 'needs a person',
      why: expect.stringContaining('already held the 20.50 the HIS charged after its mid-way request'),
    });
    expect(outcomeOf(overtaken, stay.events.final)).toMatchObject({
      outcome: 'needs a person',
      why: expect.stringContaining('its mid-way settlement (100.00) did not go ahead'),
    });
    expect(failures(overtaken)).toEqual([]);
    // A difference no later charge explains is a failure.
    const unexplained = judged('130.00');
    expect(outcomeOf(unexplained, stay.events.midway).outcome).toBe('not done without a business reason');
    expect(failures(unexplained).join('\n')).toContain(eventName(stay.events.midway));
  });

  it('passes a cancellation whose 2305 its own saga names, and the settlement asked again', () => {
    const stay = resettledStay();
    const r = reconcile(input(stay));
    expect(outcomeOf(r, stay.events.first)).toMatchObject({
      outcome: 'applied',
      why: 'cancelled since (S1)',
    });
    expect(outcomeOf(r, stay.events.cancel)).toMatchObject({ outcome: 'applied' });
    expect(outcomeOf(r, stay.events.again)).toMatchObject({ outcome: 'applied' });
    expect(outcomeOf(r, stay.events.discharged)).toMatchObject({ outcome: 'applied' });
    expect(r.amounts).toMatchObject({ settlementsCompared: 1, settlementsDiffering: [] });
    expect(r.settlementsDuplicated).toBe(0);
    expect(r.uncaused).toEqual([]);
    expect(failures(r)).toEqual([]);
  });

  it('fails a cancellation without its 2305, and a 2305 no SettlementCancelRequested asked for', () => {
    const stay = resettledStay();
    // The saga says CANCELLED, yet the platform still holds the first settlement and never settled again.
    const no2305 = reconcile(
      input({
        ...stay,
        ledger: { ...stay.ledger, settlements: [platformSettlement('S1', 'M2304a', '120.50')] },
      }),
    );
    expect(outcomeOf(no2305, stay.events.cancel)).toMatchObject({
      outcome: 'lost',
      why: 'no 2305 of saga setl-ZY1-2 on the platform; the saga ended CANCELLED at DISCHARGE_UNDO: DISCHARGE_UNDO SUCCEEDED',
    });
    expect(failures(no2305).join('\n')).toContain(eventName(stay.events.cancel));
    // The 2305 applied by a saga no HIS event started.
    const uncaused = reconcile(
      input({ ...stay, published: stay.published.filter((e) => e !== stay.events.cancel) }),
    );
    expect(uncaused.uncaused).toEqual([
      'settlement S1 of ZY1 cancelled (2305 M2305): no SettlementCancelRequested',
    ]);
  });

  it('accepts a cancellation refused while the settlement still ran only when the saga ended after it', () => {
    const stay = resettledStay();
    const refusal = result('SettlementRequestRefused', 'ZY1', stay.events.cancel, {
      request: 'SettlementCancelRequested',
      saga_id: 'setl-ZY1-1',
      reason: '结算流程 setl-ZY1-1 正在进行: wait for it to end',
    });
    const firstSaga = settledSaga(stay.events.first, 1, 'M2304a');
    const ledger = {
      ...stay.ledger,
      feeLines: [line('M1', 'F1', '120.50', 'uploaded', 'S1')],
      settlements: [platformSettlement('S1', 'M2304a', '120.50')],
    };
    const published = stay.published.filter((e) => e !== stay.events.again);
    const base = [registered(stay.published[0]!, 'M1'), settledResult('S1', '120.50')];
    // Refused before the saga's last entry: the HIS asked too early, the settlement service was right.
    const early = reconcile(
      input({ published, ledger, results: [...base, firstSaga[0]!, refusal, firstSaga[1]!] }),
    );
    expect(outcomeOf(early, stay.events.cancel)).toMatchObject({
      outcome: 'refused (with the answer)',
      why: expect.stringContaining('saga setl-ZY1-1 was still running'),
    });
    // Refused after the saga had ended: nothing stood in the way.
    const late = reconcile(input({ published, ledger, results: [...base, ...firstSaga, refusal] }));
    expect(outcomeOf(late, stay.events.cancel)).toMatchObject({
      outcome: 'not done without a business reason',
    });
  });

  it("judges the cashier's confirmation by the saga that waited for it, and fails one nobody read", () => {
    const stay = midwayStay();
    const confirmed = his('PreSettlementConfirmed', 'ZY1');
    const published = [...stay.published, confirmed];
    const waiting = saga(
      'ZY1',
      stay.events.final,
      [
        ['PRE_SETTLEMENT', 'SUCCEEDED', 'AWAITING_CONFIRMATION', { infno: '2303', msgid: 'M2303' }],
        ['CONFIRMATION', 'SUCCEEDED', 'RUNNING'],
        ['SETTLEMENT', 'SUCCEEDED', 'SETTLED', { infno: '2304', msgid: 'M2304b' }],
      ],
      2,
    );
    const results = [...stay.results.filter((r) => r.data['saga_id'] !== 'setl-ZY1-2'), ...waiting];
    expect(outcomeOf(reconcile(input({ ...stay, published, results })), confirmed)).toMatchObject({
      outcome: 'applied',
    });
    // A hospital that settles without a cashier refuses it, with the reason.
    const refused = reconcile(
      input({
        ...stay,
        published,
        results: [
          ...stay.results,
          result('SettlementRequestRefused', 'ZY1', confirmed, {
            reason: 'no saga waits for a confirmation',
          }),
        ],
      }),
    );
    expect(outcomeOf(refused, confirmed).outcome).toBe('refused (with the answer)');
    // Neither waited for nor answered: lost.
    const unread = reconcile(input({ ...stay, published }));
    expect(outcomeOf(unread, confirmed)).toMatchObject({ outcome: 'lost' });
    expect(failures(unread).join('\n')).toContain(eventName(confirmed));
  });
});
