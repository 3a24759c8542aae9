import { DeciderSpecification } from '@yb/event-store';
import { nextReconciliationStep } from './next-reconciliation-step';
import { DayRefusal, ReconciliationDay } from './reconciliation-day.decider';
import { type Difference, type ReconciliationDayEvent } from './reconciliation-day.events';
import { evolveDay, initialDayState } from './reconciliation-day.state';

const spec = () => DeciderSpecification.for(ReconciliationDay);
const G310 = { insutype: '310', clr_type: '21', setl_optins: '420100' };
const G390 = { insutype: '390', clr_type: '21', setl_optins: '420100' };
const ours = { fixmedins_setl_cnt: 2, medfee_sumamt: '600.00', fund_pay_sumamt: '480.00', acct_pay: '0.00' };
const requested: ReconciliationDayEvent = {
  type: 'ReconciliationRequested',
  data: { run: 1, requested_by: 'schedule' },
};
const checked = (group: typeof G310, balanced: boolean): ReconciliationDayEvent => ({
  type: 'GroupChecked',
  data: { run: 1, ...group, ours, balanced, stmt_rslt: balanced ? '0' : '1' },
});
const lost: Difference = {
  setl_id: 'S-LOST',
  clr_type: '21',
  setl_optins: '420100',
  kind: 'PLATFORM_ONLY',
  suggested_action: 'ADOPT_PLATFORM_RECORD',
  refd_setl_flag: '0',
  psn_no: 'P001',
  platform: { medfee_sumamt: '300.00', fund_pay_sumamt: '240.00', acct_pay: '0.00' },
};
const compared: ReconciliationDayEvent = {
  type: 'DetailsCompared',
  data: {
    run: 1,
    clr_type: '21',
    setl_optins: '420100',
    file_qury_no: 'fsi/up/1',
    result_file_qury_no: 'fsi/st/2',
  },
};
const found: ReconciliationDayEvent = { type: 'DifferenceFound', data: { ...lost, run: 1 } };
const stateOf = (events: readonly ReconciliationDayEvent[]) => events.reduce(evolveDay, initialDayState());

