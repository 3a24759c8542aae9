import { identifierValuesOf } from '@yb/sealing';
import { freeTextArbitrary, identifierValues, patientArbitrary, type GeneratedPatient } from '@yb/testing';
import fc from 'fast-check';
import { classifyAnswer, classifyFailure } from './call-outcome';
import { TransportFailure } from './transport/platform-transport';

// The platform's err_msg (and warn_msg, and a transport's failure text) quoting a generated patient, read as the
// client reads every answer: no identifier of the patient comes out in clear, the codes and words do.

const RUNS = 500;
const runs: Record<string, number> = {};
afterAll(() => console.log(`err_msg masking properties: ${JSON.stringify(runs)}`));

/** What the client passes: the identifiers of the request's input (2401's, say), and the name it was given. */
const quotingOf = (p: GeneratedPatient) => [
  ...identifierValuesOf({ mdtrtinfo: { psn_no: p.psn_no, mdtrt_cert_no: p.certno, tel: p.mobile } }),
  p.psn_name,
];

/** A refusal as a platform words one, quoting the whole record. */
const refusal = (p: GeneratedPatient, words: string) =>
  `FSI-2401 参保人${p.psn_name}${words}（证件号${p.certno}，旧证${p.certno15}）${words}联系电话${p.mobileWritten}，` +
  `人员编号${p.psn_no}存在未结算的住院登记[infcode -1]${words}`;

const leaks = (text: string, p: GeneratedPatient) => identifierValues(p).filter((v) => text.includes(v));
/** The words around the identifiers, as masking leaves them (identifiers become digits and '*'). */
const wordsOf = (text: string) => text.replace(/[*\d+ -]/g, '');

describe('err_msg masked as the answer is read', () => {
  it('a refusal: err_msg and the answer envelope carry no identifier in clear, and keep every word and code', () => {
    fc.assert(
      fc.property(patientArbitrary, freeTextArbitrary, (p, words) => {
        runs.refusal = (runs.refusal ?? 0) + 1;
        const text = refusal(p, words);
        const outcome = classifyAnswer(
          { status: 200, body: JSON.stringify({ infcode: '-1', err_msg: text, warn_msg: text }) },
          {},
          quotingOf(p),
        );
        expect(outcome.status).toBe('REJECTED');
        expect(leaks(JSON.stringify(outcome), p)).toEqual([]);
        const err_msg = outcome.status === 'REJECTED' ? outcome.err_msg : '';
        expect(err_msg).toContain('FSI-2401 参保人');
        expect(err_msg).toContain('存在未结算的住院登记[infcode -1]');
        for (const word of ['证件号', '旧证', '联系电话', '人员编号', wordsOf(words)]) {
          expect(wordsOf(err_msg)).toContain(word);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('no answer: a failure text quoting the patient is masked in the UNKNOWN reason', () => {
    fc.assert(
      fc.property(patientArbitrary, freeTextArbitrary, fc.boolean(), (p, words, timedOut) => {
        runs.failure = (runs.failure ?? 0) + 1;
        const failure = timedOut
          ? new TransportFailure('timeout', refusal(p, words))
          : new Error(refusal(p, words));
        const outcome = classifyFailure(failure, quotingOf(p));
        expect(outcome.status).toBe('UNKNOWN');
        expect(leaks(JSON.stringify(outcome), p)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('the seeded fault: without the request identifiers, the name and the person number survive', () => {
    const [p] = fc.sample(patientArbitrary, 1) as [GeneratedPatient];
    const outcome = classifyAnswer(
      { status: 200, body: JSON.stringify({ infcode: -1, err_msg: refusal(p, '') }) },
      {},
    );
    expect(leaks(JSON.stringify(outcome), p)).toEqual([p.psn_name, p.psn_no]);
  });
});
