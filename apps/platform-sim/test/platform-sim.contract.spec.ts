import { isTypedInfno, parseOutput, TYPED_INFNOS, UNIFIED_PATH, validateInput } from '@yb/platform-client';
import { INTERFACE_EXAMPLES } from '@yb/platform-client/testing';
import { unzipSync, zipSync } from 'fflate';
import { SimLedger } from '../src/ledger/sim-ledger';
import { refusalOfInput } from '../src/rules/input-rules';
import type { RunningPlatformSim } from '../src/sim.bootstrap';
import { EXAMPLE_PSN_NO, exampleInput, SimClientKit, withFields } from './sim-client-kit';

// The contract between @yb/platform-client and the sandbox, whose input rules (src/rules) are written from the
// spec and not from the client's schemas: what the client sends, the sandbox takes; what the sandbox answers,
// the client reads. Where the two disagree on purpose, it is shown here.

type Input = Record<string, unknown>;
interface Answer {
  readonly infcode: number;
  readonly err_msg: string | null;
  readonly output: unknown;
}

/** Posts envelopes to the sandbox over HTTP as a hospital would (no gateway, no SM4), numbering the msgids. */
class RawHospital {
  private seq = 0;
  /** The open sign_no every call carries (9002 signs it out). */
  signNo = '';
  /** Every successful answer, in order, as it came off the wire. */
  readonly answers: { infno: string; output: unknown }[] = [];

  constructor(private readonly sim: RunningPlatformSim) {}

  async signIn(): Promise<void> {
    const output = (await this.ok('9001', INTERFACE_EXAMPLES['9001'].input)) as {
      signinoutb: { sign_no: string };
    };
    this.signNo = output.signinoutb.sign_no;
  }

  msgid(): string {
    this.seq += 1;
    return `H42010200123202405150930${String(this.seq).padStart(6, '0')}`;
  }

  async post(infno: string, input: unknown, envelope: Input = {}): Promise<Answer & { msgid: string }> {
    const head = this.envelope(infno);
    const response = await fetch(`${this.sim.url}${UNIFIED_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json;charset=utf-8' },
      body: JSON.stringify({ ...head, input, ...envelope }),
    });
    return { msgid: head.msgid, ...((await response.json()) as Answer) };
  }

  private envelope(infno: string) {
    return {
      infno,
      msgid: this.msgid(),
      mdtrtarea_admvs: '420100',
      insuplc_admdvs: '420100',
      recer_sys_code: 'YBXT',
      infver: 'V1.0',
      opter_type: '1',
      opter: 'OP001',
      opter_name: '张收费',
      inf_time: '2024-05-15 09:30:00',
      fixmedins_code: 'H42010200123',
      fixmedins_name: '武汉市某某医院',
      sign_no: this.signNo,
    };
  }

  /** 9102: the file comes back as itself, not as an envelope. */
  async download(fsDownloadIn: Input): Promise<{ contentType: string; bytes: Uint8Array }> {
    const response = await fetch(`${this.sim.url}${UNIFIED_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json;charset=utf-8' },
      body: JSON.stringify({ ...this.envelope('9102'), input: { fsDownloadIn } }),
    });
    return {
      contentType: response.headers.get('content-type') ?? '',
      bytes: new Uint8Array(await response.arrayBuffer()),
    };
  }

  /** The output of a call the sandbox must accept; fails with its err_msg otherwise. */
  async ok(infno: string, input: unknown): Promise<unknown> {
    const answer = await this.post(infno, input);
    if (answer.infcode !== 0) throw new Error(`${infno} refused: ${answer.err_msg}`);
    this.answers.push({ infno, output: answer.output });
    return answer.output;
  }
}

/**
 * 5203 of the settlement, 3201 of its group, 5262 / 5267 of its day, and 对明细账: a detail file of it up (9101), 3202, and the result file
 * down (9102, answered as the file itself: read here as the client presents it, `output.file` in Base64); then
 * the month's clearing application (3203) and its withdrawal (3204), and Hubei's by agency (3202A, its form 3205A,
 * 3204A; 1608 / 1618); the platform's slip of the settlement (YH03).
 */
