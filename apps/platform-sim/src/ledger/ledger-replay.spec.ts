import type { LedgerEntry } from './ledger-journal';
import { LEDGER_TEST_OPTIONS, LedgerTestKit, PSN_NO, RESIDENT_PSN_NO } from './ledger-test-kit';
import { SimLedger } from './sim-ledger';

// The books are rebuilt by replaying the journal through the same rules: a ledger that replays another's
// entries must end in the same state, with the same serial, having given the same answers.

describe('SimLedger replay', () => {
  const ENROLLED_PSN_NO = '42010019900307123X';

  /** A ledger that journaled a visit with a refusal, a settlement, an injected refusal and an enrolment. */
  function journaledLedger(): { kit: LedgerTestKit; entries: LedgerEntry[] } {
    const entries: LedgerEntry[] = [];
    const kit = new LedgerTestKit({ enrolUnknownPersons: true, journal: { record: (e) => entries.push(e) } });
    const mdtrt_id = kit.admit();
    kit.ok('2301', { feedetail: [kit.feeLine(mdtrt_id, 'FY1', '2', '43.2', '86.40')] });
    kit.refused('2301', { feedetail: [kit.feeLine(mdtrt_id, 'FY1', '2', '43.2', '86.40')] });
    kit.discharge(mdtrt_id);
    kit.ok('2304', kit.settlementData(mdtrt_id, '86.40'));
    // An injected `reject` fault: decided outside the rules, the msgid used up all the same.
    kit.ledger.recordRefusal(
      {
        infno: '2401',
        msgid: kit.nextMsgid(),
        input: {},
        mdtrtarea_admvs: '420100',
        fixmedins_code: 'H42010200123',
        fixmedins_name: '武汉市某某医院',
      },
      'FSI-系统繁忙，请稍后再试',
    );
    kit.admit(ENROLLED_PSN_NO, '310');
    return { kit, entries };
  }

  it('given the entries of another ledger, when replayed, then every answer, the state and the serial agree', () => {
    const { kit, entries } = journaledLedger();
    expect(entries.map((e) => e.kind)).toEqual([...Array(6).fill('decision'), 'refusal', 'decision']);

    const replica = new SimLedger({ ...LEDGER_TEST_OPTIONS, enrolUnknownPersons: true });
    const answers = entries.map((entry) => replica.replay(entry));

    entries.forEach((entry, i) => {
      if (entry.kind === 'decision') expect(answers[i]).toEqual(entry.answer);
    });
    expect(replica.snapshot()).toEqual(kit.ledger.snapshot());
    expect(replica.serial).toBe(kit.ledger.serial);
    expect(replica.serial).toBe(entries.at(-1)!.serial);
  });

  it('given a replayed reset, then the state is the seeded one and ids go on from the recorded serial', () => {
    const { kit } = journaledLedger();
    const replica = new SimLedger(LEDGER_TEST_OPTIONS);
    replica.replay({ kind: 'reset', at: new Date(), serial: kit.ledger.serial });

    expect(replica.snapshot().registrations).toEqual([]);
    expect(replica.serial).toBe(kit.ledger.serial);
  });

  it('given a serial to continue from, then no id at or below it is issued again', () => {
    const kit = new LedgerTestKit();
    const first = kit.admit(PSN_NO);
    kit.ledger.continueSerialFrom(1_000);
    kit.ledger.continueSerialFrom(10); // never backwards

    const next = kit.admit(RESIDENT_PSN_NO, '390');
    expect(Number(first.slice(-10))).toBeLessThan(1_000);
    expect(Number(next.slice(-10))).toBe(1_001);
  });
});
