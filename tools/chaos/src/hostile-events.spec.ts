import { CONTRACTS, createEnvelope } from '@yb/contracts';
import fc from 'fast-check';
import {
  OWNED_HIS_TYPES,
  BROKER_MAX_MESSAGE_BYTES,
  HOSTILE_FAMILIES,
  edgeRefusal,
  hostileRecord,
  hostileRecords,
} from './hostile-events';

describe('hostile HIS records', () => {
  it('are all refused at the edge, with a reason, whatever the family', () => {
    fc.assert(
      fc.property(
        hostileRecord(HOSTILE_FAMILIES.filter((f) => f !== 'huge' && f !== 'oversized')),
        (record) => {
          expect(edgeRefusal(record)).toEqual(expect.any(String));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('cover every family in turn, reproducibly from the seed', () => {
    const records = hostileRecords(HOSTILE_FAMILIES.length * 2, 42);
    expect(records.map((r) => r.family)).toEqual([...HOSTILE_FAMILIES, ...HOSTILE_FAMILIES]);
    // Message ids and times are fresh per run; what was generated is the same.
    const shape = (rs: typeof records) => rs.map((r) => [r.family, r.key, r.value.length]);
    expect(shape(hostileRecords(HOSTILE_FAMILIES.length * 2, 42))).toEqual(shape(records));
  });

  it('are near the broker limit when huge and over it when oversized', () => {
    const [huge] = hostileRecords(1, 3, ['huge']);
    const [oversized] = hostileRecords(1, 3, ['oversized']);
    expect(huge!.value.length).toBeGreaterThan(BROKER_MAX_MESSAGE_BYTES * 0.8);
    expect(huge!.value.length).toBeLessThan(BROKER_MAX_MESSAGE_BYTES - 16_384);
    expect(oversized!.value.length).toBeGreaterThan(BROKER_MAX_MESSAGE_BYTES);
  });

  it('accepts what the HIS would really send (the check is not a constant)', () => {
    for (const type of OWNED_HIS_TYPES) {
      // Every version of the type the HIS may send (the edge takes each as its own version).
      for (const contract of CONTRACTS.filter((c) => c.type === type)) {
        const data = contract.example as { ipt_no: string };
        const envelope = createEnvelope({ type, schemaVersion: contract.version, key: data.ipt_no, data });
        const value = Buffer.from(JSON.stringify(envelope));
        expect(edgeRefusal({ key: data.ipt_no, value })).toBeUndefined();
        expect(edgeRefusal({ key: 'ZY-ANOTHER-VISIT', value })).toMatch(/key/);
        const filedElsewhere = { ...envelope, key: 'ZY-ANOTHER-VISIT' };
        expect(
          edgeRefusal({ key: 'ZY-ANOTHER-VISIT', value: Buffer.from(JSON.stringify(filedElsewhere)) }),
        ).toMatch(/ipt_no/);
      }
    }
  });
});