async function reconcileWith(
  hospital: RawHospital,
  ids: { mdtrt_id: string; setl_id: string },
): Promise<void> {
  const { setlinfo } = (await hospital.ok('5203', exampleInput('5203', ids))) as {
    setlinfo: Record<string, string | number>;
  };
  // The platform's settlement slip (YH03, Hubei), keyed like 5203.
  await hospital.ok('YH03', { data: { psn_no: EXAMPLE_PSN_NO, ...ids } });
  const day = String(setlinfo['setl_time']).slice(0, 10);
  const period = { stmt_begndate: day, stmt_enddate: day, fixmedins_setl_cnt: 1 };
  const amounts = { medfee_sumamt: setlinfo['medfee_sumamt'], fund_pay_sumamt: setlinfo['fund_pay_sumamt'] };
  await hospital.ok(
    '3201',
    withFields(exampleInput('3201'), 'data', { ...period, ...amounts, acct_pay: setlinfo['acct_pay'] }),
  );
  // Hubei's period checks: the day's settlements of our own area's insured (5262) and of others' (5267).
  const window = { begntime: `${day} 00:00:00`, endtime: `${day} 23:59:59` };
  await hospital.ok('5262', withFields(exampleInput('5262'), 'data', window));
  await hospital.ok('5267', withFields(exampleInput('5267'), 'data', window));
  const line = [ids.setl_id, ids.mdtrt_id, EXAMPLE_PSN_NO, amounts.medfee_sumamt, amounts.fund_pay_sumamt];
  const txt = [...line, setlinfo['acct_pay'], '0'].join('\t');
  const zip = Buffer.from(zipSync({ 'detail.txt': new TextEncoder().encode(txt) })).toString('base64');
  const { file_qury_no } = (await hospital.ok(
    '9101',
    withFields(exampleInput('9101'), 'fsUploadIn', { in: zip }),
  )) as {
    file_qury_no: string;
  };
  const cash_payamt = setlinfo['cash_payamt'];
  const detail = withFields(exampleInput('3202'), 'data', {
    ...period,
    ...amounts,
    cash_payamt,
    file_qury_no,
  });
  const { fileinfo } = (await hospital.ok('3202', detail)) as {
    fileinfo: { file_qury_no: string; filename: string };
  };
  const download = await hospital.download({ ...fileinfo, fixmedins_code: 'H42010200123' });
  expect(download.contentType).toContain('application/octet-stream');
  expect(Object.keys(unzipSync(download.bytes))).toEqual(['result.txt']);
  hospital.answers.push({ infno: '9102', output: { file: Buffer.from(download.bytes).toString('base64') } });
  const month = { setlym: day.slice(0, 7).replace('-', ''), begndate: `${day.slice(0, 8)}01`, enddate: day };
  const declared = {
    ...month,
    psntime: 1,
    medfee_sumamt: amounts.medfee_sumamt,
    med_sumfee: amounts.medfee_sumamt,
    fund_appy_sum: amounts.fund_pay_sumamt,
    cash_payamt,
    acct_pay: setlinfo['acct_pay'],
  };
  const { result } = (await hospital.ok('3203', withFields(exampleInput('3203'), 'data', declared))) as {
    result: { clr_appy_evt_id: string };
  };
  await hospital.ok('3204', { data: { clr_appy_evt_id: result.clr_appy_evt_id } });
  // Hubei's by agency: ours (3202A / 3204A), and another area's (1608 / 1618), where nothing was settled.
  const clr_optins = String(setlinfo['clr_optins']);
  const local = (await hospital.ok(
    '3202A',
    withFields(exampleInput('3202A'), 'data', { ...declared, clr_optins }),
  )) as {
    result: { clr_appy_evt_id: string };
  };
  // The application as the platform holds it (3205A), before it is withdrawn (a withdrawn one has no form).
  await hospital.ok(
    '3205A',
    withFields(exampleInput('3205A'), 'data', {
      clr_optins,
      clr_ym: month.setlym,
      clr_appy_evt_id: local.result.clr_appy_evt_id,
    }),
  );
  await hospital.ok('3204A', { data: { clr_appy_evt_id: local.result.clr_appy_evt_id, clr_optins } });
  const none = { psntime: 0, medfee_sumamt: '0.00', med_sumfee: '0.00', fund_appy_sum: '0.00' };
  const elsewhere = { ...declared, ...none, cash_payamt: '0.00', acct_pay: '0.00', clr_optins: '420500' };
  const crossArea = (await hospital.ok('1608', withFields(exampleInput('1608'), 'data', elsewhere))) as {
    result: { clr_appy_evt_id: string };
  };
  await hospital.ok('1618', {
    data: { clr_appy_evt_id: crossArea.result.clr_appy_evt_id, clr_optins: '420500' },
  });
}

