import { SettledV1, SettlementCancelledV1 } from '@yb/contracts';
import { DeciderSpecification } from '@yb/event-store';
import { type LedgerRow } from './ledger-row';
import { LedgerRefusal, SettlementLedger } from './settlement-ledger.decider';
import { type SettlementLedgerEvent } from './settlement-ledger.events';

const spec = () => DeciderSpecification.for(SettlementLedger);
const settled = {
  ...SettledV1.example,
  psn_no: 'P001',
  insutype: '310',
  clr_type: '21',
  clr_optins: '420100',
};
const row: LedgerRow = {
  setl_id: settled.setl_id,
  ipt_no: settled.ipt_no,
  mdtrt_id: settled.mdtrt_id,
  psn_no: 'P001',
  insutype: '310',
  clr_type: '21',
  setl_optins: '420100',
  setl_time: settled.setl_time,
  medfee_sumamt: '18.30',
  fund_pay_sumamt: '13.18',
  acct_pay: '5.12',
  cash_payamt: '0.00',
  refd_setl_flag: '0',
  mid_setl_flag: '0',
  medins_setl_id: settled.medins_setl_id,
  source: 'result',
};
const recorded: SettlementLedgerEvent = { type: 'SettlementRecorded', data: row };
const insured: SettlementLedgerEvent = {
  type: 'VisitInsuredNoted',
  data: { mdtrt_id: settled.mdtrt_id, psn_no: 'P009', insutype: '390', insuplc_admdvs: '420200' },
};

describe('SettlementLedger', () => {
  it('records a settlement with the group 2304 answered, amounts to the fen, once', () => {
    expect(SettledV1.example.medfee_sumamt).toBe('18.30');
    spec().given([]).when({ type: 'RecordSettlement', settled }).then([recorded]);
    spec().given([recorded]).when({ type: 'RecordSettlement', settled }).then([]);
  });

  it("takes what the result leaves out from the visit's registration (clr_type 21 for an inpatient)", () => {
    const { psn_no: _p, insutype: _i, clr_type: _c, clr_optins: _o, ...bare } = settled;
    spec()
      .given([insured])
      .when({ type: 'RecordSettlement', settled: bare })
      .then([
        {
          type: 'SettlementRecorded',
          data: { ...row, psn_no: 'P009', insutype: '390', setl_optins: '420200' },
        },
      ]);
  });

  it('refuses, naming what is missing, a settlement no one says the group of', () => {
    const { insutype: _i, clr_optins: _o, ...bare } = settled;
    spec()
      .given([])
      .when({ type: 'RecordSettlement', settled: bare })
      .thenThrows((err) => err instanceof LedgerRefusal && /insutype, setl_optins/.test(err.message));
  });

  const { mid_setl_flag: _m, medins_setl_id: _s, ...rowKeys } = row;
  const refund = (setl_time: string): SettlementLedgerEvent => ({
    type: 'RefundRecorded',
    data: {
      ...rowKeys,
      setl_id: SettlementCancelledV1.example.setl_id,
      setl_time,
      medfee_sumamt: '-18.30',
      fund_pay_sumamt: '-13.18',
      acct_pay: '-5.12',
      cash_payamt: '0.00',
      refd_setl_flag: '1',
      init_setl_id: settled.setl_id,
    },
  });

  it("records a refund as its own row in the original's group, on the refund's day", () => {
    const cancelled = {
      ...SettlementCancelledV1.example,
      init_setl_id: settled.setl_id,
      setl_time: '2024-05-09 08:00:00',
    };
    spec()
      .given([recorded])
      .when({ type: 'RecordCancellation', cancelled, published_at: '2024-05-09 08:00:01' })
      .then([refund('2024-05-09 08:00:00')]);
  });

  it('dates a refund whose result carries no time by when it was published', () => {
    const cancelled = { ...SettlementCancelledV1.example, init_setl_id: settled.setl_id };
    spec()
      .given([recorded])
      .when({ type: 'RecordCancellation', cancelled, published_at: '2024-05-10 00:30:00' })
      .then([refund('2024-05-10 00:30:00')]);
  });

  it("adopts the platform's row once", () => {
    const platformRow = { ...row, setl_id: 'S-LOST', source: 'platform' as const };
    spec()
      .given([])
      .when({ type: 'AdoptPlatformRow', row: platformRow })
      .then([{ type: 'SettlementRecorded', data: platformRow }]);
    spec()
      .given([{ type: 'SettlementRecorded', data: platformRow }])
      .when({ type: 'AdoptPlatformRow', row: platformRow })
      .then([]);
  });

  describe("a person's action on a row", () => {
    const by = { username: 'zhangli', role: 'operator' as const };
    const at = '2024-05-16 09:30:00';
    const platform = { medfee_sumamt: '18.3', fund_pay_sumamt: '13.19', acct_pay: '5.11', cash_payamt: '0' };

    it("adopts the platform's amounts, keeping both sides, who and when; once", () => {
      const adopted: SettlementLedgerEvent = {
        type: 'SettlementAmountsAdopted',
        data: {
          setl_id: row.setl_id,
          ours: { medfee_sumamt: '18.30', fund_pay_sumamt: '13.18', acct_pay: '5.12', cash_payamt: '0.00' },
          platform: {
            medfee_sumamt: '18.30',
            fund_pay_sumamt: '13.19',
            acct_pay: '5.11',
            cash_payamt: '0.00',
          },
          adopted_by: by,
          adopted_at: at,
        },
      };
      const adopt = { type: 'AdoptPlatformAmounts', setl_id: row.setl_id, platform, by, at } as const;
      spec().given([recorded]).when(adopt).then([adopted]);
      spec().given([recorded, adopted]).when(adopt).then([]);
      spec()
        .given([])
        .when(adopt)
        .thenThrows((err) => err instanceof LedgerRefusal && /not in the visit's ledger/.test(err.message));
    });

    it('reverses a row in our books with why and who, once; a reversed row takes no adoption', () => {
      const reverse = {
        type: 'ReverseLocally',
        setl_id: row.setl_id,
        reason: '中心窗口已撤销',
        by,
        at,
      } as const;
      const reversed: SettlementLedgerEvent = {
        type: 'SettlementReversedLocally',
        data: { setl_id: row.setl_id, reason: '中心窗口已撤销', reversed_by: by, reversed_at: at },
      };
      spec().given([recorded]).when(reverse).then([reversed]);
      spec().given([recorded, reversed]).when(reverse).then([]);
      spec()
        .given([recorded, reversed])
        .when({ type: 'AdoptPlatformAmounts', setl_id: row.setl_id, platform, by, at })
        .thenThrows((err) => err instanceof LedgerRefusal && /reversed/.test(err.message));
    });
  });
});
