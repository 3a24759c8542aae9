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
  it('refuses a payload that is not JSON without quoting it (it may hold patient identifiers)', () => {
    const broken = {
      key: Buffer.from('ZY1'),
      value: Buffer.from('{"certno": "420111198808011234X", "psn_name": 张三}'),
    };
    const decoded = decodeRecord(broken, () => true);
    expect(decoded).toEqual({
      outcome: 'invalid',
      reason: "payload is not JSON: Unexpected token '张' (excerpt left out)",
    });
  });
  it('refuses a record whose key is not the envelope key, since it would break the visit order', () => {
    expect(decodeRecord(record(admitted, 'ZY2'), () => true)).toMatchObject({
      outcome: 'invalid',
      reason: 'record key "ZY2" differs from envelope.key "ZY1"',
    });
  });
  it('skips a record whose type header names a type not handled here, without parsing its payload', () => {
    const garbage = {
      key: Buffer.from('ZY1'),
      value: Buffer.from('{not json'),
      headers: { 'message-type': 'X' },
    };
    expect(decodeRecord(garbage, (type) => type !== 'X')).toEqual({ outcome: 'skip' });
  });
  it('decodes a record whose type header names a handled type, and refuses one mislabelled', () => {
    const labelled = (type: string) => ({ ...record(admitted), headers: { 'message-type': type } });
    expect(decodeRecord(labelled('PatientAdmitted'), () => true)).toMatchObject({ outcome: 'handle' });
    expect(decodeRecord(labelled('FeeLinesCharged'), () => true)).toMatchObject({
      outcome: 'invalid',
      reason: 'message-type header "FeeLinesCharged" differs from envelope.type "PatientAdmitted"',
    });
  });
  it('refuses a tombstone', () => {
    expect(decodeRecord({ key: null, value: null }, () => true)).toEqual({
      outcome: 'invalid',
      reason: 'record has no payload',
    });
  });
});
