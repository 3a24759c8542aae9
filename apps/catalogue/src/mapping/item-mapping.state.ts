import { type HospitalItem, type NationalItem } from './item-mapping.commands';
import { type ItemMappingEvent } from './item-mapping.events';

export type MappingStatus = 'uploading' | 'mapped' | 'refused' | 'withdrawing' | 'withdrawn';

export interface ItemMapping extends NationalItem {
  readonly begndate: string;
  readonly enddate: string;
  readonly status: MappingStatus;
  readonly by: string;
  readonly err_msg?: string;
}

export interface ItemMappingState {
  readonly item?: HospitalItem;
  readonly mapping?: ItemMapping;
  /** Who mapped what, oldest first (the stream keeps it all; this is for the screen). */
  readonly history: readonly { readonly at: string; readonly by: string; readonly what: string }[];
}

export const initialItemMappingState: ItemMappingState = { history: [] };

/** Whether the platform is owed a call for the item (the worker's mark). */
export const owesPlatform = (state: ItemMappingState) =>
  state.mapping?.status === 'uploading' || state.mapping?.status === 'withdrawing';

export function evolveItemMapping(state: ItemMappingState, event: ItemMappingEvent): ItemMappingState {
  const mapping = state.mapping!;
  switch (event.type) {
    case 'ItemRecorded':
      return { ...state, item: event.data };
    case 'MappingConfirmed': {
      const { by, at, ...national } = event.data;
      return {
        ...state,
        mapping: { ...national, status: 'uploading', by },
        history: [...state.history, { at, by, what: `对照 ${national.med_list_codg}` }],
      };
    }
    case 'MappingUploaded':
      return { ...state, mapping: { ...mapping, status: 'mapped' } };
    case 'MappingRefused':
      return { ...state, mapping: { ...mapping, status: 'refused', err_msg: event.data.err_msg } };
    case 'WithdrawalRequested':
      return {
        ...state,
        mapping: { ...mapping, status: 'withdrawing', by: event.data.by },
        history: [
          ...state.history,
          { at: event.data.at, by: event.data.by, what: `撤销 ${event.data.med_list_codg}` },
        ],
      };
    case 'MappingWithdrawn':
      return { ...state, mapping: { ...mapping, status: 'withdrawn' } };
    case 'WithdrawalRefused':
      return { ...state, mapping: { ...mapping, status: 'mapped', err_msg: event.data.err_msg } };
  }
}
