import { PatientAdmittedV1, createEnvelope } from '@yb/contracts';
import { decodeRecord } from './decode-record';

const admitted = createEnvelope({
  type: 'PatientAdmitted',
  schemaVersion: 1,
  key: 'ZY1',
  data: PatientAdmittedV1.example,
});
const record = (value: unknown, key = 'ZY1') => ({
  key: Buffer.from(key),
  value: Buffer.from(JSON.stringify(value)),
});

describe('decodeRecord', () => {
  it('hands a valid message of a handled type over', () => {
    expect(decodeRecord(record(admitted), () => true)).toMatchObject({
      outcome: 'handle',
      message: { id: admitted.id },
    });
  });
  it('skips a handled-elsewhere type without validating its data', () => {
    expect(decodeRecord(record({ ...admitted, data: {} }), () => false)).toMatchObject({ outcome: 'skip' });
  });
  it('refuses a record whose key is not the envelope key, since it would break the visit order', () => {
    expect(decodeRecord(record(admitted, 'ZY2'), () => true)).toMatchObject({
      outcome: 'invalid',
      reason: 'record key "ZY2" differs from envelope.key "ZY1"',
    });
  });
  it('refuses a tombstone', () => {
    expect(decodeRecord({ key: null, value: null }, () => true)).toEqual({
      outcome: 'invalid',
      reason: 'record has no payload',
    });
  });
});
