import { parsePlatformClientConfig } from './config';
import { buildRequestEnvelope, containsPsnNo, findPsnNo, recerSysCodeFor } from './envelope';
import { PlatformInputError } from './interfaces';

const config = parsePlatformClientConfig({
  baseUrl: 'http://127.0.0.1:1',
  fixmedins_code: 'H42010200001',
  fixmedins_name: '武汉测试医院',
  mdtrtarea_admvs: '420100',
  dev_no: 'dev-1',
  operator: { opter_type: '1', opter: 'op01', opter_name: '张收费', ip: '10.0.0.1' },
});
const operator = { opter_type: '1' as const, opter: 'op01', opter_name: '张收费' };

describe('request envelope', () => {
  const at = new Date('2026-01-02T01:02:03Z');

  it('fills every field of spec §1.1 from the configuration and the call', () => {
    const input = { data: { psn_no: '42000000000000000001', mdtrt_id: 'M1' } };
    const envelope = buildRequestEnvelope(config, {
      infno: '2404',
      msgid: 'H42010200001202601020902030001',
      input,
      insuplc_admdvs: '420200',
      sign_no: 'S1',
      operator,
      at,
    });
    expect(envelope).toEqual({
      infno: '2404',
      msgid: 'H42010200001202601020902030001',
      mdtrtarea_admvs: '420100',
      insuplc_admdvs: '420200',
      recer_sys_code: 'YBXT',
      dev_no: 'dev-1',
      dev_safe_info: '',
      cainfo: '',
      signtype: '',
      infver: 'V1.0',
      opter_type: '1',
      opter: 'op01',
      opter_name: '张收费',
      inf_time: '2026-01-02 09:02:03',
      fixmedins_code: 'H42010200001',
      fixmedins_name: '武汉测试医院',
      sign_no: 'S1',
      input,
    });
  });

  it('refuses a psn_no anywhere in the input without insuplc_admdvs, naming the field', () => {
    const input = { feedetail: [{ feedetl_sn: '1' }, { feedetl_sn: '2', psn_no: 'P2' }] };
    const build = () =>
      buildRequestEnvelope(config, { infno: '2301', msgid: 'x', input, sign_no: '', operator, at });
    expect(build).toThrow(PlatformInputError);
    expect(build).toThrow(/insuplc_admdvs/);
    try {
      build();
    } catch (err) {
      expect((err as PlatformInputError).field).toBe('insuplc_admdvs');
    }
  });

  it('refuses an insuplc_admdvs that is not six digits', () => {
    expect(() =>
      buildRequestEnvelope(config, {
        infno: '1101',
        msgid: 'x',
        input: {},
        insuplc_admdvs: '42',
        sign_no: '',
        operator,
        at,
      }),
    ).toThrow(/insuplc_admdvs is not a six-digit/);
  });

  it('leaves insuplc_admdvs empty when no psn_no is present', () => {
    const envelope = buildRequestEnvelope(config, {
      infno: '9001',
      msgid: 'x',
      input: { signIn: { opter_no: 'op01', ip: '10.0.0.1' } },
      sign_no: '',
      operator,
      at,
    });
    expect(envelope.insuplc_admdvs).toBe('');
  });

  it('finds psn_no at any depth', () => {
    expect(findPsnNo({ a: [{ b: { psn_no: 'P9' } }] })).toBe('P9');
    expect(containsPsnNo({ a: [1, 'x', null] })).toBe(false);
  });
});

describe('接收方系统代码 by patient kind', () => {
  const kinds = parsePlatformClientConfig({
    baseUrl: 'http://127.0.0.1:1',
    fixmedins_code: 'H42010200001',
    fixmedins_name: '武汉测试医院',
    mdtrtarea_admvs: '420100',
    operator: { opter_type: '1', opter: 'op01', opter_name: '张收费', ip: '10.0.0.1' },
    recerSysCodes: { 'psn_type:1300': 'LXXT', 'insutype:410': 'GSXT' },
  });

  it.each([
    ['a 离休 person (psn_type 1300) settling', '2304', { insutype: '310', psn_type: '1300' }, 'LXXT'],
    ['a 工伤 visit (insutype 410) being admitted', '2401', { insutype: '410', psn_type: '1101' }, 'GSXT'],
    [
      'a 离休 person on a 工伤 visit: the insurance decides',
      '2303',
      { insutype: '410', psn_type: '1300' },
      'GSXT',
    ],
    ['an employee (no rule of their kind)', '2402', { insutype: '310', psn_type: '1101' }, 'YBXT'],
    ['a 离休 person whose psn_type is unknown (1101 not asked)', '2304', { insutype: '310' }, 'YBXT'],
    ['a 离休 person on an interface that is not person-related', '2301', { psn_type: '1300' }, 'YBXT'],
    ['a call naming no patient', '2001', undefined, 'YBXT'],
  ])('%s: %s goes to %s', (_who, infno, patient, expected) => {
    expect(recerSysCodeFor(kinds, infno, patient)).toBe(expected);
  });

  it('puts the chosen code in the envelope', () => {
    const envelope = buildRequestEnvelope(kinds, {
      infno: '2304',
      msgid: 'x',
      input: { data: { psn_no: 'P1' } },
      insuplc_admdvs: '110000',
      patientKind: { insutype: '310', psn_type: '1300' },
      sign_no: '',
      operator,
      at: new Date('2026-01-02T01:02:03Z'),
    });
    expect(envelope.recer_sys_code).toBe('LXXT');
  });
});
