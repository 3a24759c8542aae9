/** The hospital's item as the HIS describes it. */
export interface HospitalItem {
  readonly fixmedins_hilist_id: string;
  readonly fixmedins_hilist_name: string;
  readonly list_type: string;
  readonly spec?: string;
  readonly prdr_name?: string;
  readonly dosform?: string;
  readonly prcunt?: string;
  readonly aprvno?: string;
  readonly pric?: string;
}

/** The national code a person chose, as the local catalogue holds it (looked up before deciding). */
export interface NationalItem {
  readonly med_list_codg: string;
  readonly hilist_name: string;
  readonly list_type: string;
}

/** What can be asked of one hospital item's stream (`item-<fixmedins_hilist_id>`). */
export type ItemMappingCommand =
  | { readonly type: 'RecordItem'; readonly item: HospitalItem }
  | {
      readonly type: 'ConfirmMapping';
      /** Undefined when the local catalogue does not hold the code: refused. */
      readonly national?: NationalItem;
      readonly med_list_codg: string;
      readonly begndate: string;
      readonly enddate: string;
      readonly by: string;
      readonly at: string;
    }
  | { readonly type: 'WithdrawMapping'; readonly by: string; readonly at: string }
  | { readonly type: 'RecordUploaded'; readonly msgid: string }
  | { readonly type: 'RecordUploadRefused'; readonly msgid: string; readonly err_msg: string }
  | { readonly type: 'RecordWithdrawn'; readonly msgid: string }
  | { readonly type: 'RecordWithdrawalRefused'; readonly msgid: string; readonly err_msg: string };
