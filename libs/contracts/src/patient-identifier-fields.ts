/**
 * The one list of fields that identify a patient (platform and HIS field names). Logs and span attributes mask
 * them wherever they appear (@yb/observability), and stores seal their values at rest (@yb/sealing). Extend it
 * here, never in a second list.
 */
export const PATIENT_IDENTIFIER_FIELDS: readonly string[] = [
  'certno',
  'psn_cert_no',
  'mdtrt_cert_no',
  'ecToken',
  'card_sn',
  'psn_name',
  'patn_name',
  'brdy',
  'coner_name',
  'tel',
  'coner_tel',
  'emp_tel',
  'curr_addr',
  'coner_addr',
  'emp_name',
  'psn_no',
];
