import type { JsonObject } from './input-fields';
import type { LedgerJournal } from './ledger-journal';
import { SimLedger, type LedgerAnswer, type SimLedgerOptions } from './sim-ledger';

/**
 * A signed-in hospital talking to a fresh ledger, for the ledger's unit tests: each call gets a new msgid
 * in the platform's format, as the real client would send it.
 */
export const PSN_NO = '42000019800101123456';
export const RESIDENT_PSN_NO = '42000000000000000000034567';

/** The clock and reversible interfaces of the test ledgers. */
export const LEDGER_TEST_OPTIONS: SimLedgerOptions = {
  now: () => new Date('2024-05-15T01:30:00Z'),
  isReversible: (infno) => ['2401', '2304', '2305'].includes(infno),
};

export class LedgerTestKit {
  readonly ledger: SimLedger;
  private seq = 0;
  private signNo = '';
  lastMsgid = '';

  /** `journal` receives every entry from the first (the 9001) on. */
  constructor(
    options: Pick<
      SimLedgerOptions,
      'enrolUnknownPersons' | 'hospitalBearsOverlimit' | 'refuseCodesOutsideCatalogue'
    > & {
      journal?: LedgerJournal;
    } = {},
  ) {
    const { journal, ...ledgerOptions } = options;
    this.ledger = new SimLedger({ ...LEDGER_TEST_OPTIONS, ...ledgerOptions });
    if (journal) this.ledger.keepJournal(journal);
    this.signNo = (
      this.ok('9001', { signIn: { opter_no: 'OP001', ip: '127.0.0.1' } }) as {
        signinoutb: { sign_no: string };
      }
    ).signinoutb.sign_no;
  }

  nextMsgid(): string {
    this.seq += 1;
    return `H42010200123202405150930${String(this.seq).padStart(6, '0')}`;
  }

  /** `at`: the platform's instant of the call (the ledger's clock by default). */
  call(infno: string, input: JsonObject, msgid = this.nextMsgid(), at?: Date): LedgerAnswer {
    this.lastMsgid = msgid;
    return this.ledger.handle(
      {
        infno,
        msgid,
        input,
        mdtrtarea_admvs: '420100',
        insuplc_admdvs: '420100',
        fixmedins_code: 'H42010200123',
        fixmedins_name: '武汉市某某医院',
        sign_no: this.signNo,
      },
      at,
    );
  }

  /** The output of a call that must succeed; fails the test with the platform's err_msg otherwise. */
  ok(infno: string, input: JsonObject, at?: Date): unknown {
    const answer = this.call(infno, input, undefined, at);
    if (answer.infcode !== 0) throw new Error(`${infno} refused: ${answer.err_msg}`);
    return answer.output;
  }

  /** The err_msg of a call that must be refused. */
  refused(infno: string, input: JsonObject, at?: Date): string {
    const answer = this.call(infno, input, undefined, at);
    if (answer.infcode === 0) throw new Error(`${infno} was accepted, expected a refusal`);
    return answer.err_msg;
  }

  admit(psn_no = PSN_NO, insutype = '310'): string {
    const output = this.ok('2401', {
      mdtrtinfo: { psn_no, insutype, begntime: '2024-05-06 09:12:00', med_type: '21', ipt_no: 'ZY001' },
      diseinfo: [{ psn_no, diag_code: 'J18.900', maindiag_flag: '1' }],
    }) as { result: { mdtrt_id: string } };
    return output.result.mdtrt_id;
  }

  feeLine(
    mdtrt_id: string,
    feedetl_sn: string,
    cnt: string,
    pric: string,
    sumamt: string,
    extra: JsonObject = {},
    psn_no = PSN_NO,
  ): JsonObject {
    return {
      feedetl_sn,
      mdtrt_id,
      psn_no,
      med_type: '21',
      fee_ocur_time: '2024-05-06 10:00:00',
      med_list_codg: 'XJ01DDA068B002010101445',
      medins_list_codg: 'YP000123',
      det_item_fee_sumamt: sumamt,
      cnt,
      pric,
      ...extra,
    };
  }

  discharge(mdtrt_id: string, psn_no = PSN_NO): unknown {
    return this.ok('2402', {
      dscginfo: {
        mdtrt_id,
        psn_no,
        insutype: '310',
        endtime: '2024-05-15 09:00:00',
        dscg_dept_codg: 'A03',
        dscg_way: '1',
      },
      diseinfo: [],
    });
  }

  settlementData(mdtrt_id: string, medfee_sumamt: string, extra: JsonObject = {}): JsonObject {
    return {
      data: {
        psn_no: PSN_NO,
        mdtrt_cert_type: '02',
        mdtrt_cert_no: '420102198001011234',
        medfee_sumamt,
        psn_setlway: '01',
        mdtrt_id,
        acct_used_flag: '1',
        insutype: '310',
        mid_setl_flag: '0',
        ...extra,
      },
    };
  }
}
