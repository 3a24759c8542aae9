import fs from 'node:fs';
import { DEFAULT_SLIP_FONT } from '../dashboard-config';
import { settlementSlip, stayDays } from './settlement-slip';
import { slipHtml } from './slip-html';
import { SlipPdf } from './slip-pdf';

// The settlement slip (结算单) from the dashboard's read-model rows: what it prints, in HTML and in PDF.

const visit = {
  ipt_no: 'ZY20240501001',
  psn_name: '张*',
  mdtrt_cert_no: '420***********0883',
  insutype: '310',
  med_type: '21',
  dept_name: '呼吸内科',
  bed: '12床',
  diagnosis: 'J18.900 肺炎',
  begntime: '2024-05-01 09:00:00',
  endtime: '2024-05-08 10:00:00',
  insuplc_admdvs: '420102',
};
const settlement = {
  setl_id: '420100S0000098765432',
  mdtrt_id: '420100G0000012345678',
  setl_time: '2024-05-08 10:30:00',
  mid_setl_flag: '0',
  medfee_sumamt: '536.60',
  fulamt_ownpay_amt: '0.00',
  overlmt_selfpay: '0.00',
  preselfpay_amt: '0.00',
  inscp_scp_amt: '536.60',
  fund_pay_sumamt: '456.11',
  acct_pay: '80.49',
  psn_cash_pay: '0.00',
  hosp_part_amt: '0.00',
  fund_shares: [
    { fund_pay_type: '310100', fund_pay_type_name: '职工基本医疗保险统筹基金', fund_payamt: '456.11' },
    { fund_pay_type: '310200', fund_payamt: '80.49' },
  ],
  cancelled_by: null,
};
const wuhan = { name: '武汉市第一医院', area: '420100' };

describe('the settlement slip', () => {
  it('prints the stay, the diagnosis, the pooled fund rows, the personal and the hospital parts', () => {
    const slip = settlementSlip(visit, settlement, wuhan);
    expect(slip).toMatchObject({
      mid_way: false,
      stay_days: 7,
      cross_area: false,
      diagnosis: 'J18.900 肺炎',
      amounts: {
        medfee_sumamt: '536.60',
        fund_pay_sumamt: '456.11',
        psn_part_amt: '80.49',
        hosp_part_amt: '0.00',
      },
    });
    // The account's row is the personal part, not a fund row.
    expect(slip.funds).toEqual([
      { fund_pay_type: '310100', name: '职工基本医疗保险统筹基金', fund_payamt: '456.11' },
    ]);
    const html = slipHtml(slip);
    for (const text of [
      '武汉市第一医院 医疗保障住院结算单',
      '姓名',
      '张*',
      '住院天数',
      '7天',
      'J18.900 肺炎',
      '职工基本医疗保险统筹基金（310100）',
      '456.11',
      '个人账户支付',
      '80.49',
      '医院负担',
      '420102（本地）',
    ]) {
      expect(html).toContain(text);
    }
    expect(html).not.toContain('异地就医');
  });

  it("marks a cross-area (异地) patient's slip with their insured area", () => {
    const slip = settlementSlip({ ...visit, insuplc_admdvs: '110000' }, settlement, wuhan);
    expect(slip.cross_area).toBe(true);
    const html = slipHtml(slip);
    expect(html).toContain('异地就医：参保地医保区划 110000');
    expect(html).toContain('110000（异地就医）');
  });

  it("calls the patient's area neither 本地 nor 异地 when the hospital's own area is not configured", () => {
    const slip = settlementSlip({ ...visit, insuplc_admdvs: '110000' }, settlement, { ...wuhan, area: null });
    expect(slip.cross_area).toBeNull();
    const html = slipHtml(slip);
    expect(html).toContain('<th>参保地</th><td>110000</td>');
    expect(html).not.toContain('本地');
    expect(html).not.toContain('异地就医');
  });

  it('a mid-way settlement covers the stay up to the settlement, titled 中途结算', () => {
    const slip = settlementSlip(
      { ...visit, endtime: null },
      { ...settlement, mid_setl_flag: '1', setl_time: '2024-05-04 16:00:00' },
      wuhan,
    );
    expect(slip).toMatchObject({ mid_way: true, endtime: '2024-05-04 16:00:00', stay_days: 3 });
    expect(slipHtml(slip)).toContain('医疗保障住院结算单（中途结算）');
    expect(slipHtml(slip)).toContain('结算截止');
  });

  it('a settlement reversed in our books (本地冲销) is titled so', () => {
    const slip = settlementSlip(
      visit,
      { ...settlement, reversed_locally_at: '2024-05-16T09:00:00+08:00' },
      wuhan,
    );
    expect(slip.reversed_locally).toBe(true);
    expect(slipHtml(slip)).toContain('医疗保障住院结算单（已本地冲销）');
    expect(slipHtml(settlementSlip(visit, settlement, wuhan))).not.toContain('已本地冲销');
  });

  it('escapes what it prints', () => {
    const html = slipHtml(settlementSlip({ ...visit, diagnosis: '<script>x</script>' }, settlement, wuhan));
    expect(html).not.toContain('<script>x');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
  });

  it('counts at least one day for a same-day stay', () => {
    expect(stayDays('2024-05-01 09:00:00', '2024-05-01 18:00:00')).toBe(1);
  });

  it("renders an A4 PDF with the CJK font embedded (pdfmake, the machine's WenQuanYi Micro Hei)", async () => {
    expect(fs.existsSync(DEFAULT_SLIP_FONT)).toBe(true);
    const pdf = await new SlipPdf(DEFAULT_SLIP_FONT).render(
      settlementSlip({ ...visit, insuplc_admdvs: '110000' }, settlement, wuhan),
    );
    const raw = pdf.toString('latin1');
    expect(raw.startsWith('%PDF-')).toBe(true);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+WenQuanYiMicroHei/);
    expect(raw).toContain('/FontFile2');
    expect(raw).toMatch(/\/MediaBox \[0 0 595\.2\d* 841\.8\d*\]/);
  });
});
