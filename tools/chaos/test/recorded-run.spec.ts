import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { eventName, failures, reconcile, type HisEvent, type ReconcileInput } from '../src/reconcile';

// The reconciliation on a real run's data: what `npm run chaos -- --duration 40s --beds 6 --rate 12/s
// --hostile 0 --crash none --services admission,fee-detail,settlement,quality,reporting --seed 4243
// --record tools/chaos/test/fixtures/recorded-run.json.gz` gathered (481 HIS events, 10 settlements, every platform
// fault mode armed once). As recorded it passes; each loss seeded into a copy of it must make it fail, naming the
// event.

const recorded: ReconcileInput = JSON.parse(
  gunzipSync(readFileSync(join(__dirname, 'fixtures', 'recorded-run.json.gz'))).toString('utf8'),
);
type Writable<T> = T extends readonly (infer U)[]
  ? Writable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Writable<T[K]> }
    : T;
/** A copy to seed a loss into. */
const copy = () => structuredClone(recorded) as Writable<ReconcileInput>;
const clean = reconcile(recorded);
const applied = (type: string) =>
  clean.judged.filter((j) => j.event.type === type && j.outcome === 'applied').map((j) => j.event);
const judgementOf = (input: Writable<ReconcileInput>, event: HisEvent) =>
  reconcile(input).judged.find((j) => j.event.id === event.id)!;
const mdtrtIdOf = (input: Writable<ReconcileInput>, ipt_no: string) =>
  input.ledger.registrations.find((r) => r.ipt_no === ipt_no && r.status !== 'reversed')!.mdtrt_id;

