import type { JsonObject } from '../ledger/input-fields';
import { LedgerTestKit, PSN_NO, RESIDENT_PSN_NO } from '../ledger/ledger-test-kit';
import type { LedgerAnswer } from '../ledger/sim-ledger';
import { AREA_ROUTED_INFNOS, misroutedArea, personsNamed } from './area-routing';

const AREAS: Record<string, string> = { [PSN_NO]: '420100', [RESIDENT_PSN_NO]: '420500' };
const areaOf = (psn_no: string) => AREAS[psn_no];

describe('area routing', () => {
  describe('which person each routed interface names', () => {
    it.each([
      ['2301', { feedetail: [{ psn_no: 'A' }, { psn_no: 'B' }, { psn_no: 'A' }] }, ['A', 'B']],
      ['2302', { data: { psn_no: 'A' } }, ['A']],
      ['2303', { data: [{ psn_no: 'A' }] }, ['A']],
      ['2304', { data: { psn_no: 'A' } }, ['A']],
      ['2305', { data: { psn_no: 'A' } }, ['A']],
      ['2601', { data: { psn_no: 'A' } }, ['A']],
      ['3101', { data: { patient_dtos: [{ patn_id: 'A' }, { patn_id: 'B' }] } }, ['A', 'B']],
      ['3102', { data: { patient_dtos: { patn_id: 'A' } } }, ['A']],
      ['4101A', { setlinfo: { psn_no: 'A' } }, ['A']],
    ])('%s names its persons where the spec puts them', (infno, input, persons) => {
      expect(personsNamed(infno, input)).toEqual(persons);
    });

    it('covers 2301–2305, 2601, 3101/3102, 4101A and 4102, and no other interface', () => {
      expect([...AREA_ROUTED_INFNOS].sort()).toEqual(
        ['2301', '2302', '2303', '2304', '2305', '2601', '3101', '3102', '4101A', '4102'].sort(),
      );
      expect(personsNamed('2401', { mdtrtinfo: { psn_no: 'A' } })).toEqual([]);
      expect(personsNamed('4102', { data: { stastinfo: [{ psn_no: 'A' }, { psn_no: 'B' }] } })).toEqual([
        'A',
        'B',
      ]);
    });
  });

  describe('given the envelope names an area', () => {
    it('when it is the person’s own, then the call passes', () => {
      expect(misroutedArea('2304', { data: { psn_no: PSN_NO } }, '420100', areaOf)).toBeUndefined();
    });

    it('when it is another, then the call is refused naming both areas', () => {
      expect(misroutedArea('2304', { data: { psn_no: PSN_NO } }, '110000', areaOf)).toBe(
        '参保地医保区划[110000]与人员参保地[420100]不一致',
      );
    });

    it('when one of a batch’s persons belongs elsewhere, then the batch is refused', () => {
      const input = { feedetail: [{ psn_no: PSN_NO }, { psn_no: RESIDENT_PSN_NO }] };
      expect(misroutedArea('2301', input, '420100', areaOf)).toBe(
        '参保地医保区划[420100]与人员参保地[420500]不一致',
      );
    });

    it('when the person is unknown, then routing leaves the refusal to the business rules', () => {
      expect(misroutedArea('2304', { data: { psn_no: 'NOBODY' } }, '110000', areaOf)).toBeUndefined();
    });
  });

  it('given no area in the envelope, routing has nothing to check (whether one is required is the region’s rule)', () => {
    expect(misroutedArea('2304', { data: { psn_no: PSN_NO } }, undefined, areaOf)).toBeUndefined();
  });

  describe('in the ledger', () => {
    let kit: LedgerTestKit;
    let signNo: string;
    beforeEach(() => {
      kit = new LedgerTestKit();
      signNo = (
        sendFrom('420100', '9001', { signIn: { opter_no: 'OP002', ip: '127.0.0.1' } }) as {
          infcode: 0;
          output: { signinoutb: { sign_no: string } };
        }
      ).output.signinoutb.sign_no;
    });

    /** A call of the kit's hospital with the envelope's insuplc_admdvs set to `area`. */
    function sendFrom(area: string, infno: string, input: JsonObject): LedgerAnswer {
      kit.lastMsgid = kit.nextMsgid();
      return kit.ledger.handle({
        infno,
        msgid: kit.lastMsgid,
        input,
        mdtrtarea_admvs: '420100',
        insuplc_admdvs: area,
        fixmedins_code: 'H42010200123',
        fixmedins_name: '武汉市某某医院',
        sign_no: signNo,
      });
    }

    it('given a resident of 420500 admitted in Wuhan, when the fee batch is routed to Wuhan, then it is refused and nothing is kept', () => {
      const mdtrt_id = kit.admit(RESIDENT_PSN_NO, '390');
      const batch = { feedetail: [kit.feeLine(mdtrt_id, 'FY1', '2', '43.2', '86.40', {}, RESIDENT_PSN_NO)] };
      expect(sendFrom('420100', '2301', batch)).toEqual({
        infcode: -1,
        err_msg: '参保地医保区划[420100]与人员参保地[420500]不一致',
      });
      expect(kit.ledger.visit(mdtrt_id)?.uploadedTotal).toBe('0.00');
      expect(sendFrom('420500', '2301', batch)).toMatchObject({ infcode: 0 });
      expect(kit.ledger.visit(mdtrt_id)?.uploadedTotal).toBe('86.40');
    });

    it('when a settlement or its reversal goes to another area, then it is refused; the own area settles', () => {
      const mdtrt_id = kit.admit();
      kit.ok('2301', { feedetail: [kit.feeLine(mdtrt_id, 'FY1', '2', '43.2', '86.40')] });
      kit.discharge(mdtrt_id);
      const settlement = kit.settlementData(mdtrt_id, '86.40');
      expect(sendFrom('110000', '2303', settlement)).toMatchObject({
        infcode: -1,
        err_msg: expect.stringContaining('110000'),
      });
      expect(sendFrom('110000', '2304', settlement)).toMatchObject({ infcode: -1 });
      const settled = sendFrom('420100', '2304', settlement);
      expect(settled).toMatchObject({ infcode: 0 });
      const settledMsgid = kit.lastMsgid;
      const reversal = { data: { psn_no: PSN_NO, omsgid: settledMsgid, oinfno: '2304' } };
      expect(sendFrom('420500', '2601', reversal)).toEqual({
        infcode: -1,
        err_msg: '参保地医保区划[420500]与人员参保地[420100]不一致',
      });
    });

    it('when a 2401 names another area, it is not refused: 2401 is not among the routed interfaces', () => {
      expect(
        sendFrom('110000', '2401', {
          mdtrtinfo: {
            psn_no: PSN_NO,
            insutype: '310',
            begntime: '2024-05-06 09:12:00',
            med_type: '21',
            ipt_no: 'ZY9',
          },
          diseinfo: [{ psn_no: PSN_NO, diag_code: 'J18.900', maindiag_flag: '1' }],
        }),
      ).toMatchObject({ infcode: 0 });
    });
  });
});