describe('ReconciliationDay', () => {
  it('starts a run when asked, and not a second one while it runs', () => {
    spec().given([]).when({ type: 'RequestReconciliation', requested_by: 'schedule' }).then([requested]);
    spec().given([requested]).when({ type: 'RequestReconciliation', requested_by: 'zhangli' }).then([]);
  });

  it("records a group's 3201 verdict once: 0 balanced, any other value not", () => {
    spec()
      .given([requested])
      .when({ type: 'RecordGroupCheck', group: G310, ours, stmt_rslt: '0' })
      .then([checked(G310, true)]);
    spec()
      .given([requested])
      .when({ type: 'RecordGroupCheck', group: G390, ours, stmt_rslt: '1' })
      .then([checked(G390, false)]);
    spec()
      .given([requested, checked(G310, true)])
      .when({ type: 'RecordGroupCheck', group: G310, ours, stmt_rslt: '0' })
      .then([]);
  });

  it('records the comparison with each difference, then its resolution with who, once', () => {
    spec()
      .given([requested, checked(G310, false)])
      .when({
        type: 'RecordDetailComparison',
        clr_type: '21',
        setl_optins: '420100',
        file_qury_no: 'fsi/up/1',
        result_file_qury_no: 'fsi/st/2',
        differences: [lost],
      })
      .then([compared, found]);
    const resolved: ReconciliationDayEvent = {
      type: 'DifferenceResolved',
      data: { setl_id: 'S-LOST', resolution: 'PLATFORM_RECORD_ADOPTED', resolved_by: 'reconciliation' },
    };
    const resolve = {
      type: 'RecordResolution',
      setl_id: 'S-LOST',
      resolution: 'PLATFORM_RECORD_ADOPTED',
      resolved_by: 'reconciliation',
    } as const;
    spec().given([requested, compared, found]).when(resolve).then([resolved]);
    spec().given([requested, compared, found, resolved]).when(resolve).then([]);
  });

  it("records a person's explanation with who and why, and refuses one for a difference never found", () => {
    const explain = {
      type: 'RecordResolution',
      setl_id: 'S-LOST',
      resolution: 'EXPLAINED',
      resolved_by: 'zhangli',
      explanation: '中心已撤销',
    } as const;
    const { type: _type, ...data } = explain;
    spec()
      .given([requested, compared, found])
      .when(explain)
      .then([{ type: 'DifferenceResolved', data }]);
    spec().given([requested]).when(explain).thenThrows(DayRefusal);
  });

  it("runs Hubei's period checks asked, records each once with what it found, and adds a check to a run under way", () => {
    const periodRun: ReconciliationDayEvent = {
      type: 'ReconciliationRequested',
      data: { run: 1, requested_by: 'zhangli', checks: ['5262'] },
    };
    spec()
      .given([])
      .when({ type: 'RequestReconciliation', requested_by: 'zhangli', checks: ['5262', '5262'] })
      .then([periodRun]);
    const window = { begntime: '2024-05-15 00:00:00', endtime: '2024-05-15 23:59:59' };
    const periodChecked: ReconciliationDayEvent = {
      type: 'PeriodChecked',
      data: { run: 1, infno: '5262', ...window, listed: 3, ours: 2 },
    };
    const record = {
      type: 'RecordPeriodCheck',
      infno: '5262',
      ...window,
      listed: 3,
      ours: 2,
      differences: [lost],
    } as const;
    spec()
      .given([periodRun])
      .when(record)
      .then([periodChecked, { type: 'DifferenceFound', data: { ...lost, found_by: '5262', run: 1 } }]);
    spec().given([periodRun, periodChecked]).when(record).then([]);
    // A check the run does not ask is not recorded.
    spec()
      .given([periodRun])
      .when({ ...record, infno: '5267' })
      .then([]);
    // 5267 asked while the 5262 run is under way: the run takes it on; asked again, nothing more.
    const added: ReconciliationDayEvent = {
      type: 'ReconciliationChecksAdded',
      data: { run: 1, requested_by: 'lisi', checks: ['5267'] },
    };
    spec()
      .given([periodRun])
      .when({ type: 'RequestReconciliation', requested_by: 'lisi', checks: ['5262', '5267'] })
      .then([added]);
    spec()
      .given([periodRun, added])
      .when({ type: 'RequestReconciliation', requested_by: 'lisi', checks: ['5267'] })
      .then([]);
  });

  it("keeps the day's last 3201 verdicts through a period check's run (the month's clearing reads them)", () => {
    const completed = (n: number, groups: number): ReconciliationDayEvent => ({
      type: 'ReconciliationCompleted',
      data: { run: n, groups, balanced: groups, differences: 0, open_differences: 0 },
    });
    const periodRun: ReconciliationDayEvent = {
      type: 'ReconciliationRequested',
      data: { run: 2, requested_by: 'zhangli', checks: ['5267'] },
    };
    const history = [requested, checked(G310, true), completed(1, 1), periodRun];
    expect([...stateOf(history).groups.keys()]).toEqual(['310/21/420100']);
    // …a 3201 answer is not recorded in it, and its end counts no group.
    spec().given(history).when({ type: 'RecordGroupCheck', group: G390, ours, stmt_rslt: '0' }).then([]);
    spec()
      .given(history)
      .when({ type: 'CompleteRun' })
      .then([completed(2, 0)]);
    // A day's run again starts its groups afresh.
    const again: ReconciliationDayEvent = {
      type: 'ReconciliationRequested',
      data: { run: 3, requested_by: 'schedule' },
    };
    expect(stateOf([...history, completed(2, 0), again]).groups.size).toBe(0);
  });

  it('completes a run with its counts; steps after it change nothing', () => {
    const completed: ReconciliationDayEvent = {
      type: 'ReconciliationCompleted',
      data: { run: 1, groups: 2, balanced: 1, differences: 1, open_differences: 1 },
    };
    spec()
      .given([requested, checked(G310, true), checked(G390, false), compared, found])
      .when({ type: 'CompleteRun' })
      .then([completed]);
    spec()
      .given([requested, completed])
      .when({ type: 'RecordGroupCheck', group: G310, ours, stmt_rslt: '0' })
      .then([]);
  });
});

