/**
 * The fictitious hospital (a Wuhan 定点医疗机构) that tests and benchmarks run the services as, in the NHSA_*
 * variables a deployed service reads. The platform simulator accepts any hospital.
 */
export const TEST_HOSPITAL = {
  fixmedins_code: 'H42010200123',
  fixmedins_name: '武汉市某某医院',
  mdtrtarea_admvs: '420100',
  operator: { opter_type: '1', opter: 'OP001', opter_name: '张收费', ip: '127.0.0.1' },
} as const;

/** The hospital's settings as environment variables, pointed at `simUrl`, numbering msgids in `msgidSchema`. */
export function testHospitalEnv(simUrl: string, msgidSchema: string): Record<string, string> {
  const { operator } = TEST_HOSPITAL;
  return {
    NHSA_BASE_URL: simUrl,
    NHSA_FIXMEDINS_CODE: TEST_HOSPITAL.fixmedins_code,
    NHSA_FIXMEDINS_NAME: TEST_HOSPITAL.fixmedins_name,
    NHSA_MDTRTAREA_ADMVS: TEST_HOSPITAL.mdtrtarea_admvs,
    NHSA_OPTER_TYPE: operator.opter_type,
    NHSA_OPTER: operator.opter,
    NHSA_OPTER_NAME: operator.opter_name,
    NHSA_SIGN_IN_IP: operator.ip,
    NHSA_MSGID_SCHEMA: msgidSchema,
  };
}