describe('the client and the sandbox agree', () => {
  describe('every typed client input example', () => {
    it.each(TYPED_INFNOS)('%s is accepted by the sandbox rules', (infno) => {
      expect(refusalOfInput(infno, INTERFACE_EXAMPLES[infno].input as Input)).toBeUndefined();
    });
  });

  describe('given the sandbox over HTTP', () => {
    const kit = new SimClientKit();
    let sim: RunningPlatformSim;
    let hospital: RawHospital;
    beforeAll(async () => {
      await kit.start('sim_contract');
      sim = kit.sim;
    });
    beforeEach(async () => {
      await kit.admin('POST', '/sim/reset');
      hospital = new RawHospital(sim);
      await hospital.signIn();
    });
    afterAll(() => kit.stop());

    it('when a whole episode runs on the client examples, every answer parses with the client', async () => {
      await hospital.ok('1101', exampleInput('1101'));
      if (sim.app.get(SimLedger).supports('2001')) await hospital.ok('2001', exampleInput('2001'));
      const admitted = (await hospital.ok('2401', exampleInput('2401'))) as { result: { mdtrt_id: string } };
      const ids = { mdtrt_id: admitted.result.mdtrt_id };
      await hospital.ok('2403', exampleInput('2403', ids));
      await hospital.ok('2406', exampleInput('2406', ids));
      await hospital.ok('2407', exampleInput('2407', ids));
      await hospital.ok('3101', exampleInput('3101', ids));
      await hospital.ok('2301', exampleInput('2301', ids));
      await hospital.ok('2302', exampleInput('2302', ids));
      await hospital.ok('2301', exampleInput('2301', ids));
      await hospital.ok('3102', exampleInput('3102', ids));
      const total = { medfee_sumamt: '43.20' };
      await hospital.ok('2303', withFields(exampleInput('2303', ids), 'data', total));
      await hospital.ok('2402', exampleInput('2402', ids));
      const settled = (await hospital.ok('2304', withFields(exampleInput('2304', ids), 'data', total))) as {
        setlinfo: { setl_id: string };
      };
      const withSettlement = { ...ids, setl_id: settled.setlinfo.setl_id };
      await hospital.ok('4101A', exampleInput('4101A', withSettlement));
      // 4102 withdraws the list (stas_type 0), and a corrected one goes up again.
      await hospital.ok('4102', exampleInput('4102', withSettlement));
      await hospital.ok('4101A', exampleInput('4101A', withSettlement));
      for (const infno of ['4401', '4402', '4501', '4502', '4503', '4504', '4505', '4506'] as const) {
        await hospital.ok(infno, exampleInput(infno, ids));
      }
      await reconcileWith(hospital, withSettlement);
      // The platform's queries about the visit, its settlement and the person (platform-sim.queries.spec.ts).
      for (const infno of [
        '5201',
        '5202',
        '5204',
        '5303',
        '4103',
        '5205',
        '5206',
        '5301',
        '5302',
        '5304',
      ] as const) {
        await hospital.ok(infno, exampleInput(infno, withSettlement));
      }
      // The hospital's item mapped to a code of the sandbox's catalogue (3301), then withdrawn (3302).
      await hospital.ok('3301', exampleInput('3301'));
      await hospital.ok('3302', exampleInput('3302'));
      const cancel = await hospital.post('2305', exampleInput('2305', withSettlement));
      expect(cancel.infcode).toBe(0);
      hospital.answers.push({ infno: '2305', output: cancel.output });
      // 2601 takes the cancellation back; the settlement stands again and is then cancelled for good.
      await hospital.ok('2601', {
        data: { psn_no: EXAMPLE_PSN_NO, omsgid: cancel.msgid, oinfno: '2305' },
      });
      await hospital.ok('2305', exampleInput('2305', withSettlement));
      await hospital.ok('2405', exampleInput('2405', ids));
      await hospital.ok('2302', exampleInput('2302', ids));
      await hospital.ok('2404', exampleInput('2404', ids));
      await hospital.ok('9002', {
        signOut: { ...INTERFACE_EXAMPLES['9002'].input.signOut, sign_no: hospital.signNo },
      });

      const served = TYPED_INFNOS.filter((infno) => sim.app.get(SimLedger).supports(infno));
      expect(new Set(hospital.answers.map((a) => a.infno))).toEqual(new Set(served));
      for (const { infno, output } of hospital.answers) {
        expect(isTypedInfno(infno)).toBe(true);
        expect(() => parseOutput(infno as (typeof TYPED_INFNOS)[number], output)).not.toThrow();
      }
    });

    it('when an optional field comes as "" and a whole number as a string, the sandbox takes the 2401', async () => {
      const input = withFields(exampleInput('2401'), 'mdtrtinfo', {
        medrcdno: '',
        coner_name: '',
        tel: null,
      });
      withFields(input, 'diseinfo', { diag_srt_no: '1' });
      expect(await hospital.ok('2401', input)).toEqual({ result: { mdtrt_id: expect.any(String) } });
    });

    it('when a diagnosis type is outside the client dictionary, the sandbox takes it and the client does not', async () => {
      // Deliberate: the sources disagree on diag_type's codes, so the platform's region decides and the sandbox
      // lets any code through, while the client, strict in what it sends, holds to its dictionary.
      const input = withFields(exampleInput('2401'), 'diseinfo', { diag_type: '7' });
      expect(() => validateInput('2401', input)).toThrow(/diag_type/);
      expect(await hospital.ok('2401', input)).toEqual({ result: { mdtrt_id: expect.any(String) } });
    });

    it('when a required field is missing, the sandbox refuses in the platform words', async () => {
      const input = withFields(exampleInput('2401'), 'mdtrtinfo', { adm_bed: '' });
      const answer = await hospital.post('2401', input);
      expect(answer).toMatchObject({ infcode: -1, err_msg: '入参校验失败：入参[mdtrtinfo.adm_bed]不能为空' });
    });

    it('when a call about a person goes to another area, the sandbox refuses it as the platform routes it', async () => {
      const admitted = (await hospital.ok('2401', exampleInput('2401'))) as { result: { mdtrt_id: string } };
      const ids = { mdtrt_id: admitted.result.mdtrt_id };
      const misrouted = await hospital.post('2301', exampleInput('2301', ids), { insuplc_admdvs: '110000' });
      expect(misrouted).toMatchObject({
        infcode: -1,
        err_msg: '参保地医保区划[110000]与人员参保地[420100]不一致',
      });
      // Nothing of the misrouted batch was kept: the same lines, sent to the person's area, are taken.
      expect(await hospital.ok('2301', exampleInput('2301', ids))).toMatchObject({
        result: expect.arrayContaining([expect.objectContaining({ feedetl_sn: 'FY202405060001' })]),
      });
    });
  });
});