describe('the next step of a run', () => {
  it('asks 3201 of every known group, then 3202 of each unbalanced pair, then 5203 of each row only the platform holds, then completes', () => {
    expect(nextReconciliationStep(initialDayState(), [G310])).toBeNull();
    expect(nextReconciliationStep(stateOf([requested]), [G310, G390])).toEqual({
      kind: 'check-group',
      group: G310,
    });
    expect(nextReconciliationStep(stateOf([requested, checked(G310, true)]), [G310, G390])).toEqual({
      kind: 'check-group',
      group: G390,
    });
    const unbalanced = [requested, checked(G310, true), checked(G390, false)];
    expect(nextReconciliationStep(stateOf(unbalanced), [G310, G390])).toEqual({
      kind: 'compare-details',
      clr_type: '21',
      setl_optins: '420100',
    });
    expect(nextReconciliationStep(stateOf([...unbalanced, compared, found]), [G310, G390])).toEqual({
      kind: 'look-up',
      setl_id: 'S-LOST',
    });
    const refused: ReconciliationDayEvent = {
      type: 'StepRefused',
      data: { run: 1, infno: '5203', subject: 'S-LOST', reason: '结算信息不存在' },
    };
    expect(nextReconciliationStep(stateOf([...unbalanced, compared, found, refused]), [G310, G390])).toEqual({
      kind: 'complete',
    });
  });

  it("asks a period check's run only its checks: 5262, then 5267 after 3201's steps, then 5203, then completes", () => {
    const periodRun: ReconciliationDayEvent = {
      type: 'ReconciliationRequested',
      data: { run: 1, requested_by: 'zhangli', checks: ['5262'] },
    };
    expect(nextReconciliationStep(stateOf([periodRun]), [G310])).toEqual({
      kind: 'check-period',
      infno: '5262',
    });
    const window = { begntime: '2024-05-15 00:00:00', endtime: '2024-05-15 23:59:59' };
    const periodChecked = (infno: '5262' | '5267'): ReconciliationDayEvent => ({
      type: 'PeriodChecked',
      data: { run: 1, infno, ...window, listed: 1, ours: 0 },
    });
    const foundBy5262: ReconciliationDayEvent = {
      type: 'DifferenceFound',
      data: { ...lost, found_by: '5262', run: 1 },
    };
    expect(nextReconciliationStep(stateOf([periodRun, periodChecked('5262'), foundBy5262]), [G310])).toEqual({
      kind: 'look-up',
      setl_id: 'S-LOST',
    });
    // The schedule's run with 5267 besides: 3201 first, then the period check, then completion.
    const daily: ReconciliationDayEvent = {
      type: 'ReconciliationRequested',
      data: { run: 1, requested_by: 'schedule', checks: ['3201', '5267'] },
    };
    expect(nextReconciliationStep(stateOf([daily]), [G310])).toEqual({ kind: 'check-group', group: G310 });
    expect(nextReconciliationStep(stateOf([daily, checked(G310, true)]), [G310])).toEqual({
      kind: 'check-period',
      infno: '5267',
    });
    const refused: ReconciliationDayEvent = {
      type: 'StepRefused',
      data: { run: 1, infno: '5267', subject: '5267', reason: '无此交易' },
    };
    expect(nextReconciliationStep(stateOf([daily, checked(G310, true), refused]), [G310])).toEqual({
      kind: 'complete',
    });
    expect(
      nextReconciliationStep(stateOf([daily, checked(G310, true), periodChecked('5267')]), [G310]),
    ).toEqual({ kind: 'complete' });
  });

  it('skips a group the platform refused instead of asking it forever', () => {
    const refused: ReconciliationDayEvent = {
      type: 'StepRefused',
      data: { run: 1, infno: '3201', subject: '310/21/420100', reason: '险种类型不存在' },
    };
    expect(nextReconciliationStep(stateOf([requested, refused]), [G310])).toEqual({ kind: 'complete' });
  });

  describe("a person's action", () => {
    const operator = { username: 'zhangli', role: 'operator' as const };
    const completed: ReconciliationDayEvent = {
      type: 'ReconciliationCompleted',
      data: { run: 1, groups: 1, balanced: 0, differences: 2, open_differences: 2 },
    };
    const amounts = { medfee_sumamt: '300.00', fund_pay_sumamt: '240.00', acct_pay: '0.00' };
    const differs: ReconciliationDayEvent = {
      type: 'DifferenceFound',
      data: {
        ...lost,
        run: 1,
        setl_id: 'S-FEN',
        kind: 'AMOUNTS_DIFFER',
        suggested_action: 'CHECK_AMOUNTS',
        ours: { ...amounts, fund_pay_sumamt: '239.99' },
        platform: amounts,
      },
    };
    const hospitalOnly: ReconciliationDayEvent = {
      type: 'DifferenceFound',
      data: {
        ...lost,
        run: 1,
        setl_id: 'S-OURS',
        kind: 'HOSPITAL_ONLY',
        suggested_action: 'CHECK_AND_RESEND_OR_REVERSE',
        ours: amounts,
        platform: undefined,
      },
    };
    const day = [requested, compared, differs, hospitalOnly, completed];
    const adopt = { resolution: 'ADOPTED', requested_by: operator } as const;
    const reverse = {
      resolution: 'REVERSED_LOCALLY',
      requested_by: operator,
      reason: '中心窗口已撤销',
      reversed: { ipt_no: 'ZY1', mdtrt_id: 'M1', refd_setl_flag: '0' },
    } as const;
    const adoptAsked: ReconciliationDayEvent = {
      type: 'ActionRequested',
      data: { setl_id: 'S-FEN', ...adopt },
    };

    it('records the request with who, once, and owes the worker a step after the run ended', () => {
      spec().given(day).when({ type: 'RequestAction', setl_id: 'S-FEN', action: adopt }).then([adoptAsked]);
      spec()
        .given([...day, adoptAsked])
        .when({ type: 'RequestAction', setl_id: 'S-FEN', action: adopt })
        .then([]);
      expect(nextReconciliationStep(stateOf(day), [])).toBeNull();
      expect(nextReconciliationStep(stateOf([...day, adoptAsked]), [])).toEqual({
        kind: 'person-action',
        setl_id: 'S-FEN',
      });
      spec()
        .given(day)
        .when({ type: 'RequestAction', setl_id: 'S-OURS', action: reverse })
        .then([{ type: 'ActionRequested', data: { setl_id: 'S-OURS', ...reverse } }]);
    });

    it('refuses an action on a difference of another kind, or one never found', () => {
      spec()
        .given(day)
        .when({ type: 'RequestAction', setl_id: 'S-OURS', action: adopt })
        .thenThrows(
          (err) =>
            err instanceof DayRefusal && /HOSPITAL_ONLY; ADOPTED applies to AMOUNTS_DIFFER/.test(err.message),
        );
      spec()
        .given(day)
        .when({ type: 'RequestAction', setl_id: 'S-FEN', action: reverse })
        .thenThrows(DayRefusal);
      spec()
        .given(day)
        .when({ type: 'RequestAction', setl_id: 'S-NONE', action: adopt })
        .thenThrows(DayRefusal);
    });

    it('resolves with who and the role; a refused look-up ends the request', () => {
      const resolve = {
        type: 'RecordResolution',
        setl_id: 'S-FEN',
        resolution: 'ADOPTED',
        resolved_by: 'zhangli',
        role: 'operator',
      } as const;
      const { type: _type, ...data } = resolve;
      const resolved: ReconciliationDayEvent = { type: 'DifferenceResolved', data };
      spec()
        .given([...day, adoptAsked])
        .when(resolve)
        .then([resolved]);
      expect(nextReconciliationStep(stateOf([...day, adoptAsked, resolved]), [])).toBeNull();
      const refused: ReconciliationDayEvent = {
        type: 'ActionRefused',
        data: { setl_id: 'S-FEN', reason: '无此结算' },
      };
      spec()
        .given([...day, adoptAsked])
        .when({ type: 'RecordActionRefused', setl_id: 'S-FEN', reason: '无此结算' })
        .then([refused]);
      expect(nextReconciliationStep(stateOf([...day, adoptAsked, refused]), [])).toBeNull();
      spec()
        .given([...day, adoptAsked, refused])
        .when({ type: 'RequestAction', setl_id: 'S-FEN', action: adopt })
        .then([adoptAsked]);
    });
  });
});
