import { parseMessage } from '@yb/contracts';
import { allocateBeds, hospitalTimeline, visitPrefixFor, type TimelineStep } from './hospital-timeline';
import { DEPARTMENTS } from './reference/departments';
import { OPERATIONS } from './reference/operations';
import { FEE_CATALOGUE, feeItem } from '@yb/reference-charges';

const START = Date.parse('2024-05-01T00:00:00+08:00');
const run = (seed: number, beds: number, episodes: number): TimelineStep[] => [
  ...hospitalTimeline({ seed, beds, episodes, startAt: START }),
];

describe('hospitalTimeline', () => {
  it('publishes the given number of whole episodes, every message valid, in simulated-time order', () => {
    for (const seed of [1, 2024, 4_000_000_000]) {
      const steps = run(seed, 12, 40);
      const visits = new Set(steps.map((s) => s.episode.ipt_no));
      expect(visits.size).toBe(40);
      expect(steps.filter((s) => s.last)).toHaveLength(40);
      const times = steps.map((s) => Date.parse(s.message.envelope.occurredAt));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      for (const s of steps) parseMessage(s.message.envelope);
      expect(steps.every((s) => s.episode.ipt_no.startsWith(visitPrefixFor(seed)))).toBe(true);
    }
  });

  it('never has more patients in beds than the hospital has beds', () => {
    const beds = 5;
    const steps = run(7, beds, 60);
    const inBed = new Set<string>();
    let most = 0;
    for (const { message, episode } of steps) {
      if (message.envelope.type === 'PatientAdmitted') inBed.add(episode.ipt_no);
      if (message.envelope.type === 'DischargeRequested' || message.envelope.type === 'AdmissionCancelled')
        inBed.delete(episode.ipt_no);
      most = Math.max(most, inBed.size);
    }
    expect(most).toBe(beds);
  });

  it('is reproducible for a seed', () => {
    const ids = (seed: number) => run(seed, 4, 6).map((s) => s.message.envelope.id);
    expect(ids(11)).toEqual(ids(11));
    expect(ids(11)).not.toEqual(ids(12));
  });
});

describe('allocateBeds', () => {
  it('shares every bed among the departments by weight, numbering each ward from 1', () => {
    const beds = allocateBeds(100);
    expect(beds).toHaveLength(100);
    const perDepartment = new Map<string, number[]>();
    for (const b of beds)
      perDepartment.set(b.department.code, [...(perDepartment.get(b.department.code) ?? []), b.bedNo]);
    expect(perDepartment.size).toBe(DEPARTMENTS.length);
    for (const numbers of perDepartment.values()) expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    expect(allocateBeds(3)).toHaveLength(3);
    expect(() => allocateBeds(0)).toThrow('beds must be a positive integer');
  });
});

describe('reference data', () => {
  it('names only catalogue items, and the catalogue codes are unique', () => {
    expect(new Set(FEE_CATALOGUE.map((i) => i.medins_list_codg)).size).toBe(FEE_CATALOGUE.length);
    expect(new Set(FEE_CATALOGUE.map((i) => i.med_list_codg)).size).toBe(FEE_CATALOGUE.length);
    const referenced = [
      ...DEPARTMENTS.flatMap((d) => [
        d.bedItem,
        d.nursing.medins_list_codg,
        ...d.dailyCharges.map((c) => c.medins_list_codg),
        ...d.admissionTests,
        ...d.followUpTests,
      ]),
      ...Object.values(OPERATIONS).flatMap((o) => o.charges.map((c) => c.medins_list_codg)),
    ];
    for (const code of referenced) expect(feeItem(code).medins_list_codg).toBe(code);
    expect(() => feeItem('NOPE')).toThrow('medins_list_codg=NOPE');
  });
});
