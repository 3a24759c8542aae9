import { parsePlatformClientConfig, type PlatformClientConfigInput } from '../src/config';
import { generateSm2KeyPair } from '../src/crypto/sm2';
import { TifGatewaySigner } from '../src/transport/gateway-signers';
import { ScriptedPlatform } from './scripted-platform';

// What the client's tests against the scripted platform share: the keys on both sides, the configuration, a 2401.

const hospital = generateSm2KeyPair();
const platformKeys = generateSm2KeyPair();
const SM4_KEY = 'K3y4Sm4Tests0016';

/** A scripted platform that checks the test hospital's signature and gateway headers and signs as the platform. */
export function scriptedPlatform(): ScriptedPlatform {
  return new ScriptedPlatform(new TifGatewaySigner('paas-1', 'tif-token'), {
    sm4Key: SM4_KEY,
    hospitalPublicKey: hospital.publicKey,
    platformPrivateKey: platformKeys.privateKey,
    foreignPrivateKey: generateSm2KeyPair().privateKey,
  });
}

/** The test hospital's configuration against a scripted platform at `baseUrl`. */
export function testClientConfig(
  baseUrl: string,
  msgidSchema: string,
  overrides: Partial<PlatformClientConfigInput> = {},
) {
  return parsePlatformClientConfig({
    baseUrl,
    fixmedins_code: 'H42010200001',
    fixmedins_name: '武汉测试医院',
    mdtrtarea_admvs: '420100',
    operator: { opter_type: '1', opter: 'op01', opter_name: '张收费', ip: '10.0.0.1' },
    gateway: { kind: 'tif', paasid: 'paas-1', token: 'tif-token' },
    crypto: {
      sm4Key: SM4_KEY,
      sm2PrivateKey: hospital.privateKey,
      platformSm2PublicKey: platformKeys.publicKey,
    },
    msgidSchema,
    ...overrides,
  });
}

/** A 2401 input for one visit of a person. */
export function admissionInput(
  ipt_no: string,
  person: { psn_no: string; mdtrt_cert_no: string; coner_name?: string },
) {
  return {
    mdtrtinfo: {
      psn_no: person.psn_no,
      insutype: '310',
      begntime: '2026-01-02 08:00:00',
      mdtrt_cert_type: '02',
      mdtrt_cert_no: person.mdtrt_cert_no,
      med_type: '21',
      ipt_no,
      atddr_no: 'D001',
      chfpdr_name: '李医生',
      adm_diag_dscr: '肺炎',
      adm_dept_codg: 'A03',
      adm_dept_name: '呼吸内科',
      adm_bed: '12',
      dscg_maindiag_code: 'J18.900',
      dscg_maindiag_name: '肺炎',
      ...(person.coner_name !== undefined && { coner_name: person.coner_name }),
    },
    diseinfo: [
      {
        psn_no: person.psn_no,
        diag_type: '1',
        maindiag_flag: '1',
        diag_srt_no: 1,
        diag_code: 'J18.900',
        diag_name: '肺炎',
        diag_dept: '呼吸内科',
        dise_dor_no: 'D001',
        dise_dor_name: '李医生',
        diag_time: '2026-01-02 08:00:00',
      },
    ],
  };
}
