export type EndpointMode = 'unified' | 'per-service';

/** Most provinces: one endpoint, infno only in the body (spec §1.3). */
export const UNIFIED_PATH = '/fsi/api/rsfComIfsService/callService';

/** The national reference deployment's per-service paths (spec §1.3); others come from configuration. */
export const PER_SERVICE_PATHS: Readonly<Record<string, string>> = {
  '9001': '/fsi/api/signInSignOutService/signIn',
  '9002': '/fsi/api/signInSignOutService/signOut',
  '9101': '/fsi/api/fileupload/upload',
  '9102': '/fsi/api/fileupload/download',
  '1101': '/fsi/api/fsiPsnInfoService/queryPsnInfo',
  '1901': '/fsi/api/catalogqueryservice/queryDataDic',
  '2301': '/fsi/api/hospFeeDtlService/feeDtlUp',
  '2302': '/fsi/api/hospFeeDtlService/feeDtlCl',
  '2303': '/fsi/api/hospSettService/preSett',
  '2304': '/fsi/api/hospSettService/settV2',
  '2305': '/fsi/api/hospSettService/settCl',
  '2401': '/fsi/api/hospitalRegisterService/hospitalRegisterSave',
  '2403': '/fsi/api/hospitalRegisterService/hospitalRegisterEdit',
  '2404': '/fsi/api/hospitalRegisterService/hospitalRegisterCancel',
  '2402': '/fsi/api/dscgService/dischargeProcess',
  '2405': '/fsi/api/dscgService/dischargeUndo',
  '2601': '/fsi/api/reverseService/revsMethod',
  '3101': '/fsi/api/riskConService/beforeAnalyze',
  '3102': '/fsi/api/riskConService/courseAnalyze',
  '3201': '/fsi/api/ybSettlementStmtService/stmtTotal',
  '3202': '/fsi/api/ybSettlementStmtService/stmtDetail',
  '4101': '/fsi/api/medinfoupload/setllistinfoupld',
  '4101A': '/fsi/api/medinfoupload/setllistinfoupldA',
  '2206': '/fsi/api/outpatientSettleService/preSettletment',
  '2207': '/fsi/api/outpatientSettleService/saveSettletmentV2',
  '2208': '/fsi/api/outpatientSettleService/cancleSettletment',
};

/** The path to POST an infno to; throws when per-service mode has no path for it. */
export function endpointPath(
  mode: EndpointMode,
  infno: string,
  overrides: Readonly<Record<string, string>> = {},
): string {
  if (mode === 'unified') return UNIFIED_PATH;
  const path = overrides[infno] ?? PER_SERVICE_PATHS[infno];
  if (!path) {
    throw new Error(`no per-service path is known for infno ${infno}: add it to NHSA_SERVICE_PATHS`);
  }
  return path;
}
