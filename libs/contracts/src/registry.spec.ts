import { type Contract } from './contract';
import { createEnvelope } from './envelope';
import { AdmissionRequestRefusedV1 } from './commands-admission';
import { MedicalRecordHomepageRecordedV1 } from './his-clinical';
import {
  AdmissionChangedV2,
  FeeLinesChargedV1,
  PatientAdmittedV1,
  PatientAdmittedV2,
  SettlementRequestedV1,
} from './his-inpatient';
import { AdmissionRegisteredV1, AdmissionRegisteredV2 } from './insurance-inpatient';
import { CONTRACTS, MessageValidationError, contractFor, currentVersion, parseMessage } from './registry';

function envelopeOf(contract: Contract, data: unknown) {
  return createEnvelope({ type: contract.type, schemaVersion: contract.version, key: 'ZY20240501001', data });
}

function validationErrorOf(fn: () => unknown): MessageValidationError {
  try {
    fn();
  } catch (err) {
    if (err instanceof MessageValidationError) return err;
    throw err;
  }
  throw new Error('expected a MessageValidationError');
}

describe('contract registry', () => {
  it.each((CONTRACTS as readonly Contract[]).map((c) => [`${c.type} v${c.version}`, c] as const))(
    'accepts the documented example of %s',
    (_name, contract) => {
      const message = parseMessage(envelopeOf(contract, contract.example));
      expect(message.type).toBe(contract.type);
    },
  );

  it('names an unknown type', () => {
    expect(validationErrorOf(() => contractFor('PatientTeleported', 1)).message).toBe(
      'unknown message type "PatientTeleported"',
    );
  });

  it('names an unknown version and the known ones', () => {
    const error = validationErrorOf(() =>
      parseMessage({ ...envelopeOf(PatientAdmittedV1, PatientAdmittedV1.example), schemaVersion: 7 }),
    );
    expect(error.message).toBe('unknown schemaVersion 7 of message type "PatientAdmitted" (known: 2, 1)');
  });

  it('names the envelope field that is wrong', () => {
    const error = validationErrorOf(() =>
      parseMessage({ ...envelopeOf(PatientAdmittedV1, PatientAdmittedV1.example), id: 'x' }),
    );
    expect(error.issues).toEqual(['envelope.id: Invalid uuid']);
  });

  it('refuses money with more than two decimals, naming the line; reads a JSON number as its 16,2 string', () => {
    const [line] = FeeLinesChargedV1.example.lines;
    const error = validationErrorOf(() =>
      parseMessage(
        envelopeOf(FeeLinesChargedV1, { ipt_no: 'ZY1', lines: [{ ...line, det_item_fee_sumamt: '36.601' }] }),
      ),
    );
    expect(error.issues[0]).toMatch(
      /^data\.lines\[0\]\.det_item_fee_sumamt: must be a signed decimal string/,
    );
    const asNumber = parseMessage(
      envelopeOf(FeeLinesChargedV1, { ipt_no: 'ZY1', lines: [{ ...line, det_item_fee_sumamt: 36.6 }] }),
    );
    expect(asNumber.data).toMatchObject({ lines: [{ det_item_fee_sumamt: '36.60' }] });
  });

  it('requires a refund line to name the line it reverses', () => {
    const refund = { ...FeeLinesChargedV1.example.lines[1], init_feedetl_sn: undefined };
    const error = validationErrorOf(() =>
      parseMessage(envelopeOf(FeeLinesChargedV1, { ipt_no: 'ZY1', lines: [refund] })),
    );
    expect(error.issues).toEqual([
      'data.lines[0].init_feedetl_sn: a refund line (negative cnt) must name the line it reverses in init_feedetl_sn',
    ]);
  });

  it('refuses a fee message repeating a feedetl_sn', () => {
    const [line] = FeeLinesChargedV1.example.lines;
    const error = validationErrorOf(() =>
      parseMessage(envelopeOf(FeeLinesChargedV1, { ipt_no: 'ZY1', lines: [line, line] })),
    );
    expect(error.issues).toEqual(['data.lines: feedetl_sn must be unique within the message']);
  });

  it('requires the certificate 2401 needs on admission, psn_no being optional', () => {
    const { mdtrt_cert_no: _cert, ...withoutCertificate } = PatientAdmittedV1.example;
    const error = validationErrorOf(() => parseMessage(envelopeOf(PatientAdmittedV1, withoutCertificate)));
    expect(error.issues).toEqual(['data.mdtrt_cert_no: Required']);
    const { psn_no: _psn_no, ...byCertificate } = PatientAdmittedV1.example;
    expect(parseMessage(envelopeOf(PatientAdmittedV1, byCertificate)).data).toMatchObject({
      mdtrt_cert_type: '02',
    });
  });

  it('refuses a field the contract does not know instead of dropping it', () => {
    const error = validationErrorOf(() =>
      parseMessage(envelopeOf(PatientAdmittedV1, { ...PatientAdmittedV1.example, med_tpye: '21' })),
    );
    expect(error.issues).toEqual(["data: Unrecognized key(s) in object: 'med_tpye'"]);
  });
});

