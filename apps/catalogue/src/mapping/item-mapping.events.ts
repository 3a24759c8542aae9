import { type HospitalItem, type NationalItem } from './item-mapping.commands';

export type ItemMappingEvent =
  /** The HIS published the item (or changed it). */
  | { readonly type: 'ItemRecorded'; readonly data: HospitalItem }
  /** A person mapped the item to a national code: 3301 is owed. */
  | {
      readonly type: 'MappingConfirmed';
      readonly data: NationalItem & { begndate: string; enddate: string; by: string; at: string };
    }
  /** The platform holds the mapping (3301 answered 0). */
  | { readonly type: 'MappingUploaded'; readonly data: { msgid: string; med_list_codg: string } }
  /** The platform refused the mapping: a person maps again. */
  | {
      readonly type: 'MappingRefused';
      readonly data: { msgid: string; med_list_codg: string; err_msg: string };
    }
  /** A person withdrew the mapping: 3302 is owed. */
  | { readonly type: 'WithdrawalRequested'; readonly data: { med_list_codg: string; by: string; at: string } }
  | { readonly type: 'MappingWithdrawn'; readonly data: { msgid: string; med_list_codg: string } }
  | {
      readonly type: 'WithdrawalRefused';
      readonly data: { msgid: string; med_list_codg: string; err_msg: string };
    };