describe('the reconciliation on a recorded run', () => {
  it('passes the run as recorded, every event judged and the fee totals equal to the fen', () => {
    expect(failures(clean)).toEqual([]);
    expect(clean.judged).toHaveLength(recorded.published.length);
    expect(clean.outcomes['not checked (its service did not run)']).toBe(0);
    expect(clean.outcomes.applied).toBeGreaterThan(450);
    expect(clean.amounts.visitsCompared).toBeGreaterThan(10);
    expect(clean.amounts.settlementsCompared).toBe(10);
    expect(clean.amounts.hisTotal).toBe(clean.amounts.platformTotal);
  });

  it('fails a charge whose effect is deleted from the sandbox’s ledger', () => {
    const [charge] = applied('FeeLinesCharged');
    const input = copy();
    const sns = new Set(charge!.lines!.map((l) => l.feedetl_sn));
    const mdtrt_id = mdtrtIdOf(input, charge!.ipt_no);
    input.ledger.feeLines = input.ledger.feeLines.filter(
      (l) => !(l.mdtrt_id === mdtrt_id && sns.has(l.feedetl_sn)),
    );
    expect(judgementOf(input, charge!).outcome).toBe('lost');
    expect(failures(reconcile(input)).join('\n')).toContain(eventName(charge!));
  });

  it('fails an admission and a change whose results a service lost', () => {
    const [admitted] = applied('PatientAdmitted');
    const [changed] = applied('AdmissionChanged');
    const input = copy();
    input.results = input.results.filter(
      (r) =>
        !(r.type === 'AdmissionRegistered' && r.causationId === admitted!.id) &&
        !(r.type === 'AdmissionChangeRegistered' && r.causationId === changed!.id),
    );
    const r = reconcile(input);
    expect(judgementOf(input, admitted!)).toMatchObject({ outcome: 'lost' });
    expect(judgementOf(input, changed!).why).toMatch(
      /the platform holds 2403 \S+ but no AdmissionChangeRegistered/,
    );
    expect(failures(r).join('\n')).toContain(eventName(admitted!));
    expect(failures(r).join('\n')).toContain(eventName(changed!));
  });

  it('fails a legitimate event pushed to a dead-letter topic', () => {
    const [settle] = applied('SettlementRequested');
    const input = copy();
    input.deadLetters.push({
      dlqTopic: `${settle!.topic}.dlq`,
      original: { topic: settle!.topic, partition: settle!.partition, offset: settle!.offset },
      reason: 'handler failed 5 times; last error: connect ECONNREFUSED 127.0.0.1:5432',
      consumerGroup: 'settlement',
    });
    expect(judgementOf(input, settle!).outcome).toBe('dead-lettered');
    expect(failures(reconcile(input)).join('\n')).toContain(eventName(settle!));
  });

  it('fails a duplicate 2301 injected in the sandbox', () => {
    const [charge] = applied('FeeLinesCharged');
    const input = copy();
    const mdtrt_id = mdtrtIdOf(input, charge!.ipt_no);
    const line = input.ledger.feeLines.find((l) => l.mdtrt_id === mdtrt_id && l.status === 'uploaded')!;
    input.ledger.feeLines.push({ ...line, feedetl_sn: `${line.feedetl_sn}-DUP`, msgid: 'INJECTED2301' });
    const r = reconcile(input);
    expect(r.uncaused).toEqual([
      `fee line ${line.feedetl_sn}-DUP on ${charge!.ipt_no} (2301 INJECTED2301): no HIS event charged it`,
    ]);
    expect(r.amounts.visitsDiffering).toHaveLength(1);
    expect(r.amounts.visitsDiffering[0]).toMatch(new RegExp(`^${charge!.ipt_no}: `));
    expect(failures(r).join('\n')).toContain('INJECTED2301');
  });

  it('fails an amount off by one fen on the platform', () => {
    const [charge] = applied('FeeLinesCharged');
    const input = copy();
    const mdtrt_id = mdtrtIdOf(input, charge!.ipt_no);
    const sn = charge!.lines![0]!.feedetl_sn;
    const line = input.ledger.feeLines.find(
      (l) => l.mdtrt_id === mdtrt_id && l.feedetl_sn === sn && l.status === 'uploaded',
    )!;
    const plusOneFen = (amount: string) => {
      const [whole, fraction = '00'] = amount.split('.');
      const fen = BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0')) + 1n;
      return `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;
    };
    line.det_item_fee_sumamt = plusOneFen(line.det_item_fee_sumamt);
    const judgement = judgementOf(input, charge!);
    expect(judgement.outcome).toBe('amount differs from the HIS');
    expect(judgement.why).toBe(
      `line ${sn}: HIS ${charge!.lines![0]!.det_item_fee_sumamt}, platform ${line.det_item_fee_sumamt}`,
    );
    expect(failures(reconcile(input)).join('\n')).toContain(eventName(charge!));
  });

  it('fails a settlement whose saga FAILED for an infrastructure reason', () => {
    const [settle] = applied('SettlementRequested');
    const input = copy();
    const mdtrt_id = mdtrtIdOf(input, settle!.ipt_no);
    input.ledger.settlements = input.ledger.settlements.filter((s) => s.mdtrt_id !== mdtrt_id);
    const results = input.results.filter((r) => !(r.key === settle!.ipt_no && r.type === 'Settled'));
    const last = results
      .filter((r) => r.key === settle!.ipt_no && r.type === 'SettlementSagaProgressed')
      .at(-1)!;
    Object.assign(last.data, {
      status: 'UNKNOWN',
      saga_state: 'FAILED',
      detail: 'timeout: no answer within 3000 ms',
    });
    input.results = results;
    const judgement = judgementOf(input, settle!);
    expect(judgement.outcome).toBe('not done without a business reason');
    expect(judgement.why).toMatch(
      /the saga ended FAILED at SETTLEMENT: timeout.*yet the visit is registered and the platform holds the HIS's/,
    );
    expect(failures(reconcile(input)).join('\n')).toContain(eventName(settle!));
  });

  it('fails an admission left to a person after an answer that said the original was never applied', () => {
    const [admitted] = applied('PatientAdmitted');
    const input = copy();
    const registered = input.results.find(
      (r) => r.type === 'AdmissionRegistered' && r.causationId === admitted!.id,
    )!;
    input.ledger.registrations = input.ledger.registrations.filter((r) => r.ipt_no !== admitted!.ipt_no);
    input.results = [
      ...input.results.filter((r) => r !== registered),
      {
        id: 'uncertain-1',
        type: 'AdmissionOutcomeUncertain',
        key: admitted!.ipt_no,
        causationId: admitted!.id,
        data: {
          infno: '2401',
          msgid: registered.data['msgid'],
          reason: '2401 http 502; 2601 refused: 原交易不存在',
          needs_person: true,
        },
      },
    ];
    expect(judgementOf(input, admitted!).outcome).toBe('not done without a business reason');
    expect(failures(reconcile(input)).join('\n')).toContain(eventName(admitted!));
  });
});
