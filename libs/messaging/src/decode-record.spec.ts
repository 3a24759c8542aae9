import {
  PatientAdmittedV1,
  PlatformCallCompletedV1,
  SettlementReversedLocallyV1,
  createEnvelope,
} from '@yb/contracts';
import { decodeRecord } from './decode-record';

const VISIT = PatientAdmittedV1.example.ipt_no;
const admitted = createEnvelope({
  type: 'PatientAdmitted',
  schemaVersion: 1,
  key: VISIT,
  data: PatientAdmittedV1.example,
});
const record = (value: unknown, key = VISIT) => ({
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
      key: Buffer.from(VISIT),
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
      reason: `record key "ZY2" differs from envelope.key "${VISIT}"`,
    });
  });
  it('refuses a message whose data.ipt_no is not its key, naming both: it would be filed under two visits', () => {
    const elsewhere = { ...admitted, key: 'ZY2' };
    expect(decodeRecord(record(elsewhere, 'ZY2'), () => true)).toEqual({
      outcome: 'invalid',
      reason: `PatientAdmitted: data.ipt_no ${VISIT} is not the message key ZY2, which the services file it under`,
      envelope: elsewhere,
    });
    // Not this service's to judge when it does not handle the type: the one that does dead-letters it.
    expect(decodeRecord(record(elsewhere, 'ZY2'), () => false)).toMatchObject({ outcome: 'skip' });
  });
  it("compares the contract's own key field: a message keyed by day may name a visit", () => {
    const reversed = (key: string) =>
      createEnvelope({
        type: 'SettlementReversedLocally',
        schemaVersion: 1,
        key,
        data: SettlementReversedLocallyV1.example,
      });
    const { stmt_date } = SettlementReversedLocallyV1.example;
    expect(decodeRecord(record(reversed(stmt_date), stmt_date), () => true)).toMatchObject({
      outcome: 'handle',
    });
    expect(decodeRecord(record(reversed(VISIT), VISIT), () => true)).toMatchObject({
      outcome: 'invalid',
      reason: `SettlementReversedLocally: data.stmt_date ${stmt_date} is not the message key ${VISIT}, which the services file it under`,
    });
  });
  it('hands over a message whose optional key field is left out (a platform call for no visit)', () => {
    const { ipt_no: _none, ...data } = PlatformCallCompletedV1.example;
    const call = createEnvelope({
      type: 'PlatformCallCompleted',
      schemaVersion: 1,
      key: 'operator:9001',
      data,
    });
    expect(decodeRecord(record(call, 'operator:9001'), () => true)).toMatchObject({ outcome: 'handle' });
  });
  it('skips a record whose type header names a type not handled here, without parsing its payload', () => {
    const garbage = {
      key: Buffer.from(VISIT),
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