describe('older versions', () => {
  it('reads an AdmissionRegistered v1 as v2 whose area is unknown (absent), never a default area', () => {
    const message = parseMessage(envelopeOf(AdmissionRegisteredV1, AdmissionRegisteredV1.example));
    expect(message.schemaVersion).toBe(2);
    expect(message.data).toEqual(AdmissionRegisteredV1.example);
    expect(message.data).not.toHaveProperty('insuplc_admdvs');
  });

  it.each([
    ['2402', 'the discharge is already registered (2402 is not sent twice)', 'ALREADY_DISCHARGED'],
    ['2405', 'the patient is not discharged: 2405 undoes a registered discharge (2402)', 'NOT_DISCHARGED'],
    ['2402', 'the visit is not registered with the platform (no successful 2401)', 'NOT_REGISTERED'],
    [
      '2401',
      'the visit is already registered with the platform: send AdmissionChanged to change it',
      'ALREADY_REGISTERED',
    ],
    [
      '2404',
      '3 fee line(s) are still on the platform: revoke them (2302) before cancelling the admission',
      'FEE_LINES_ON_PLATFORM',
    ],
  ])(
    "reads an AdmissionRequestRefused v1 (%s, admission's v1 words) as v2 with its code",
    (infno, reason, code) => {
      const v1 = { ...AdmissionRequestRefusedV1.example, infno, reason };
      const message = parseMessage(envelopeOf(AdmissionRequestRefusedV1, v1));
      expect(message).toMatchObject({ schemaVersion: 2, data: { ...v1, code } });
    },
  );

  it('refuses an AdmissionRequestRefused v1 whose words admission never gave (no code to read), naming the field', () => {
    const v1 = { ...AdmissionRequestRefusedV1.example, reason: 'already registered, probably' };
    const error = validationErrorOf(() => parseMessage(envelopeOf(AdmissionRequestRefusedV1, v1)));
    expect(error.message).toMatch(/AdmissionRequestRefused.*code/);
  });

  it('keeps what an AdmissionRegistered v2 names of the person', () => {
    const message = parseMessage(envelopeOf(AdmissionRegisteredV2, AdmissionRegisteredV2.example));
    expect(message).toMatchObject({
      schemaVersion: 2,
      data: { insuplc_admdvs: '110000', insutype: '310', med_type: '21', psn_type: '1101' },
    });
  });

  it("reads a SettlementRequested v1 as v2 settling with the admission's certificate", () => {
    const message = parseMessage(envelopeOf(SettlementRequestedV1, SettlementRequestedV1.example));
    expect(message.schemaVersion).toBe(2);
    expect(message.data).toEqual({ ...SettlementRequestedV1.example, cert_as_admitted: true });
  });

  it('still refuses an older version that is invalid in its own shape, naming the version', () => {
    const error = validationErrorOf(() =>
      parseMessage(
        envelopeOf(SettlementRequestedV1, { ...SettlementRequestedV1.example, cert_as_admitted: true }),
      ),
    );
    expect(error.message).toMatch(/^invalid SettlementRequested v1: data: Unrecognized key/);
  });

  it('reads a PatientAdmitted v1 as v2 without sex, birth date, maternity or newborn fields', () => {
    const message = parseMessage(envelopeOf(PatientAdmittedV1, PatientAdmittedV1.example));
    expect(message.schemaVersion).toBe(2);
    expect(message.data).toEqual(PatientAdmittedV1.example);
  });

  it('keeps what a PatientAdmitted / AdmissionChanged v2 says of a 生育住院 and its patient', () => {
    expect(parseMessage(envelopeOf(PatientAdmittedV2, PatientAdmittedV2.example)).data).toMatchObject({
      med_type: '52',
      gend: '2',
      brdy: '1992-03-15',
      geso_val: 39,
      fetts: 2,
      fetus_cnt: 1,
    });
    expect(parseMessage(envelopeOf(AdmissionChangedV2, AdmissionChangedV2.example)).data).toMatchObject({
      matn_type: '1',
      birctrl_matn_date: '2024-05-02',
    });
    // A v1 record carrying a field of v2 is refused as v1 (its publisher names the version it writes).
    const error = validationErrorOf(() =>
      parseMessage(envelopeOf(PatientAdmittedV1, { ...PatientAdmittedV1.example, gend: '1' })),
    );
    expect(error.message).toMatch(/^invalid PatientAdmitted v1: data: Unrecognized key/);
  });

  it("reads a homepage v1 as v2 without the settlement list's own fields", () => {
    const message = parseMessage(
      envelopeOf(MedicalRecordHomepageRecordedV1, MedicalRecordHomepageRecordedV1.example),
    );
    expect(message.schemaVersion).toBe(2);
    expect(message.data).toEqual(MedicalRecordHomepageRecordedV1.example);
  });

  it('names the newest version, which publishers send', () => {
    expect(currentVersion('AdmissionRegistered')).toBe(2);
    expect(currentVersion('SettlementRequested')).toBe(2);
    expect(currentVersion('PatientAdmitted')).toBe(2);
    expect(currentVersion('AdmissionChanged')).toBe(2);
    expect(currentVersion('MedicalRecordHomepageRecorded')).toBe(2);
  });
});

describe('createEnvelope', () => {
  it('starts a correlation at a first cause and keeps it along the chain', () => {
    const first = createEnvelope({ type: 'PatientAdmitted', schemaVersion: 1, key: 'ZY1', data: {} });
    expect(first.correlationId).toBe(first.id);
    expect(first.causationId).toBeNull();
    const next = createEnvelope({
      type: 'AdmissionRegistered',
      schemaVersion: 1,
      key: 'ZY1',
      data: {},
      causedBy: first,
    });
    expect(next.correlationId).toBe(first.id);
    expect(next.causationId).toBe(first.id);
    expect(next.id).not.toBe(first.id);
  });
});
